// The stories map: a world outline (no tile server is needed) and one
// circle per story, coloured by PLOVER type and sized by killed + injured.
// It opens on the stories' bounds. Circles that would overlap at the current
// zoom are drawn as one cluster circle with a count: clicking it zooms in on
// its stories, or lists them when they share one place. The larger circles
// carry their place's name wherever a label fits without covering another.
// Story values are only ever set as text, never parsed as HTML.
(function () {
  "use strict";
  var box = document.getElementById("map");
  var data = document.getElementById("map-points");
  if (!box || !data || typeof L === "undefined") return;
  var points = JSON.parse(data.textContent);
  var CLUSTER_PX = 44;   // circles whose centres are closer than this are merged
  var MAX_ZOOM = 10;

  var map = L.map(box, { worldCopyJump: true, minZoom: 1, maxZoom: MAX_ZOOM, attributionControl: true });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Natural Earth");

  fetch("/static/vendor/world/countries-110m.geojson")
    .then(function (r) { return r.json(); })
    .then(function (world) {
      L.geoJSON(world, {
        interactive: false,
        style: { color: "#9aa5b1", weight: 0.6, fillColor: "#eef1f4", fillOpacity: 1 }
      }).addTo(map).bringToBack();
    })
    .catch(function () { box.classList.add("no-outline"); });

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function hurt(p) { return (p.killed || 0) + (p.injured || 0); }
  function radius(p) { return 5 + Math.min(25, 4 * Math.sqrt(hurt(p))); }

  function entry(p) {
    var div = el("div", "popup-entry");
    div.appendChild(el("p", "popup-head", p.type + (p.location ? " · " + p.location : "") + (p.date ? " · " + p.date : "")));
    var link = el("a", "popup-story", p.headline || p.summary);
    link.href = "/stories/" + encodeURIComponent(p.id);
    div.appendChild(link);
    if (p.headline && p.summary && p.summary !== p.headline) div.appendChild(el("p", "popup-summary", p.summary));
    if (p.killed || p.injured) div.appendChild(el("p", "popup-figures", (p.killed || 0) + " killed, " + (p.injured || 0) + " injured"));
    return div;
  }

  function popup(members) {
    var div = el("div", "popup");
    if (members.length > 1) div.appendChild(el("p", "popup-count", members.length + " stories here"));
    members.forEach(function (p) { div.appendChild(entry(p)); });
    return div;
  }

  // The most common value of a field among a cluster's stories.
  function commonest(members, field) {
    var counts = {}, best = null;
    members.forEach(function (p) {
      var v = p[field];
      if (!v) return;
      counts[v] = (counts[v] || 0) + 1;
      if (best === null || counts[v] > counts[best]) best = v;
    });
    return best;
  }

  // Greedy clustering in screen space, biggest circles first, with a grid so
  // that each circle is compared with the clusters of its neighbouring cells only.
  function clusters() {
    var grid = {}, out = [];
    var order = points.slice().sort(function (a, b) { return hurt(b) - hurt(a); });
    order.forEach(function (p) {
      var at = map.project([p.lat, p.lon]);
      var gx = Math.floor(at.x / CLUSTER_PX), gy = Math.floor(at.y / CLUSTER_PX), found = null;
      for (var dx = -1; dx <= 1 && !found; dx++) {
        for (var dy = -1; dy <= 1 && !found; dy++) {
          (grid[(gx + dx) + ":" + (gy + dy)] || []).some(function (c) {
            if (c.at.distanceTo(at) < CLUSTER_PX) { found = c; return true; }
            return false;
          });
        }
      }
      if (found) { found.members.push(p); return; }
      var c = { at: at, members: [p] };
      (grid[gx + ":" + gy] = grid[gx + ":" + gy] || []).push(c);
      out.push(c);
    });
    return out;
  }

  function samePlace(members) {
    return members.every(function (p) {
      return Math.abs(p.lat - members[0].lat) < 1e-4 && Math.abs(p.lon - members[0].lon) < 1e-4;
    });
  }

  function open(members, latlng) {
    L.popup({ maxWidth: 340, maxHeight: 320 }).setLatLng(latlng).setContent(popup(members)).openOn(map);
  }

  function keyboard(marker, label) {
    var e = marker.getElement();
    if (!e) return e;
    e.setAttribute("tabindex", "0");
    e.setAttribute("role", "button");
    e.setAttribute("aria-label", label);
    e.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); marker.fire("click"); }
    });
    return e;
  }

  var layer = L.featureGroup().addTo(map);
  var labelled = [];  // screen boxes of the labels placed so far

  // A label where it covers no other label; the biggest circles are labelled first.
  function label(latlng, name, at, r) {
    if (!name) return;
    var w = 7 * name.length + 10, h = 18;
    var rect = { x: at.x + r + 2, y: at.y - h / 2, w: w, h: h };
    var clash = labelled.some(function (o) {
      return rect.x < o.x + o.w && o.x < rect.x + rect.w && rect.y < o.y + o.h && o.y < rect.y + rect.h;
    });
    if (clash) return;
    labelled.push(rect);
    L.tooltip({ permanent: true, direction: "right", offset: [r, 0], className: "place-label", interactive: false })
      .setLatLng(latlng).setContent(el("span", "", name)).addTo(layer);
  }

  function draw() {
    layer.clearLayers();
    labelled = [];
    var groups = clusters();
    groups.sort(function (a, b) { return b.members.length - a.members.length || radius(b.members[0]) - radius(a.members[0]); });
    // Drawn smallest last, so that small circles stay clickable on top.
    var drawn = [];
    groups.forEach(function (c) {
      var members = c.members, lead = members[0];
      var latlng = members.length === 1 ? [lead.lat, lead.lon] : map.unproject(c.at);
      var marker, r;
      if (members.length === 1) {
        r = radius(lead);
        marker = L.circleMarker(latlng, {
          radius: r, color: "#fff", weight: 1, fillColor: lead.colour, fillOpacity: 0.8, className: "story-marker"
        });
        // The popup points at the story's place, wherever on its circle the click fell.
        marker.on("click", function () { open(members, latlng); });
      } else {
        r = Math.min(20, 10 + 1.5 * Math.sqrt(members.length));
        var commonType = commonest(members, "type");
        var colour = (members.filter(function (p) { return p.type === commonType; })[0] || lead).colour;
        marker = L.circleMarker(latlng, {
          radius: r, color: "#263238", weight: 2, fillColor: colour, fillOpacity: 0.85, className: "story-cluster"
        });
        marker.bindTooltip(el("span", "", String(members.length)), {
          permanent: true, direction: "center", className: "cluster-count", interactive: false
        });
        marker.on("click", function () {
          if (samePlace(members) || map.getZoom() >= MAX_ZOOM) { open(members, latlng); return; }
          map.fitBounds(L.latLngBounds(members.map(function (p) { return [p.lat, p.lon]; })).pad(0.3));
        });
      }
      marker.members = members;
      marker.addTo(layer);
      var name = members.length === 1 ? lead.location : commonest(members, "location");
      label(latlng, name, c.at, r);
      drawn.push(marker);
    });
    drawn.forEach(function (m) {
      var members = m.members, e;
      if (members.length === 1) {
        e = keyboard(m, members[0].type + ": " + (members[0].headline || members[0].summary));
        if (e) e.setAttribute("data-story", members[0].id);
      } else {
        e = keyboard(m, members.length + " stories" + (commonest(members, "location") ? " around " + commonest(members, "location") : ""));
        if (e) e.setAttribute("data-stories", members.map(function (p) { return p.id; }).join(" "));
      }
    });
    box.setAttribute("data-markers", String(drawn.length));
  }

  // Open on the stories: their bounds, not the world. The 1:110m outline is
  // too coarse for closer views of one place.
  if (points.length) {
    var bounds = L.latLngBounds(points.map(function (p) { return [p.lat, p.lon]; }));
    map.fitBounds(bounds.pad(0.15), { maxZoom: points.length === 1 ? 4 : 6 });
  } else {
    map.setView([25, 10], 2);
  }
  draw();
  map.on("zoomend", draw);
})();
