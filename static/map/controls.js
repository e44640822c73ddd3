/* The map's own controls (geo/map/leaflet.py, build_base_map): the button to the dense urban
 * core and back (L.szCoreView), the legend (L.szLegend), folding the controls on a small map
 * (L.szNarrow) and dropping basemap tiles that cannot load, with a notice (L.szTileFallback).
 * Put in the map's script first (geo.map.leaflet._MapCode); each map's element calls them
 * with its values as data. Labels are set as textContent; only the legend's own markup (built
 * and escaped on the server) is HTML.
 */

/* A button that fits the view to the dense urban core (its small subdistricts, whose names
 * are readable there) and back to the whole district. `core` and `all` are bounds, `labels`
 * the button's text for each view and its title. */
L.szCoreView = function (map, core, all, labels) {
  var inCore = false;
  var control = L.control({position: "topleft"});
  control.onAdd = function () {
    var button = L.DomUtil.create("button", "sz-core-button");
    button.type = "button";
    button.textContent = labels[0];
    button.title = labels[2];
    L.DomEvent.disableClickPropagation(button);
    L.DomEvent.on(button, "click", function () {
      inCore = !inCore;
      map.fitBounds(inCore ? core : all, {padding: [12, 12]});
      button.textContent = labels[inCore ? 1 : 0];
    });
    return button;
  };
  control.addTo(map);
};

/* The legend, bottom right: `content` is its markup, made and escaped by the server. */
L.szLegend = function (map, content) {
  var legend = L.control({position: "bottomright"});
  legend.onAdd = function () {
    var div = L.DomUtil.create("div", "sz-legend");
    div.innerHTML = content;
    L.DomEvent.disableClickPropagation(div);
    return div;
  };
  legend.addTo(map);
};

/* On a small map (a phone, a laptop's first screen), the layer list and the legend's colours
 * start folded, so that they do not cover the map or each other: a tap on the layers button
 * or the legend's heading opens them. */
L.szNarrow = function (map) {
  map.whenReady(function () {
    setTimeout(function () {
      var size = map.getSize();
      if (size.x >= 600 && size.y >= 560) return;
      var root = map.getContainer();
      root.querySelectorAll(".sz-legend details").forEach(function (d) { d.open = false; });
      root.querySelectorAll(".leaflet-control-layers-expanded").forEach(function (c) {
        c.classList.remove("leaflet-control-layers-expanded");
        var toggle = c.querySelector(".leaflet-control-layers-toggle");
        if (toggle) L.DomEvent.on(toggle, "click", function (e) {
          L.DomEvent.preventDefault(e);
          c.classList.toggle("leaflet-control-layers-expanded");
        });
      });
    }, 0);
  });
};

/* Basemap tiles that cannot load (no network, a rejected key): once four tiles failed and none
 * loaded, every tile layer is dropped and a notice (`message`, as text) says so; the map stays
 * as it is offline. Returns the handlers the map's tile layers call: `error` on each
 * failed tile, `load` on each loaded one. */
L.szTileFallback = function (map, message) {
  var errors = 0, loads = 0, dropped = false;
  function drop() {
    if (dropped || loads > 0 || ++errors < 4) return;
    dropped = true;
    map.eachLayer(function (layer) { if (layer instanceof L.TileLayer) map.removeLayer(layer); });
    var notice = L.control({position: "topleft"});
    notice.onAdd = function () {
      var div = L.DomUtil.create("div", "sz-notice");
      div.textContent = message;
      return div;
    };
    notice.addTo(map);
  }
  return {error: drop, load: function () { loads++; }};
};
