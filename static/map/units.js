/* The placed villages and communities on the map (geo/map/leaflet.py, build_unit_layer, whose
 * element calls L.szUnits). Put in the map's script first (_MapCode).
 *
 * Villages are squares, communities diamonds; names are tooltips, shown on the map from zoom 15
 * on. Names are set as textContent (never markup).
 *
 * L.szUnits(group, points): `group` the layer, `points` [lat, lon, name, unit type] each.
 */
L.szUnits = function (group, points) {
  var map = null, markers = [];
  points.forEach(function (p) {
    var span = document.createElement("span");
    span.className = "sz-unit " + (p[3] === "village" ? "sz-unit-village" : "sz-unit-community");
    var marker = L.marker([p[0], p[1]], {
      icon: L.divIcon({html: span, className: "", iconSize: [12, 12], iconAnchor: [6, 6]}),
      keyboard: false,
    });
    var label = document.createElement("div");
    label.textContent = p[2];
    marker.bindTooltip(label, {direction: "right", offset: [6, 0], className: "sz-unit-label"});
    markers.push(marker);
    group.addLayer(marker);
  });
  function names() {
    if (!map) return;
    var show = map.getZoom() >= 15;
    markers.forEach(function (m) {
      var tip = m.getTooltip();
      if (tip.options.permanent !== show) {
        m.unbindTooltip();
        m.bindTooltip(tip._content, Object.assign({}, tip.options, {permanent: show}));
      }
    });
  }
  group.on("add", function () { map = group._map; map.on("zoomend", names); names(); });
  group.on("remove", function () { if (map) map.off("zoomend", names); map = null; });
};
