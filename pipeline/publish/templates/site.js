// digest site: the pair picker and the evidence highlight. No network, no inline code.
(function () {
  "use strict";

  function all(selector, root) {
    return Array.prototype.slice.call((root || document).querySelectorAll(selector));
  }

  function showPair(key) {
    all("table.pairs[data-pair]").forEach(function (table) { table.hidden = table.dataset.pair !== key; });
  }

  function clearEvidence() {
    all("tr.evidence-row, .support-badge").forEach(function (node) { node.remove(); });
    all("tr.hit").forEach(function (row) { row.classList.remove("hit"); });
    all('button.sent[aria-pressed="true"]').forEach(function (b) { b.setAttribute("aria-pressed", "false"); });
  }

  function markSources(template, summary) {
    all("[data-source]", template.content).forEach(function (item) {
      var row = document.getElementById("s-" + item.dataset.source);
      if (!row) { return; }
      row.classList.add("hit");
      var badge = document.createElement("span");
      badge.className = "support-badge";
      badge.textContent = "support " + item.dataset.score;
      badge.title = "supports summary sentence " + summary;
      (row.querySelector("td.score") || row.lastElementChild).appendChild(badge);
    });
  }

  function select(button) {
    var index = button.dataset.summary;
    var open = button.getAttribute("aria-pressed") === "true";
    clearEvidence();
    var template = document.getElementById("evidence-" + index);
    if (open || !template) { return; }
    all('button.sent[data-summary="' + index + '"]').forEach(function (b) { b.setAttribute("aria-pressed", "true"); });
    var row = button.closest("tr");
    var evidence = document.createElement("tr");
    var cell = document.createElement("td");
    evidence.className = "evidence-row";
    cell.colSpan = row.cells.length;
    cell.appendChild(template.content.cloneNode(true));
    evidence.appendChild(cell);
    row.after(evidence);
    markSources(template, Number(index) + 1);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button.sent[data-summary]");
    if (button) { select(button); }
  });
  document.addEventListener("change", function (event) {
    if (event.target.name === "pair") { clearEvidence(); showPair(event.target.value); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { clearEvidence(); }
  });
  var checked = document.querySelector('input[name="pair"]:checked');
  if (checked) { showPair(checked.value); }  // the browser may restore another choice on "back"
}());
