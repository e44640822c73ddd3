/* The district's shapes on the map (geo/map/leaflet.py, build_base_map): the subdistrict areas
 * (L.szAreas) and the district's outline (L.szOutline). Put in the map's script
 * first (geo.map.leaflet._MapCode); each map's element calls them with its GeoJSON and styles as data.
 */

/* The subdistrict areas: a click returns the area's feature (its `code`), the tooltip is its
 * name as text. Drawn by Leaflet itself from GeoJSON serialised once per map (folium.GeoJson
 * serialised it three times per rerun and walked every vertex for the map's bounds).
 * `dashed` styles the areas drawn from estimated seats, `solid` the official ones. */
L.szAreas = function (group, data, dashed, solid) {
  function style(feature) { return feature.properties.schematic ? dashed : solid; }
  group.addLayer(L.geoJSON(data, {
    style: style,
    onEachFeature: function (feature, layer) {
      layer.bindTooltip(function () {
        var div = document.createElement("div");
        div.textContent = feature.properties.label;
        return div;
      }, {sticky: true, className: "foliumtooltip"});
      layer.on("mouseover", function () { layer.setStyle({weight: 2.5, fillOpacity: 0.4}); });
      layer.on("mouseout", function () { layer.setStyle(style(feature)); });
    }
  }));
};

/* The district's outline (not interactive). */
L.szOutline = function (group, data, style) {
  group.addLayer(L.geoJSON(data, {
    style: function () { return L.extend({}, style); }, interactive: false}));
};
