// digest site: the reading language and filters of the index, the pair picker and the evidence highlight of a
// document. No network, no inline code, no markup built from text. Loaded in <head>, so the reader's language
// is set before the page is first drawn; the rest waits for the document.
(function () {
  "use strict";

  var READERS = ["en", "fr", "zh"];
  var KEY = "digest.read";
  var root = document.documentElement;

  function all(selector, scope) {
    return Array.prototype.slice.call((scope || document).querySelectorAll(selector));
  }

  function stored() {
    try { return localStorage.getItem(KEY); } catch (error) { return null; }  // storage may be off
  }

  // --- the index: reading language and filters ---

  function read(reader, remember) {
    if (READERS.indexOf(reader) < 0) { reader = "en"; }
    root.setAttribute("data-read", reader);
    all('input[name="read"]').forEach(function (input) { input.checked = input.value === reader; });
    all("option[data-" + reader + "]").forEach(function (option) { option.textContent = option.dataset[reader]; });
    if (remember) {
      try { localStorage.setItem(KEY, reader); } catch (error) { /* the choice lasts for this page only */ }
    }
  }

  function filter(form) {
    var lang = form.elements.lang.value, from = form.elements.from.value, to = form.elements.to.value;
    var flagged = form.elements.flagged.checked;
    var entries = all("li.entry"), shown = 0;
    entries.forEach(function (entry) {
      var day = entry.dataset.day;
      var match = (!lang || entry.dataset.lang === lang) && (!from || (day && day >= from)) &&
        (!to || (day && day <= to)) && (!flagged || entry.hasAttribute("data-flagged"));
      entry.hidden = !match;
      shown += match ? 1 : 0;
    });
    form.elements.shown.value = shown + " / " + entries.length;
    all("p.no-match").forEach(function (note) { note.hidden = shown > 0; });
  }

  function startIndex() {
    var form = document.querySelector("form.filters");
    if (!form) { return; }
    all(".switch, form.filters").forEach(function (node) { node.hidden = false; });
    read(root.getAttribute("data-read"), false);
    form.addEventListener("input", function () { filter(form); });
    form.addEventListener("change", function () { filter(form); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("reset", function () { setTimeout(function () { filter(form); }, 0); });
    filter(form);  // the browser may have restored the fields on "back"
  }

  // --- a document: pair picker and evidence ---

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

  function startDocument() {
    var checked = document.querySelector('input[name="pair"]:checked');
    if (checked) { showPair(checked.value); }  // the browser may restore another choice on "back"
  }

  root.classList.add("js");
  read(stored(), false);
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button.sent[data-summary]");
    if (button) { select(button); }
  });
  document.addEventListener("change", function (event) {
    if (event.target.name === "pair") { clearEvidence(); showPair(event.target.value); }
    if (event.target.name === "read") { read(event.target.value, true); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { clearEvidence(); }
  });
  document.addEventListener("DOMContentLoaded", function () { startIndex(); startDocument(); });
  window.addEventListener("pageshow", function (event) {  // back to a page kept in memory: the choice may have changed
    if (event.persisted) { read(stored(), false); }
  });
}());
