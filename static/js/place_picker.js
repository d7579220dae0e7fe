// Place picker: a search box (name, pinyin or initials: 杭州, hangzhou, hz) and a county select added to
// every <select data-place-picker>. Without this script the select (provinces and cities) works alone.
(function () {
  function option(select, code, name) {
    var found = Array.prototype.find.call(select.options, function (o) { return o.value === code; });
    if (!found) {
      found = new Option(name, code);
      select.add(found);
    }
    return found;
  }

  function choose(select, code, name) {
    option(select, code, name).selected = true;
    select.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function fetchJson(url) {
    return fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; });
  }

  function enhance(select) {
    var url = select.getAttribute("data-search-url");
    var box = document.createElement("input");
    box.type = "search";
    box.className = "place-search";
    box.placeholder = "输入地名或拼音首字母查找，如 杭州 或 hz";
    box.setAttribute("autocomplete", "off");
    box.setAttribute("aria-label", "查找地点");
    var list = document.createElement("div");
    list.className = "place-results";
    var counties = document.createElement("select");
    counties.className = "place-counties";
    counties.hidden = true;
    counties.setAttribute("aria-label", "区县");
    select.parentNode.insertBefore(box, select);
    select.parentNode.insertBefore(list, select);
    select.parentNode.insertBefore(counties, select.nextSibling);
    var latest = 0;
    var timer = null;

    function show(results) {
      list.textContent = "";
      results.forEach(function (row) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "place-result";
        button.textContent = row.name;
        button.addEventListener("click", function () {
          choose(select, row.code, row.name);
          list.textContent = "";
          box.value = "";
          loadCounties(row);
        });
        list.appendChild(button);
      });
    }

    function loadCounties(row) {
      counties.hidden = true;
      counties.textContent = "";
      if (row.level !== 2 && !/0000$/.test(row.code)) { return; }
      fetchJson(url + "?parent=" + encodeURIComponent(row.code)).then(function (data) {
        if (!data.results.length) { return; }
        counties.add(new Option("区县（可不选）", row.code));
        data.results.forEach(function (county) { counties.add(new Option(county.name, county.code)); });
        counties.hidden = false;
      });
    }

    counties.addEventListener("change", function () {
      var picked = counties.options[counties.selectedIndex];
      choose(select, picked.value, picked.text);
    });
    select.addEventListener("change", function (event) {
      if (event.isTrusted) {
        var picked = select.options[select.selectedIndex];
        if (picked && picked.value) { loadCounties({ code: picked.value, level: /00$/.test(picked.value) ? 2 : 3 }); }
      }
    });
    box.addEventListener("input", function () {
      clearTimeout(timer);
      var query = box.value.trim();
      if (!query) { list.textContent = ""; return; }
      timer = setTimeout(function () {
        var ticket = ++latest;
        fetchJson(url + "?q=" + encodeURIComponent(query)).then(function (data) {
          if (ticket === latest) { show(data.results); }
        });
      }, 200);
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("select[data-place-picker]"), enhance);
})();
