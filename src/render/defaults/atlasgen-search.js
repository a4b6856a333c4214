// atlasgen: the search page. Runs the query of the box, and of `?q=`, against this language's
// Pagefind index (served from this site), with names first: Pagefind ranks matches in a record's
// title and other names above matches in its text (`metaWeights`), and among the first results
// a record whose title or another name *is* the query, then one whose name starts with it, comes
// before the rest. The query lives in the URL as you type (Back returns to the previous one) and
// follows the language switch; a query written in another language's script points there.
(function () {
  "use strict";
  var box = document.getElementById("search-results");
  var form = document.querySelector("form.search-form");
  if (!box || !form) return;
  var input = form.querySelector("input[name=q]");
  var status = box.querySelector(".search-status");
  var elsewhere = box.querySelector(".search-elsewhere");
  var filterBar = box.querySelector(".search-filter");
  var list = box.querySelector(".search-list");
  var more = box.querySelector(".search-more");
  var lang = box.getAttribute("data-lang") || document.documentElement.lang;
  var bibliography = box.getAttribute("data-bibliography");
  var PAGE = 10; // results shown at a time
  var RANKED = 24; // how many of Pagefind's first results are ranked again by their names
  var DELAY = 250; // ms of quiet typing before a search runs
  box.hidden = false;

  var pagefind = null;
  function engine() {
    if (!pagefind) {
      pagefind = import(box.getAttribute("data-bundle") + "pagefind.js").then(function (pf) {
        return pf
          .options({
            baseUrl: box.getAttribute("data-base"),
            excerptLength: 26,
            ranking: {
              // Record pages are long (fields, narrative); a name should not lose to a short
              // page that merely mentions it, so page length counts for little.
              pageLength: 0.1,
              termFrequency: 0.6,
              // A match in the title or another name of a record outweighs any in its text;
              // the folded names count less, and its titles and names in the other languages
              // (and their folds) less again: found, never above a page's own names.
              metaWeights: { title: 10, names: 8, keys: 6, titles: 3, other_keys: 2, type: 0 }
            }
          })
          // Filters' counts come with results only once the filter index is loaded.
          .then(function () { return pf.filters(); })
          .then(function () { return pf; });
      });
    }
    return pagefind;
  }

  // Text as names compare: lower case, accents and marks dropped, "đ" read as "d", anything
  // that is not a letter or digit a single space.
  var FOLD = { "đ": "d", "ð": "d", "ø": "o", "ł": "l", "ß": "ss", "æ": "ae", "œ": "oe", "þ": "th", "ı": "i" };
  function fold(s) {
    return (s || "")
      .toLowerCase()
      .normalize("NFD")
      .replace(/\p{M}/gu, "")
      .replace(/[đðøłßæœþı]/g, function (c) { return FOLD[c]; })
      .replace(/[^\p{L}\p{N}]+/gu, " ")
      .trim();
  }
  // How a result's names meet the query: [tier, share]. Tier 0: the title or another name is
  // the query; 1: one starts with it ("Gotthard" → Gotthardpass); 2: one holds it from a word
  // on ("Saint-Gothard"); 3: only the text does. `share` is how much of that name the query
  // is, so among names that hold it the one most nearly the query comes first. The
  // bibliography's entries are documents about things, not their names: they rank by text.
  var UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;
  function nameMatch(q, data) {
    if (bibliography && data.url.indexOf(bibliography) === 0) return [3, 0];
    var names = [data.meta.title];
    ["names", "titles"].forEach(function (f) {
      if (data.meta[f]) names = names.concat(data.meta[f].split(" · "));
    });
    // Words of Chinese or Japanese are not spaced: there the query may start anywhere.
    var from = UNSPACED.test(q) ? "" : " ";
    var best = [3, 0];
    names.forEach(function (n) {
      var f = fold(n);
      var t = f === q ? 0 : f.indexOf(q) === 0 ? 1 : (from + f).indexOf(from + q) >= 0 ? 2 : 3;
      var share = t === 1 || t === 2 ? Math.round((20 * q.length) / Math.max(f.length, 1)) / 20 : 0;
      if (t < best[0] || (t === best[0] && share > best[1])) best = [t, share];
    });
    return best;
  }

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, k) { return k in values ? values[k] : m; });
  }
  function counted(n, query) {
    var cat = "other";
    try { cat = new Intl.PluralRules(lang).select(n); } catch (e) { /* "other" */ }
    var t = box.getAttribute("data-found-" + cat) || box.getAttribute("data-found-other");
    return format(t, { count: n.toLocaleString(lang), query: query });
  }

  // Pagefind's excerpt marks the words found with <mark> and escapes < and >; it is rebuilt
  // here as text nodes, so nothing in a record's text is ever read as markup.
  // An excerpt starts and ends at the edges of the fields it shows ("Label: value · …"), not
  // in the middle of one, unless that would leave little of it.
  function tidy(data) {
    var html = data.excerpt;
    var sep = " · ";
    var atStart = data.content.indexOf(data.plain_excerpt) === 0;
    var atEnd = data.content.length - data.content.lastIndexOf(data.plain_excerpt) === data.plain_excerpt.length;
    var first = html.indexOf(sep);
    if (!atStart && first >= 0 && first < html.length * 0.4) html = "… " + html.slice(first + sep.length);
    var last = html.lastIndexOf(sep);
    if (!atEnd && last > html.length * 0.6) html = html.slice(0, last) + " …";
    else if (!atEnd) html += " …";
    return html;
  }
  function excerpt(html) {
    var p = document.createElement("p");
    p.className = "search-excerpt";
    html.split(/(<mark>|<\/mark>)/).reduce(function (marked, piece) {
      if (piece === "<mark>") return true;
      if (piece === "</mark>") return false;
      var text = document.createTextNode(piece.replace(/&lt;/g, "<").replace(/&gt;/g, ">"));
      if (marked) {
        var m = document.createElement("mark");
        m.appendChild(text);
        p.appendChild(m);
      } else {
        p.appendChild(text);
      }
      return marked;
    }, false);
    return p;
  }
  function item(data) {
    var li = document.createElement("li");
    var head = document.createElement("p");
    head.className = "search-head";
    var a = document.createElement("a");
    a.href = data.url;
    a.textContent = data.meta.title;
    head.appendChild(a);
    if (data.meta.type) {
      var badge = document.createElement("span");
      badge.className = "search-type";
      badge.textContent = data.meta.type;
      head.appendChild(document.createTextNode(" "));
      head.appendChild(badge);
    }
    li.appendChild(head);
    if (data.excerpt) li.appendChild(excerpt(tidy(data)));
    return li;
  }

  // Scripts by the languages that write them: a query in a script this page's language does
  // not write points to the languages that do. Scripts come from the browser's CLDR data.
  var SCRIPTS = { Hans: ["Han"], Hant: ["Han"], Hani: ["Han"], Jpan: ["Han", "Hiragana", "Katakana"], Kore: ["Hangul", "Han"] };
  function scriptTest(code) {
    try {
      var s = new Intl.Locale(code).maximize().script;
      var names = SCRIPTS[s] || [s];
      return new RegExp("[" + names.map(function (n) { return "\\p{Script=" + n + "}"; }).join("") + "]", "u");
    } catch (e) {
      return null;
    }
  }
  var ownScript = scriptTest(lang);
  var others = [];
  var tpl = document.getElementById("search-languages");
  if (tpl && ownScript) {
    Array.prototype.forEach.call(tpl.content.querySelectorAll("a[hreflang]"), function (a) {
      var test = scriptTest(a.getAttribute("hreflang"));
      if (test && String(test) !== String(ownScript)) others.push({ link: a, test: test });
    });
  }
  function pointElsewhere(q) {
    elsewhere.textContent = "";
    var shown = ownScript && !ownScript.test(q) ? others.filter(function (o) { return o.test.test(q); }) : [];
    shown.forEach(function (o, i) {
      var a = o.link.cloneNode(true);
      a.href = o.link.getAttribute("href") + "?q=" + encodeURIComponent(q);
      var name = a.textContent;
      a.textContent = "";
      var parts = box.getAttribute("data-elsewhere").split("{language}");
      a.appendChild(document.createTextNode(parts[0]));
      var span = document.createElement("span");
      span.lang = o.link.getAttribute("hreflang");
      span.textContent = name;
      a.appendChild(span);
      a.appendChild(document.createTextNode((parts[1] || "") + " →"));
      a.removeAttribute("lang");
      if (i) elsewhere.appendChild(document.createTextNode(" · "));
      elsewhere.appendChild(a);
    });
    elsewhere.hidden = shown.length === 0;
  }

  // The language switch keeps the query.
  function carryQuery(q) {
    document.querySelectorAll("a[hreflang]").forEach(function (a) {
      if (tpl && tpl.content.contains(a)) return;
      var url = new URL(a.href, location.href);
      if (q) url.searchParams.set("q", q);
      else url.searchParams.delete("q");
      a.href = url.pathname + url.search + url.hash;
    });
  }

  var state = { q: "", filter: null, ordered: [], shown: 0, search: 0 };
  function showMore() {
    var next = state.ordered.slice(state.shown, state.shown + PAGE);
    var id = state.search;
    return Promise.all(next.map(function (r) { return r.data(); })).then(function (datas) {
      if (id !== state.search) return;
      datas.forEach(function (d) { list.appendChild(item(d)); });
      state.shown += next.length;
      more.hidden = state.shown >= state.ordered.length;
    });
  }
  function drawFilters(counts, total) {
    filterBar.textContent = "";
    var name = counts && Object.keys(counts)[0];
    // The collections that have results, the most first.
    var values = name ? Object.keys(counts[name]).filter(function (v) { return counts[name][v] > 0; }) : [];
    values.sort(function (a, b) { return counts[name][b] - counts[name][a]; });
    if (values.length < 2 && !state.filter) {
      filterBar.hidden = true;
      return;
    }
    function button(label, value, n) {
      var b = document.createElement("button");
      b.type = "button";
      b.setAttribute("aria-pressed", String(state.filter === value));
      b.appendChild(document.createTextNode(label + " "));
      var c = document.createElement("span");
      c.className = "count";
      c.textContent = n.toLocaleString(lang);
      b.appendChild(c);
      b.addEventListener("click", function () {
        state.filter = value;
        run(state.q, false);
      });
      filterBar.appendChild(b);
    }
    button(box.getAttribute("data-all"), null, total);
    values.forEach(function (v) { button(v, v, counts[name][v]); });
    filterBar.hidden = false;
    filterBar.setAttribute("data-name", name);
  }

  function run(q, debounce) {
    var id = ++state.search;
    state.q = q;
    pointElsewhere(q);
    if (!q.trim()) {
      status.textContent = "";
      list.textContent = "";
      filterBar.hidden = true;
      more.hidden = true;
      return Promise.resolve();
    }
    status.textContent = box.getAttribute("data-searching");
    return engine()
      .then(function (pf) {
        var name = filterBar.getAttribute("data-name");
        var options = state.filter && name ? { filters: (function (f) { f[name] = state.filter; return f; })({}) } : {};
        return debounce ? pf.debouncedSearch(q, options, DELAY) : pf.search(q, options);
      })
      .then(function (search) {
        if (!search || id !== state.search) return null;
        var head = search.results.slice(0, RANKED);
        return Promise.all(head.map(function (r) { return r.data(); })).then(function (datas) {
          if (id !== state.search) return;
          var fq = fold(q);
          var ranked = head.map(function (r, i) { return { r: r, i: i, m: nameMatch(fq, datas[i]) }; });
          ranked.sort(function (a, b) { return a.m[0] - b.m[0] || b.m[1] - a.m[1] || a.i - b.i; });
          state.ordered = ranked.map(function (x) { return x.r; }).concat(search.results.slice(RANKED));
          state.shown = 0;
          list.textContent = "";
          var n = state.ordered.length;
          drawFilters(search.totalFilters, search.unfilteredResultCount);
          // The count is announced once the first results are on the page, not before.
          return Promise.resolve(showMore()).then(function () {
            if (id !== state.search) return;
            status.textContent = n ? counted(n, q) : format(box.getAttribute("data-none"), { query: q });
          });
        });
      })
      .catch(function (e) {
        if (id !== state.search) return;
        status.textContent = box.getAttribute("data-failed");
        if (window.console) console.error(e);
      });
  }

  // The URL follows the box: a new query after a pause is a new history entry, so Back returns
  // to the previous one; the keystrokes in between only replace it.
  var settled = true;
  var settle = null;
  function remember(q) {
    var url = new URL(location.href);
    if (q) url.searchParams.set("q", q);
    else url.searchParams.delete("q");
    if (url.href !== location.href) {
      history[settled ? "pushState" : "replaceState"]({ q: q }, "", url.href);
      settled = false;
    }
    clearTimeout(settle);
    settle = setTimeout(function () { settled = true; }, 1000);
    carryQuery(q);
  }
  input.addEventListener("input", function () {
    state.filter = null;
    remember(input.value.trim());
    run(input.value.trim(), true);
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    state.filter = null;
    remember(input.value.trim());
    settled = true;
    run(input.value.trim(), false);
  });
  more.addEventListener("click", function () {
    var first = state.shown;
    showMore().then(function () {
      var a = list.children[first] && list.children[first].querySelector("a");
      if (a) a.focus();
    });
  });
  window.addEventListener("popstate", function () {
    var q = new URLSearchParams(location.search).get("q") || "";
    input.value = q;
    settled = true;
    state.filter = null;
    carryQuery(q);
    run(q, false);
  });

  var initial = (new URLSearchParams(location.search).get("q") || "").trim();
  input.value = initial;
  carryQuery(initial);
  if (initial) run(initial, false);
  else input.focus();
})();
