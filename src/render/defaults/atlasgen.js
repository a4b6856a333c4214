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
// Timelines: buttons that show or hide entries by kind. Without JavaScript the buttons stay
// hidden and every entry shows; the era list above still jumps through the timeline.
(function () {
  "use strict";
  document.querySelectorAll("[data-timeline]").forEach(function (tl) {
    var box = tl.querySelector("[data-filter]");
    if (!box) return;
    box.hidden = false;
    var buttons = Array.prototype.slice.call(box.querySelectorAll("button[data-kind]"));
    var status = box.querySelector(".filter-status");
    function apply() {
      var on = {};
      buttons.forEach(function (b) { on[b.getAttribute("data-kind")] = b.getAttribute("aria-pressed") === "true"; });
      var shown = 0;
      tl.querySelectorAll("li[data-kind]").forEach(function (li) {
        var visible = on[li.getAttribute("data-kind")] !== false;
        li.hidden = !visible;
        if (visible) shown++;
      });
      tl.querySelectorAll("[data-year]").forEach(function (y) {
        y.hidden = !y.querySelector("li.entry:not([hidden])");
      });
      tl.querySelectorAll("section.era").forEach(function (s) {
        s.hidden = !s.querySelector("li.entry:not([hidden])");
      });
      if (status) status.textContent = (status.dataset.shown || "{n} shown").replace("{n}", shown);
    }
    buttons.forEach(function (b) {
      b.addEventListener("click", function () {
        b.setAttribute("aria-pressed", b.getAttribute("aria-pressed") === "true" ? "false" : "true");
        apply();
      });
    });
    apply();
  });
})();
