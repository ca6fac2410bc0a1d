// The home page map: a world outline (no tile server is needed) and one
// circle per story, coloured by PLOVER type and sized by killed + injured.
// Story values are only ever set as text, never parsed as HTML.
(function () {
  "use strict";
  var box = document.getElementById("map");
  var data = document.getElementById("map-points");
  if (!box || !data || typeof L === "undefined") return;
  var points = JSON.parse(data.textContent);

  var map = L.map(box, { worldCopyJump: true, minZoom: 1, maxZoom: 10, attributionControl: true });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Natural Earth");
  map.setView([25, 10], 2);

  fetch("/static/vendor/world/countries-110m.geojson")
    .then(function (r) { return r.json(); })
    .then(function (world) {
      L.geoJSON(world, {
        interactive: false,
        style: { color: "#9aa5b1", weight: 0.6, fillColor: "#eef1f4", fillOpacity: 1 }
      }).addTo(map).bringToBack();
    })
    .catch(function () { box.classList.add("no-outline"); });

  function radius(p) {
    var hurt = (p.killed || 0) + (p.injured || 0);
    return 5 + Math.min(25, 4 * Math.sqrt(hurt));
  }

  function popup(p) {
    var div = document.createElement("div");
    div.className = "popup";
    var head = document.createElement("p");
    head.className = "popup-head";
    head.textContent = p.type + (p.location ? " · " + p.location : "") + (p.date ? " · " + p.date : "");
    var link = document.createElement("a");
    link.href = "/stories/" + encodeURIComponent(p.id);
    link.className = "popup-story";
    link.textContent = p.summary;
    div.appendChild(head);
    div.appendChild(link);
    if (p.killed || p.injured) {
      var figures = document.createElement("p");
      figures.textContent = (p.killed || 0) + " killed, " + (p.injured || 0) + " injured";
      div.appendChild(figures);
    }
    return div;
  }

  var layer = L.featureGroup();
  // Biggest circles first so that small ones stay clickable on top.
  points.slice().sort(function (a, b) { return radius(b) - radius(a); }).forEach(function (p) {
    var marker = L.circleMarker([p.lat, p.lon], {
      radius: radius(p), color: "#fff", weight: 1, fillColor: p.colour, fillOpacity: 0.8,
      className: "story-marker"
    });
    // The popup points at the story's place, wherever on its circle the click fell.
    marker.on("click", function () {
      L.popup({ maxWidth: 320 }).setLatLng([p.lat, p.lon]).setContent(popup(p)).openOn(map);
    });
    marker.story = p;
    marker.addTo(layer);
  });
  layer.addTo(map);
  // Name each circle after its story, for links into the map and for tests.
  // Circles are reachable with the keyboard too: Tab to one, Enter opens it.
  layer.eachLayer(function (m) {
    var e = m.getElement();
    if (!e) return;
    e.setAttribute("data-story", m.story.id);
    e.setAttribute("tabindex", "0");
    e.setAttribute("role", "button");
    e.setAttribute("aria-label", m.story.type + ": " + m.story.summary);
    e.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); m.fire("click"); }
    });
  });
  // The 1:110m outline is too coarse for closer views of one place.
  if (points.length) map.fitBounds(layer.getBounds().pad(0.3), { maxZoom: points.length === 1 ? 4 : 5 });
})();
