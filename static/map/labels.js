/* The subdistrict names of the map (geo/map/leaflet.py: the "labels" layer of build_base_map,
 * whose element calls L.szLabels). Put in the map's script first (_MapCode).
 *
 * One element for every name (not one Marker + DivIcon each); names are set as textContent.
 * Labels never overlap: after every zoom or move each label takes the first free place around
 * its seat (above, below, beside, then farther out with a leader line), avoiding the labels
 * already placed and every seat (where a subdistrict's indicative sites are fanned out);
 * a label with no free place is hidden at that zoom. Placement is greedy, in the order given
 * (small, crowded areas first). Leaflet has no label collision handling of its own, and a
 * plugin for it would be one more asset to vendor for one list of 17 names.
 *
 * L.szLabels(group, points): `group` the labels' feature group, `points` [lat, lon, name] each.
 */
L.szLabels = function (group, points) {
  var GAP = 3, SEAT = 9;
  var items = points.map(function (p) {
    var box = document.createElement("div"), line = document.createElement("div");
    var div = document.createElement("div");
    box.className = "sz-label-anchor"; line.className = "sz-leader";
    div.className = "sz-label"; div.textContent = p[2];
    box.appendChild(line); box.appendChild(div);
    var marker = L.marker([p[0], p[1]], {
      icon: L.divIcon({html: box, className: "", iconSize: [0, 0], iconAnchor: [0, 0]}),
      interactive: false, keyboard: false
    });
    group.addLayer(marker);
    return {marker: marker, box: box, line: line, label: div};
  });
  // label centre offsets from the seat, as multiples of (half width + gap, half height + gap);
  // the outer rings are reached with a leader line
  var NEAR = [[0, -1], [0, 1], [1, 0], [-1, 0], [1, -1], [-1, -1], [1, 1], [-1, 1]];
  var RINGS = [[0, 0], [24, 18], [44, 32]];
  function overlaps(a, b) {
    return a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
  }
  function place() {
    var map = group._map;
    if (!map) return;
    var size = map.getSize(), taken = [], seats = items.map(function (item) {
      return map.latLngToContainerPoint(item.marker.getLatLng());
    });
    seats.forEach(function (s) {
      taken.push({x1: s.x - SEAT, y1: s.y - SEAT, x2: s.x + SEAT, y2: s.y + SEAT});
    });
    var dots = [];  // the markers drawn now (while few), so that no name covers a site
    map.eachLayer(function (layer) {
      if (dots.length <= 2000 && layer instanceof L.CircleMarker) dots.push(layer);
    });
    if (dots.length <= 2000) dots.forEach(function (dot) {
      var c = map.latLngToContainerPoint(dot.getLatLng()), r = dot.getRadius() + 1;
      taken.push({x1: c.x - r, y1: c.y - r, x2: c.x + r, y2: c.y + r});
    });
    items.forEach(function (item, i) {
      item.box.style.display = "";
      // the label's size, rounded up, plus a pixel of clearance all round
      var rect = item.label.getBoundingClientRect(), s = seats[i], found = null;
      var w = Math.ceil(rect.width) + 2, h = Math.ceil(rect.height) + 2;
      for (var r = 0; r < RINGS.length && !found; r++) {
        for (var k = 0; k < NEAR.length && !found; k++) {
          var dx = NEAR[k][0] * (w / 2 + GAP + SEAT + RINGS[r][0]);
          var dy = NEAR[k][1] * (h / 2 + GAP + SEAT + RINGS[r][1]);
          var b = {x1: s.x + dx - w / 2, y1: s.y + dy - h / 2, x2: s.x + dx + w / 2,
                   y2: s.y + dy + h / 2};
          if (b.x1 < 0 || b.y1 < 0 || b.x2 > size.x || b.y2 > size.y) continue;
          if (!taken.some(function (t) { return overlaps(b, t); })) found = [dx, dy, b, r];
        }
      }
      if (!found) { item.box.style.display = "none"; return; }
      taken.push(found[2]);
      item.label.style.left = (found[0] - w / 2 + 1) + "px";
      item.label.style.top = (found[1] - h / 2 + 1) + "px";
      var length = Math.sqrt(found[0] * found[0] + found[1] * found[1]);
      item.line.style.display = found[3] > 0 ? "" : "none";
      item.line.style.width = Math.max(0, length - Math.min(w, h) / 2) + "px";
      item.line.style.transform = "rotate(" + Math.atan2(found[1], found[0]) + "rad)";
    });
  }
  var map = group._map, pending = false;
  function later() {  // once per frame, after a layer of markers came or went
    if (pending) return;
    pending = true;
    L.Util.requestAnimFrame(function () { pending = false; place(); });
  }
  function watch(m) {
    m.on("zoomend moveend resize", place);
    m.on("layeradd layerremove", later);
    m.whenReady(place);
    if (document.fonts) document.fonts.ready.then(place);  // widths change once fonts load
  }
  if (map) watch(map);
  group.on("add", function () { watch(group._map); place(); });
  group.on("remove", function () {
    if (map) { map.off("zoomend moveend resize", place); map.off("layeradd layerremove", later); }
  });
};
