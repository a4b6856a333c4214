// atlasgen maps: zoom and pan (with Panzoom, served from the site), visible controls, the
// keyboard (+, −, arrow keys, 0), and a popup naming the marker under the pointer, in focus or
// tapped, with a link to its page. Without this file every map is still whole: markers are
// links, labels are laid out, and the same items are listed under the map.
//
// The SVG's markers and labels are drawn in screen pixels inside groups the stylesheet scales
// by --u; this script keeps --u at the inverse of the zoom, so they keep their size, and sets
// data-level to the zoom level whose layout (worked out at build time, see labels.rs) fits:
// more towns and names appear as the reader zooms in, and spread markers close up.
(function () {
  "use strict";
  if (typeof window.Panzoom !== "function") return;
  var LEVELS = [0.25, 0.5, 1, 2, 4, 8];
  // The largest zoom, in screen pixels per map unit (the top level covers up to twice its own).
  var MAX_K = 16;
  var STEP = 0.45;

  document.querySelectorAll("figure.atlas-map").forEach(function (fig) {
    var svg = fig.querySelector("svg.map");
    var view = svg && svg.querySelector(".map-view");
    if (!view) return;
    setup(fig, svg, view);
  });

  function setup(fig, svg, view) {
    var frame = svg.parentNode;
    var box = svg.viewBox.baseVal;
    var W = box.width, H = box.height;
    var kmPerUnit = parseFloat(svg.getAttribute("data-km")) || 0;
    var inset = (svg.getAttribute("data-inset") || "").split(" ").map(parseFloat);
    var firstLevel = parseInt(svg.getAttribute("data-first-level"), 10) || 0;
    var text = function (key, fallback) { return fig.getAttribute("data-" + key) || fallback; };
    var state = { scale: 1, x: 0, y: 0 };

    // Pixels per map unit at zoom 1.
    function k() { return svg.getBoundingClientRect().width / W || 1; }

    // Keeps the map covering its frame: x, y in screen pixels (Panzoom's units).
    function clamp(scale, x, y) {
      var kk = k(), w = W * kk, h = H * kk;
      return {
        x: Math.min(0, Math.max(w / scale - w, x)),
        y: Math.min(0, Math.max(h / scale - h, y)),
      };
    }

    function apply(elem, t) {
      var c = clamp(t.scale, t.x, t.y);
      var kk = k();
      state = { scale: t.scale, x: c.x, y: c.y };
      elem.style.transform = "scale(" + t.scale + ") translate(" + c.x / kk + "px, " + c.y / kk + "px)";
      var zoom = kk * t.scale;
      svg.style.setProperty("--u", String(1 / zoom));
      svg.style.setProperty("--o", String(1 / kk));
      var level = firstLevel;
      for (var i = 0; i < LEVELS.length; i++) if (LEVELS[i] <= zoom + 1e-9) level = i;
      svg.setAttribute("data-level", String(level));
      frame.classList.toggle("zoomed", t.scale > 1.001);
      // The inset takes too much of a narrow map (and its layout, level 0, leaves it no room).
      frame.classList.toggle("narrow", W * kk < 480);
      frame.style.touchAction = t.scale > 1.001 ? "none" : "pan-y";
      scaleBar(kk, t.scale, c);
      insetView(kk, t.scale, c);
    }

    var pz = window.Panzoom(view, {
      setTransform: apply,
      minScale: 1,
      maxScale: Math.max(1, MAX_K / k()),
      step: STEP,
      canvas: true,
      cursor: "grab",
      touchAction: "pan-y",
      handleStartEvent: function (e) {
        if (e.pointerType !== "touch") e.preventDefault();
      },
    });
    frame.style.touchAction = "pan-y";

    // Panzoom's own position may run past the edge during a drag: bring it back in step.
    function settle() {
      var p = pz.getPan(), s = pz.getScale(), c = clamp(s, p.x, p.y);
      if (Math.abs(c.x - p.x) > 0.01 || Math.abs(c.y - p.y) > 0.01) pz.pan(c.x, c.y, { force: true, animate: false });
    }
    view.addEventListener("panzoomend", settle);
    view.addEventListener("panzoomzoom", function () { requestAnimationFrame(settle); });

    function zoomAt(scale, clientX, clientY) {
      hideTip();
      pz.zoomToPoint(Math.min(pz.getOptions().maxScale, Math.max(1, scale)), { clientX: clientX, clientY: clientY });
    }
    function zoomCentre(factor) {
      var r = svg.getBoundingClientRect();
      zoomAt(pz.getScale() * factor, r.left + r.width / 2, r.top + r.height / 2);
    }
    function reset() {
      hideTip();
      pz.reset({ animate: false });
    }

    // The wheel zooms; zoomed out all the way, it scrolls the page as usual.
    frame.addEventListener("wheel", function (e) {
      if (pz.getScale() <= 1.001 && e.deltaY > 0 && !e.ctrlKey) return;
      hideTip();
      pz.zoomWithWheel(e);
    }, { passive: false });
    svg.addEventListener("dblclick", function (e) {
      e.preventDefault();
      zoomAt(pz.getScale() * 2, e.clientX, e.clientY);
    });

    // Controls.
    var tools = document.createElement("div");
    tools.className = "map-tools";
    [["+", text("zoom-in", "Zoom in"), function () { zoomCentre(Math.exp(STEP)); }],
     ["\u2212", text("zoom-out", "Zoom out"), function () { zoomCentre(Math.exp(-STEP)); }],
     ["\u21BA", text("zoom-reset", "Show the whole map"), reset]].forEach(function (b) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = b[0];
      button.setAttribute("aria-label", b[1]);
      button.title = b[1];
      button.addEventListener("click", b[2]);
      tools.appendChild(button);
    });
    var hint = document.createElement("span");
    hint.className = "map-hint";
    hint.textContent = text("keys", "");
    tools.appendChild(hint);
    frame.parentNode.insertBefore(tools, frame.nextSibling);

    // The keyboard, from the map or anything in it.
    frame.tabIndex = 0;
    frame.setAttribute("role", "region");
    frame.setAttribute("aria-label", (svg.querySelector("title") || {}).textContent + ". " + text("keys", ""));
    frame.addEventListener("keydown", function (e) {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      var move = 80, p = pz.getPan(), s = pz.getScale();
      var act = {
        "+": function () { zoomCentre(Math.exp(STEP)); },
        "=": function () { zoomCentre(Math.exp(STEP)); },
        "-": function () { zoomCentre(Math.exp(-STEP)); },
        "_": function () { zoomCentre(Math.exp(-STEP)); },
        "0": reset,
        ArrowLeft: function () { pz.pan(p.x + move / s, p.y, { force: true }); },
        ArrowRight: function () { pz.pan(p.x - move / s, p.y, { force: true }); },
        ArrowUp: function () { pz.pan(p.x, p.y + move / s, { force: true }); },
        ArrowDown: function () { pz.pan(p.x, p.y - move / s, { force: true }); },
        Escape: hideTip,
      }[e.key];
      if (!act) return;
      e.preventDefault();
      act();
      if (e.key.indexOf("Arrow") === 0) requestAnimationFrame(settle);
    });

    // The popup: name, what it is, and a link to its page.
    var tip = document.createElement("div");
    tip.className = "map-tip";
    tip.hidden = true;
    tip.id = (svg.id || fig.id || "map") + "-tip-" + Math.random().toString(36).slice(2, 7);
    frame.appendChild(tip);
    var tipFor = null, hideTimer = 0;
    function showTip(link) {
      clearTimeout(hideTimer);
      if (tipFor === link && !tip.hidden) return;
      tipFor = link;
      tip.textContent = "";
      var name = document.createElement("strong");
      name.textContent = link.getAttribute("data-name");
      tip.appendChild(name);
      var what = link.getAttribute("data-what");
      if (what) {
        var p = document.createElement("span");
        p.textContent = what;
        tip.appendChild(p);
      }
      var a = document.createElement("a");
      a.href = link.getAttribute("href");
      a.textContent = text("open", "Open the page") + " \u2192";
      tip.appendChild(a);
      tip.hidden = false;
      var fr = frame.getBoundingClientRect();
      var target = (link.querySelector(".sym") || link.querySelector(".route") || link).getBoundingClientRect();
      var x = target.left + target.width / 2 - fr.left, y = target.top - fr.top;
      var w = tip.offsetWidth, h = tip.offsetHeight;
      var left = Math.max(4, Math.min(fr.width - w - 4, x - w / 2));
      var top = y - h - 10 >= 4 ? y - h - 10 : Math.min(fr.height - h - 4, target.bottom - fr.top + 10);
      tip.style.left = left + "px";
      tip.style.top = Math.max(4, top) + "px";
    }
    function hideTip() {
      tip.hidden = true;
      tipFor = null;
    }
    function later() {
      clearTimeout(hideTimer);
      hideTimer = setTimeout(hideTip, 250);
    }
    tip.addEventListener("pointerenter", function () { clearTimeout(hideTimer); });
    tip.addEventListener("pointerleave", later);
    tip.addEventListener("pointerdown", function (e) { e.stopPropagation(); });
    var links = svg.querySelectorAll("a.marker-link, a.route-link");
    // tipAtDown: the popup open when the pointer went down, as a tap's focus opens it first.
    var lastPointer = "mouse", downAt = null, moved = false, tipAtDown = null;
    frame.addEventListener("pointerdown", function (e) {
      lastPointer = e.pointerType;
      tipAtDown = tipFor;
      downAt = { x: e.clientX, y: e.clientY };
      moved = false;
    }, true);
    frame.addEventListener("pointermove", function (e) {
      if (downAt && Math.abs(e.clientX - downAt.x) + Math.abs(e.clientY - downAt.y) > 6) moved = true;
    }, true);
    frame.addEventListener("pointerup", function () { downAt = null; }, true);
    links.forEach(function (link) {
      link.addEventListener("pointerenter", function (e) { if (e.pointerType === "mouse") showTip(link); });
      link.addEventListener("pointerleave", function (e) { if (e.pointerType === "mouse") later(); });
      link.addEventListener("focus", function () {
        showTip(link);
        keepInView(link);
      });
      link.addEventListener("blur", later);
      link.addEventListener("click", function (e) {
        // A drag that ends on a marker is a pan, not a click; a first tap shows the popup.
        if (moved) {
          e.preventDefault();
          return;
        }
        if (lastPointer !== "mouse" && tipAtDown !== link) {
          e.preventDefault();
          showTip(link);
        }
      });
    });
    svg.addEventListener("click", function (e) {
      if (!e.target.closest || !e.target.closest("a")) hideTip();
    });
    view.addEventListener("panzoomstart", function (e) {
      var t = e.detail && e.detail.originalEvent && e.detail.originalEvent.target;
      if (!(t && t.closest && t.closest("a"))) hideTip();
    });

    // A double tap zooms in where it lands.
    var lastTap = null;
    frame.addEventListener("pointerup", function (e) {
      if (e.pointerType !== "touch" || moved || (e.target.closest && e.target.closest("a, .map-tip"))) return;
      var now = Date.now();
      if (lastTap && now - lastTap.t < 350 && Math.abs(e.clientX - lastTap.x) + Math.abs(e.clientY - lastTap.y) < 40) {
        zoomAt(pz.getScale() * 2, e.clientX, e.clientY);
        lastTap = null;
      } else {
        lastTap = { t: now, x: e.clientX, y: e.clientY };
      }
    });

    // A marker reached with the keyboard is brought into view.
    function keepInView(link) {
      if (pz.getScale() <= 1.001) return;
      var fr = frame.getBoundingClientRect(), r = (link.querySelector(".sym") || link).getBoundingClientRect();
      if (r.left >= fr.left && r.right <= fr.right && r.top >= fr.top && r.bottom <= fr.bottom) return;
      var p = pz.getPan(), s = pz.getScale();
      var dx = fr.left + fr.width / 2 - (r.left + r.width / 2), dy = fr.top + fr.height / 2 - (r.top + r.height / 2);
      pz.pan(p.x + dx / s, p.y + dy / s, { force: true });
      requestAnimationFrame(settle);
    }

    // The scale bar: a round distance about 90 pixels long at the current zoom.
    var bar = svg.querySelector(".scale-bar");
    function scaleBar(kk, scale) {
      if (!bar || !kmPerUnit) return;
      var perPixel = kmPerUnit / (kk * scale);
      var target = 90 * perPixel, p = Math.pow(10, Math.floor(Math.log10(target)));
      var km = [10, 5, 2, 1].map(function (m) { return m * p; }).filter(function (v) { return v <= target; })[0] || p;
      var len = km / perPixel / kk;
      var left = bar.getAttribute("data-side") !== "-1";
      var x = left ? 10 / kk : W - 10 / kk - len, y = H - 12 / kk;
      bar.querySelector(".scale-line").setAttribute("d", "M" + x + " " + y + "h" + len);
      bar.querySelector("g").setAttribute("transform", "translate(" + (x + len / 2) + " " + y + ")");
      var digits = km >= 1 ? 0 : Math.min(3, Math.ceil(-Math.log10(km)));
      var n = new Intl.NumberFormat(document.documentElement.lang || undefined, { maximumFractionDigits: digits }).format(km);
      bar.querySelector("text").textContent = (bar.getAttribute("data-unit") || "{n} km").replace("{n}", n);
    }

    // The locator inset's frame follows the part of the map in view.
    var insetRect = svg.querySelector(".inset-view");
    function insetView(kk, scale, c) {
      if (!insetRect || inset.length < 3) return;
      var u0 = -c.x / kk, v0 = -c.y / kk, u1 = u0 + W / scale, v1 = v0 + H / scale;
      var w = Math.max(3, (u1 - u0) * inset[2]), h = Math.max(3, (v1 - v0) * inset[2]);
      var cx = inset[0] + (u0 + u1) / 2 * inset[2], cy = inset[1] + (v0 + v1) / 2 * inset[2];
      insetRect.setAttribute("x", cx - w / 2);
      insetRect.setAttribute("y", cy - h / 2);
      insetRect.setAttribute("width", w);
      insetRect.setAttribute("height", h);
    }

    window.addEventListener("resize", function () {
      pz.setOptions({ maxScale: Math.max(1, MAX_K / k()) });
      apply(view, { scale: pz.getScale(), x: pz.getPan().x, y: pz.getPan().y });
    });
    apply(view, { scale: 1, x: 0, y: 0 });
  }
})();
