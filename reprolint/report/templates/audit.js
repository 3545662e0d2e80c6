// Filters by area and severity, in the page itself: the audit works offline, from a file or a CI artifact.
(function () {
  var boxes = document.querySelectorAll("input[data-filter]");
  function wanted(kind) {
    var values = [];
    boxes.forEach(function (box) { if (box.dataset.filter === kind && box.checked) { values.push(box.value); } });
    return values;
  }
  function apply() {
    var areas = wanted("area"), severities = wanted("severity"), shown = 0;
    document.querySelectorAll("article.finding").forEach(function (finding) {
      var visible = areas.indexOf(finding.dataset.area) >= 0 && severities.indexOf(finding.dataset.severity) >= 0;
      finding.classList.toggle("hidden", !visible);
      if (visible) { shown += 1; }
    });
    document.querySelectorAll(".file, .area-group").forEach(function (group) {
      group.classList.toggle("hidden", !group.querySelector("article.finding:not(.hidden)"));
    });
    document.getElementById("shown").textContent = String(shown);
  }
  // A link can open the audit filtered: audit.html#severity=error,warning&area=Randomness
  function fromHash() {
    var wantedNow = {};
    location.hash.replace(/^#/, "").split("&").forEach(function (part) {
      var pair = part.split("=");
      if (pair.length === 2 && pair[1]) { wantedNow[pair[0]] = decodeURIComponent(pair[1]).split(","); }
    });
    boxes.forEach(function (box) {
      var values = wantedNow[box.dataset.filter];
      if (values) { box.checked = values.indexOf(box.value) >= 0; }
    });
  }
  boxes.forEach(function (box) { box.addEventListener("change", apply); });
  window.addEventListener("hashchange", function () { fromHash(); apply(); });
  fromHash();
  apply();
})();
