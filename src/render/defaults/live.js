// atlasgen serve: reloads the page after each good build and shows problems over the page
// after a bad one. Served only by `atlasgen serve`; never part of a built site.
(function () {
  "use strict";
  var version = null;
  var overlay = null;
  function show(text) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "atlasgen-errors";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:#14181c;color:#f5f5f5;padding:1.5rem;font:14px/1.45 ui-monospace,Menlo,Consolas,monospace;white-space:pre-wrap";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "atlasgen: the last save has problems; the page shows the last good build.\n\n" + text;
  }
  function poll() {
    var url = "/__atlasgen/wait" + (version === null ? "" : "?since=" + version);
    fetch(url, { cache: "no-store" }).then(function (r) { return r.json(); }).then(function (s) {
      var first = version === null;
      version = s.version;
      if (s.errors) { show(s.errors); }
      else if (!first) { location.reload(); return; }
      poll();
    }).catch(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
