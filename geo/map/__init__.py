"""The map: its model, the Leaflet rendering, basemaps, labels and the map picture."""
