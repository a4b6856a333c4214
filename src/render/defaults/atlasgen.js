// atlasgen: progressive enhancement only. Pages read and navigate fully without this file.
// Index tables: click a column heading to sort by it (the default order comes from atlas.yaml).
(function () {
  "use strict";
  function text(cell) {
    var t = cell ? cell.querySelector("time") : null;
    return t ? t.getAttribute("datetime") : (cell ? cell.textContent.trim() : "");
  }
  function compare(a, b) {
    var na = parseFloat(a), nb = parseFloat(b);
    if (!isNaN(na) && !isNaN(nb) && /^[-\d.]+$/.test(a) && /^[-\d.]+$/.test(b)) return na - nb;
    if (a === "" && b !== "") return 1;
    if (b === "" && a !== "") return -1;
    return a.localeCompare(b, undefined, { sensitivity: "base" });
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var heads = table.querySelectorAll("thead th");
    var body = table.tBodies[0];
    heads.forEach(function (th, col) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
        heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", dir);
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (r1, r2) {
          var c = compare(text(r1.cells[col]), text(r2.cells[col]));
          return dir === "ascending" ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
})();
