(cls) => {
  for (const id in map._layers) {
    const layer = map._layers[id];
    const icon = layer.options && layer.options.icon;
    if (icon && icon.options && icon.options.className === cls && layer.getLatLng) {
      const p = layer.getLatLng();
      return [p.lat, p.lng];
    }
  }
  return null;
}
