// Small behaviours of every page, bound here because the Content-Security-Policy
// allows no inline script or event handler in the templates.
document.addEventListener("click", function (event) {
  // Fold the menu away on a phone.
  if (event.target.closest("[data-toggle-menu]")) {
    document.getElementById("sidebar").classList.toggle("open");
  }
  // 打印 buttons.
  if (event.target.closest("[data-print]")) {
    window.print();
  }
  // 取消 links go back where the user came from; without history they follow their href.
  if (event.target.closest("[data-history-back]") && window.history.length > 1) {
    event.preventDefault();
    window.history.back();
  }
});
