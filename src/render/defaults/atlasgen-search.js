// atlasgen: starts Pagefind's search UI (served from this site) and runs the query in ?q=,
// so the search box in every page header lands here with its results.
(function () {
  "use strict";
  var el = document.getElementById("search");
  if (!el || typeof PagefindUI === "undefined") return;
  var ui = new PagefindUI({
    element: "#search",
    bundlePath: el.getAttribute("data-bundle"),
    baseUrl: el.getAttribute("data-base"),
    showSubResults: true,
    showImages: false,
    resetStyles: false,
    autofocus: true,
    // Record pages are long (fields, narrative, sources); a name should not lose to a short
    // page that merely mentions it, so page length counts for little.
    ranking: { pageLength: 0.1, termFrequency: 0.6 }
  });
  var q = new URLSearchParams(window.location.search).get("q");
  if (q) ui.triggerSearch(q);
})();
