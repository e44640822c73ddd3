() => {
  const out = {};
  for (const layer of L.SzSites.on(map)) {
    (layer.d.id || []).forEach((id, i) => {
      const p = layer.latLngOf(i);
      out[id] = [p.lat, p.lng];
    });
  }
  return out;
}
