// atlasgen: progressive enhancement only. Pages read and navigate fully without this file.
// The page for a missing address, in the address's language. The one 404.html at the root
// answers every missing address (GitHub Pages serves no other), and carries each other
// language's 404 page in a <template data-translation> with that language's home folder: an
// address under that folder (the longest such home) shows that page instead, its every string
// in the address's language. This runs first, so what follows works on the page shown.
(function () {
  "use strict";
  var path = window.location.pathname, best = null;
  try { path = decodeURIComponent(path); } catch (e) { /* the address as it came */ }
  document.querySelectorAll("template[data-translation]").forEach(function (t) {
    var home = t.getAttribute("data-home") || "";
    if (home && path.indexOf(home) === 0 && (!best || home.length > best.getAttribute("data-home").length)) best = t;
  });
  if (!best) return;
  var page = document.importNode(best.content, true);
  // Its scripts are this page's, which have run or will.
  page.querySelectorAll("script").forEach(function (s) { s.parentNode.removeChild(s); });
  var body = document.body;
  while (body.firstChild) body.removeChild(body.firstChild);
  body.appendChild(page);
  document.documentElement.setAttribute("lang", best.getAttribute("lang"));
  if (best.getAttribute("data-title")) document.title = best.getAttribute("data-title");
})();
// The header's menu: where the sections do not fit on one line (a phone, a narrow window, a
// language with long names), they fold behind the menu button. Without this script every
// section is shown, wrapped.
(function () {
  "use strict";
  var header = document.querySelector(".site-header");
  var button = header && header.querySelector(".menu-toggle");
  var menu = header && document.getElementById("site-menu");
  if (!button || !menu) return;
  var list = menu.querySelector(".sections ul");
  button.hidden = false;
  function set(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    header.classList.toggle("menu-open", open);
  }
  function fit() {
    // Measured unfolded, on one line: fold when the sections overflow it.
    header.classList.remove("compact");
    var over = list && list.scrollWidth > list.clientWidth + 1;
    header.classList.toggle("compact", !!over || window.matchMedia("(max-width: 40rem)").matches);
    if (!header.classList.contains("compact")) set(false);
  }
  button.addEventListener("click", function () {
    set(button.getAttribute("aria-expanded") !== "true");
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      set(false);
      button.focus();
    }
  });
  var pending = null;
  window.addEventListener("resize", function () {
    if (pending) cancelAnimationFrame(pending);
    pending = requestAnimationFrame(fit);
  });
  fit();
  if (document.fonts && document.fonts.ready) document.fonts.ready.then(fit);
})();
// Index tables: click a column heading to sort by it (the default order comes from atlas.yaml).
// A cell's data-sort (an enum value's place in the schema) wins over its text.
(function () {
  "use strict";
  function text(cell) {
    if (cell && cell.hasAttribute("data-sort")) return cell.getAttribute("data-sort");
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
// Timelines: buttons that select one kind ("only treaties") or all of them. The choice lives in
// the URL (`?kind=treaty`), so a reload, a shared link and Back all show the same selection.
// Without JavaScript the buttons stay hidden and every entry shows; the era bar still jumps.
(function () {
  "use strict";
  document.querySelectorAll("[data-timeline]").forEach(function (tl) {
    var box = tl.querySelector("[data-filter]");
    if (!box) return;
    box.hidden = false;
    var buttons = Array.prototype.slice.call(box.querySelectorAll("button[data-kind]"));
    var kinds = buttons.map(function (b) { return b.getAttribute("data-kind"); });
    var status = box.querySelector(".filter-status");
    function fromUrl() {
      var k = new URLSearchParams(location.search).get("kind") || "";
      return kinds.indexOf(k) >= 0 ? k : "";
    }
    function apply(kind) {
      buttons.forEach(function (b) { b.setAttribute("aria-pressed", b.getAttribute("data-kind") === kind ? "true" : "false"); });
      var shown = 0;
      tl.querySelectorAll("li.entry").forEach(function (li) {
        var visible = !kind || li.getAttribute("data-kind") === kind;
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
        var kind = b.getAttribute("data-kind");
        if (kind === fromUrl()) return;
        var url = new URL(location.href);
        if (kind) url.searchParams.set("kind", kind); else url.searchParams.delete("kind");
        history.pushState({ kind: kind }, "", url);
        apply(kind);
      });
    });
    window.addEventListener("popstate", function () { apply(fromUrl()); });
    apply(fromUrl());
  });
})();
// The era bar follows the reading: the era being read is marked (`aria-current`) and, where
// the bar scrolls sideways (a phone), scrolled into view; a faded edge says more eras lie that way.
(function () {
  "use strict";
  document.querySelectorAll(".timeline-nav").forEach(function (nav) {
    var list = nav.querySelector("ol");
    var links = Array.prototype.slice.call(nav.querySelectorAll("a[href^='#']"));
    var eras = links.map(function (a) { return document.getElementById(decodeURIComponent(a.hash.slice(1))); });
    var current = null, queued = false;
    // A jump to an era or a year lands below the bar, not under it.
    function pad() { document.documentElement.style.scrollPaddingTop = nav.offsetHeight + 8 + "px"; }
    function edges() {
      var max = list.scrollWidth - list.clientWidth;
      list.classList.toggle("more-before", list.scrollLeft > 1);
      list.classList.toggle("more-after", max > 1 && list.scrollLeft < max - 1);
    }
    function mark() {
      queued = false;
      var line = nav.getBoundingClientRect().bottom + 8, at = null;
      eras.forEach(function (e, i) {
        if (e && !e.hidden && e.getBoundingClientRect().top <= line) at = links[i];
      });
      if (at === current) return;
      if (current) current.removeAttribute("aria-current");
      current = at;
      if (!at) return;
      at.setAttribute("aria-current", "true");
      var li = at.parentNode, left = li.offsetLeft - list.offsetLeft;
      if (list.scrollWidth > list.clientWidth && (left < list.scrollLeft || left + li.offsetWidth > list.scrollLeft + list.clientWidth)) {
        list.scrollLeft = left - 16;
      }
    }
    function queue() { if (!queued) { queued = true; requestAnimationFrame(mark); } }
    list.addEventListener("scroll", edges, { passive: true });
    window.addEventListener("scroll", queue, { passive: true });
    window.addEventListener("resize", function () { pad(); edges(); queue(); });
    pad();
    edges();
    mark();
    if (location.hash) { var target = document.getElementById(decodeURIComponent(location.hash.slice(1))); if (target) target.scrollIntoView(); }
  });
})();
// The bibliography: sort each group's entries by author, year or title, or back to the
// collection's own order.
(function () {
  "use strict";
  var box = document.querySelector("[data-bib-sort]");
  if (!box) return;
  box.hidden = false;
  var buttons = Array.prototype.slice.call(box.querySelectorAll("button[data-key]"));
  function by(key) {
    return function (a, b) {
      if (key === "order") return a.dataset.order - b.dataset.order;
      var x = a.dataset[key] || "", y = b.dataset[key] || "";
      if (x === "" && y !== "") return 1;
      if (y === "" && x !== "") return -1;
      var c = key === "year" ? x.localeCompare(y, undefined, { numeric: true }) : x.localeCompare(y, document.documentElement.lang, { sensitivity: "base" });
      return c || a.dataset.order - b.dataset.order;
    };
  }
  buttons.forEach(function (b) {
    b.addEventListener("click", function () {
      buttons.forEach(function (o) { o.setAttribute("aria-pressed", o === b ? "true" : "false"); });
      document.querySelectorAll("ol.bibliography").forEach(function (ol) {
        Array.prototype.slice.call(ol.children).sort(by(b.dataset.key)).forEach(function (li) { ol.appendChild(li); });
      });
    });
  });
})();
// "Cite this page": a button beside each citation copies it.
(function () {
  "use strict";
  if (!navigator.clipboard) return;
  document.querySelectorAll("[data-copy]").forEach(function (el) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "copy";
    // The labels come translated from the page: "Copy|Copied".
    var labels = (el.closest("[data-copy-labels]") || el).getAttribute("data-copy-labels") || "Copy|Copied";
    var label = labels.split("|")[0], done = labels.split("|")[1] || labels;
    b.textContent = label;
    b.addEventListener("click", function () {
      navigator.clipboard.writeText(el.textContent.trim()).then(function () {
        b.textContent = done;
        setTimeout(function () { b.textContent = label; }, 2000);
      });
    });
    el.insertAdjacentElement("afterend", b);
  });
})();
// The page for a missing address: the address's words fill the search box and run a search,
// whose first results are offered. The one 404.html at the root answers every missing address,
// /zh/… as much as /…: the address's folder names its language (the one whose home is the
// longest start of the address), and the search, its results and the search box's form are in
// that language, whatever language the page itself is in.
(function () {
  "use strict";
  var box = document.querySelector("[data-suggest]");
  var input = document.getElementById("not-found-q");
  if (!box || !input) return;
  var base = box.getAttribute("data-base") || "/";
  var path = decodeURIComponent(window.location.pathname);
  var languages = [];
  try { languages = JSON.parse(box.getAttribute("data-languages") || "[]"); } catch (e) { /* the page's own language */ }
  var own = document.documentElement.getAttribute("lang") || "";
  var lang = null;
  languages.forEach(function (l) {
    if (path.indexOf(l.url) === 0 && (!lang || l.url.length > lang.url.length)) lang = l;
  });
  var home = lang ? lang.url : base;
  if (path.indexOf(home) === 0) path = path.slice(home.length);
  var words = path.split("/").filter(function (p) { return p && !/^(by-|index\.html$|404\.html$)/.test(p); });
  var q = (words[words.length - 1] || "").replace(/\.html?$/, "").replace(/[-_+.]+/g, " ").trim();
  if (!q) return;
  input.value = q;
  var code = lang ? lang.code : own;
  if (lang && lang.code !== own) {
    // Results in another language than the page's: their titles are marked as such, and the
    // search box searches that language's search page.
    box.querySelector("ul").setAttribute("lang", lang.code);
    var form = input.form;
    if (form && lang.search) form.setAttribute("action", lang.search);
  }
  import(box.getAttribute("data-bundle") + "pagefind.js").then(function (pagefind) {
    // Pagefind picks a language's index by the page's <html lang> when an instance is made, and
    // takes no language of its own (https://pagefind.app/docs/multilingual/): the page carries
    // the address's language for that one synchronous call.
    var html = document.documentElement, instance;
    html.setAttribute("lang", code);
    try {
      instance = pagefind.createInstance({});
    } finally {
      if (own) html.setAttribute("lang", own); else html.removeAttribute("lang");
    }
    return instance.options({ baseUrl: base }).then(function () { return instance.search(q); });
  }).then(function (search) {
    return Promise.all(search.results.slice(0, 5).map(function (r) { return r.data(); }));
  }).then(function (found) {
    if (!found.length) return;
    var ul = box.querySelector("ul");
    found.forEach(function (d) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = d.url;
      a.textContent = (d.meta && d.meta.title) || d.url;
      li.appendChild(a);
      ul.appendChild(li);
    });
    box.hidden = false;
  }).catch(function () { /* no suggestions: the search box and the sections remain */ });
})();
