// Fold the menu away on a phone.
document.addEventListener("click", function (event) {
  var toggle = event.target.closest("[data-toggle-menu]");
  if (toggle) {
    document.getElementById("sidebar").classList.toggle("open");
  }
});
