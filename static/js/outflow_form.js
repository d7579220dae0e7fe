// Outflow form: ask the server for the recommended handling as the form is filled.
(function () {
  var form = document.getElementById("outflow-form");
  if (!form) { return; }
  var url = form.getAttribute("data-recommend-url");
  var fields = ["expected_months", "purpose", "fixed_place", "can_transfer", "returns_often", "destination_division", "abroad_country",
                "host_unit", "unit_has_party_org", "supervising_department", "unit_locality"];
  var label = document.getElementById("recommendation-label");
  var reason = document.getElementById("recommendation-reason");
  var destination = document.getElementById("recommendation-destination");
  var pending = null;
  var latest = 0;  // only the answer to the newest request is shown

  function query() {
    var params = new URLSearchParams();
    fields.forEach(function (name) {
      var input = form.elements[name];
      if (!input) { return; }
      if (input.type === "checkbox") { if (input.checked) { params.set(name, "on"); } }
      else { params.set(name, input.value); }
    });
    return params.toString();
  }

  function refresh() {
    var ticket = ++latest;
    fetch(url + "?" + query(), { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data || ticket !== latest) { return; }
        var rec = data.recommendation;
        if (!rec) {
          label.textContent = "填写外出时长和原因后显示";
          reason.textContent = "";
          destination.textContent = "";
          return;
        }
        label.textContent = rec.label;
        label.setAttribute("data-handling", rec.handling);
        reason.textContent = rec.reason;
        destination.textContent = rec.destination_text;
      });
  }

  form.addEventListener("input", function (event) {
    if (fields.indexOf(event.target.name) < 0) { return; }
    clearTimeout(pending);
    pending = setTimeout(refresh, 250);
  });
  form.addEventListener("change", function (event) {
    if (fields.indexOf(event.target.name) >= 0) { refresh(); }
  });
})();
