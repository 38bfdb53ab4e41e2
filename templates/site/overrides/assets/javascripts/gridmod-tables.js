/* gridmod: filter and sort long tables in the page, and keep wide tables reachable by keyboard.
 *
 * Self-hosted, no dependencies, no network, no storage. Without JavaScript every table is still there,
 * complete and readable; this only adds a filter box above tables marked data-gridmod-filter (or inside a
 * .gridmod-filterable block) and turns their column headers into sort buttons.
 */
(function () {
  "use strict";

  var counter = 0;

  function cellText(row, index) {
    var cell = row.cells[index];
    return cell ? cell.textContent.trim() : "";
  }

  /* "$1,234", "12.5%", "-5.25", "1,200 of 3" -> number; anything else -> null. Dates sort as text. */
  function numeric(text) {
    var cleaned = text.replace(/[$,%\s]/g, "").replace(/^\u2212/, "-");
    if (cleaned === "" || cleaned === "\u2014" || cleaned === "-") return null;
    return /^-?\d+(\.\d+)?$/.test(cleaned) ? parseFloat(cleaned) : null;
  }

  function sortBy(table, index, button) {
    var body = table.tBodies[0];
    if (!body) return;
    var header = button.parentNode;
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    var rows = Array.prototype.slice.call(body.rows);
    var numbers = rows.every(function (r) {
      var t = cellText(r, index);
      return t === "" || t === "\u2014" || numeric(t) !== null;
    });
    rows.sort(function (a, b) {
      var x = cellText(a, index), y = cellText(b, index), result;
      if (numbers) {
        var nx = numeric(x), ny = numeric(y);
        nx = nx === null ? -Infinity : nx;
        ny = ny === null ? -Infinity : ny;
        result = nx - ny;
      } else {
        result = x.localeCompare(y, undefined, { numeric: true, sensitivity: "base" });
      }
      return ascending ? result : -result;
    });
    rows.forEach(function (r) { body.appendChild(r); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) { th.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }

  function makeSortable(table) {
    if (!table.tHead || !table.tHead.rows.length) return;
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "gridmod-sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      var hint = document.createElement("span");
      hint.className = "gridmod-visually-hidden";
      hint.textContent = " (sort)";
      button.appendChild(hint);
      th.appendChild(button);
      button.addEventListener("click", function () { sortBy(table, index, button); });
    });
  }

  function makeFilterable(table) {
    if (table.getAttribute("data-gridmod-ready")) return;
    table.setAttribute("data-gridmod-ready", "1");
    var body = table.tBodies[0];
    if (!body) return;
    var id = "gridmod-filter-" + (++counter);
    var tools = document.createElement("div");
    tools.className = "gridmod-table-tools";
    var label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = "Filter rows";
    var input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.autocomplete = "off";
    input.setAttribute("data-gridmod-filter-input", "");
    var status = document.createElement("p");
    status.className = "gridmod-filter-status";
    status.setAttribute("role", "status");
    var total = body.rows.length;
    status.textContent = total + " rows";
    tools.appendChild(label);
    tools.appendChild(input);
    tools.appendChild(status);
    var region = table.closest(".gridmod-table") || table;
    region.parentNode.insertBefore(tools, region);

    input.addEventListener("input", function () {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      Array.prototype.forEach.call(body.rows, function (row) {
        var text = row.textContent.toLowerCase();
        var match = words.every(function (w) { return text.indexOf(w) !== -1; });
        row.hidden = !match;
        if (match) shown += 1;
      });
      status.textContent = words.length ? "Showing " + shown + " of " + total + " rows" : total + " rows";
    });
    makeSortable(table);
  }

  /* A table region is a tab stop only while it actually scrolls sideways. */
  function updateRegions() {
    Array.prototype.forEach.call(document.querySelectorAll(".gridmod-table"), function (region) {
      if (region.scrollWidth > region.clientWidth + 1) {
        region.setAttribute("tabindex", "0");
      } else {
        region.removeAttribute("tabindex");
      }
    });
  }

  function setup() {
    var tables = document.querySelectorAll("table[data-gridmod-filter], .gridmod-filterable table");
    Array.prototype.forEach.call(tables, makeFilterable);
    updateRegions();
  }

  var resizeTimer = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(updateRegions, 150);
  });

  /* Material for MkDocs announces each page (also after instant navigation) on document$. */
  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(setup);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
