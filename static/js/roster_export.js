// Poll a roster export job and show its progress until the file is ready.
(function () {
  var box = document.getElementById("export-job");
  if (!box) { return; }
  var bar = document.getElementById("export-progress");
  var statusText = document.getElementById("export-status");
  var count = document.getElementById("export-count");
  var download = document.getElementById("export-download");
  var error = document.getElementById("export-error");

  function show(data) {
    bar.value = data.percent;
    bar.textContent = data.percent + "%";
    statusText.textContent = data.status_label;
    count.textContent = data.done_rows + " / " + data.total_rows;
    if (data.status === "done") {
      download.href = data.download_url;
      download.hidden = false;
    }
    error.hidden = data.status !== "failed";
    return data.status === "done" || data.status === "failed" || data.status === "expired";
  }

  function poll() {
    fetch(box.dataset.statusUrl, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) { if (!show(data)) { setTimeout(poll, 1000); } })
      .catch(function () { setTimeout(poll, 3000); });
  }

  if (["done", "failed", "expired"].indexOf(box.dataset.status) < 0) { poll(); }
})();
