/* gridmod: filter and sort long tables in the page, fit wide tables to the screen, keep focus in view.
 *
 * Self-hosted, no dependencies, no network, no storage. Without JavaScript every table is still there,
 * complete and readable, in a region that scrolls sideways and that the keyboard can reach. This adds a
 * filter box above tables marked data-gridmod-filter (or inside a .gridmod-filterable block) and turns their
 * column headers into sort buttons; it shows a table that does not fit its column as one block per row
 * (gridmod-table--stacked, each value under its column's name, with ARIA table roles so that screen readers
 * still get a table), gives a table that fits sticky column headers (gridmod-table--fits), and scrolls a
 * focused control out from under the sticky header.
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

  /* Each body cell names its column (data-label), for the stacked layout. */
  function labelCells(table) {
    if (table.getAttribute("data-gridmod-labels")) return;
    table.setAttribute("data-gridmod-labels", "1");
    var head = table.tHead && table.tHead.rows.length ? table.tHead.rows[table.tHead.rows.length - 1] : null;
    if (!head) return;
    var names = [];
    Array.prototype.forEach.call(head.cells, function (th) {
      var copy = th.cloneNode(true);
      Array.prototype.forEach.call(copy.querySelectorAll(".gridmod-visually-hidden"), function (n) { n.remove(); });
      for (var i = 0; i < (th.colSpan || 1); i++) names.push(copy.textContent.replace(/\s+/g, " ").trim());
    });
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          cell.setAttribute("data-label", names[column] || "");
          if (cell.textContent.trim().length > 28) cell.setAttribute("data-gridmod-long", "");
          column += cell.colSpan || 1;
        });
      });
    });
  }

  /* A table shown as blocks keeps its meaning for screen readers through explicit roles. */
  var ROLES = [
    ["table", "table"], ["thead, tbody, tfoot", "rowgroup"], ["tr", "row"],
    ["thead th", "columnheader"], ["tbody th", "rowheader"], ["td", "cell"]
  ];

  function setRoles(table, on) {
    ROLES.forEach(function (pair) {
      var nodes = pair[0] === "table" ? [table] : table.querySelectorAll(pair[0]);
      Array.prototype.forEach.call(nodes, function (node) {
        if (on) node.setAttribute("role", pair[1]);
        else node.removeAttribute("role");
      });
    });
  }

  function overflows(region) {
    return region.scrollWidth > region.clientWidth + 1;
  }

  /* Fit each table to its column: as it is where it fits (with sticky column headers), as blocks per row
     where it does not. A region is a tab stop only while it still scrolls sideways. */
  function layoutTables() {
    var regions = Array.prototype.slice.call(document.querySelectorAll(".gridmod-table"));
    regions.forEach(function (region) {
      var table = region.querySelector("table");
      if (table) labelCells(table);
      region.classList.remove("gridmod-table--stacked", "gridmod-table--fits");
    });
    var wide = regions.map(overflows);
    regions.forEach(function (region, i) {
      var table = region.querySelector("table");
      if (!table) return;
      region.classList.add(wide[i] ? "gridmod-table--stacked" : "gridmod-table--fits");
      setRoles(table, wide[i]);
    });
    regions.forEach(function (region) {
      if (overflows(region)) region.setAttribute("tabindex", "0");
      else region.removeAttribute("tabindex");
    });
  }

  /* What covers the top of the window: the site's header and, inside a table, its sticky column headers. */
  function coveredTop(element) {
    var bottom = 0;
    var header = document.querySelector(".md-header");
    if (header) bottom = Math.max(bottom, header.getBoundingClientRect().bottom);
    var region = element.closest(".gridmod-table--fits");
    if (region && !element.closest("thead")) {
      var stuck = region.querySelector("thead th");  /* the header cells are sticky, not the thead */
      if (stuck) bottom = Math.max(bottom, stuck.getBoundingClientRect().bottom);
    }
    return bottom;
  }

  /* Scrolls only when something does cover the element (a stuck header cell sits exactly at the edge). */
  function uncover(element) {
    var top = element.getBoundingClientRect().top;
    var covered = coveredTop(element);
    if (top < covered - 1) window.scrollBy(0, top - covered - 8);
  }

  /* Checked when focus arrives and again after the browser's own scrolling into view. */
  function keepFocusInView(event) {
    var element = event.target;
    if (!element || !element.getBoundingClientRect || element === document.body) return;
    if (element.closest(".md-header, .md-sidebar, .md-search")) return;
    uncover(element);
    window.setTimeout(function () {
      if (document.activeElement === element) uncover(element);
    }, 0);
  }

  function setup() {
    var tables = document.querySelectorAll("table[data-gridmod-filter], .gridmod-filterable table");
    Array.prototype.forEach.call(tables, makeFilterable);
    layoutTables();
  }

  var resizeTimer = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(layoutTables, 150);
  });
  document.addEventListener("focusin", keepFocusInView);

  /* Material for MkDocs announces each page (also after instant navigation) on document$. */
  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(setup);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
