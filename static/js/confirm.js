// Important actions confirm first: a submit button with data-confirm="…" (and data-confirm-keep="…", what will be
// kept) opens a <dialog>; only 确定 sends the form. Without JavaScript the form is sent as before.
(function () {
  var dialog = null;
  var pending = null;

  function build() {
    dialog = document.createElement("dialog");
    dialog.className = "confirm-dialog";
    dialog.setAttribute("aria-labelledby", "confirm-dialog-text");
    var text = document.createElement("p");
    text.id = "confirm-dialog-text";
    text.className = "confirm-text";
    var keep = document.createElement("p");
    keep.className = "confirm-keep muted";
    var actions = document.createElement("form");
    actions.method = "dialog";
    actions.className = "form-actions";
    var ok = document.createElement("button");
    ok.value = "ok";
    ok.className = "btn btn-primary";
    ok.setAttribute("data-confirm-ok", "");
    var cancel = document.createElement("button");
    cancel.value = "cancel";
    cancel.className = "btn btn-plain";
    cancel.textContent = "取消";
    actions.append(ok, cancel);
    dialog.append(text, keep, actions);
    document.body.appendChild(dialog);
    dialog.addEventListener("close", function () {
      var action = pending;
      pending = null;
      if (action && dialog.returnValue === "ok") {
        action.button.setAttribute("data-confirmed", "");
        action.form.requestSubmit(action.button);
      }
    });
  }

  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (!button || !button.hasAttribute("data-confirm")) { return; }
    if (button.hasAttribute("data-confirmed")) { button.removeAttribute("data-confirmed"); return; }
    event.preventDefault();
    if (!dialog) { build(); }
    dialog.querySelector(".confirm-text").textContent = button.getAttribute("data-confirm");
    var keep = button.getAttribute("data-confirm-keep") || "";
    dialog.querySelector(".confirm-keep").textContent = keep;
    dialog.querySelector(".confirm-keep").hidden = !keep;
    dialog.querySelector("[data-confirm-ok]").textContent = button.textContent.trim();
    pending = { form: event.target, button: button };
    dialog.returnValue = "";
    dialog.showModal();
    dialog.querySelector("[data-confirm-ok]").focus();
  });
})();
