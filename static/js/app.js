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
  // A link in a form's error summary: put the cursor in that field.
  var errorLink = event.target.closest("[data-error-field]");
  if (errorLink) {
    var target = document.getElementById(errorLink.getAttribute("data-error-field"));
    if (target) {
      event.preventDefault();
      target.scrollIntoView({ block: "center" });
      target.focus({ preventScroll: true });
    }
  }
  // 取消 links go back where the user came from; without history they follow their href.
  if (event.target.closest("[data-history-back]") && window.history.length > 1) {
    event.preventDefault();
    window.history.back();
  }
});

// A rejected form: show its error summary at the top of the screen and put the cursor in the first field in
// error (scrolling further only when that field is out of sight), so every problem is seen in one round.
(function () {
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) { return; }
  summary.scrollIntoView({ block: "start" });
  var link = summary.querySelector("[data-error-field]");
  var field = link && document.getElementById(link.getAttribute("data-error-field"));
  if (!field) { summary.focus({ preventScroll: true }); return; }
  var box = field.getBoundingClientRect();
  if (box.top < 0 || box.bottom > window.innerHeight) { field.scrollIntoView({ block: "center" }); }
  field.focus({ preventScroll: true });
})();

// Lists that become cards on a phone (.table-cards, see app.css): label each cell with its column's heading.
document.querySelectorAll("table.table-cards").forEach(function (table) {
  var headings = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
    return th.textContent.replace(/[▲▼↑↓]/g, "").trim();
  });
  table.querySelectorAll("tbody tr").forEach(function (row) {
    Array.prototype.forEach.call(row.cells, function (cell, index) {
      if (headings[index] && !cell.hasAttribute("colspan")) { cell.setAttribute("data-label", headings[index]); }
    });
  });
});

// A long filter form on a phone: the fields after the first fold under 更多筛选 unless one of them is set, so
// the list itself is on the first screen. The summary says how many of them are set.
(function () {
  var phone = window.matchMedia("(max-width: 760px)");
  document.querySelectorAll("details[data-fold-on-phone]").forEach(function (details) {
    var set = Array.prototype.filter.call(details.querySelectorAll("select, input"), function (field) {
      return field.value !== "";
    }).length;
    if (set) { details.querySelector("[data-set-count]").textContent = "（" + set + "）"; }
    function fit() { details.open = !phone.matches || set > 0; }
    fit();
    phone.addEventListener("change", fit);
  });
})();
