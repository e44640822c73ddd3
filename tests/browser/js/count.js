() => {
  const m = window.map;
  if (!m || !m._layers || typeof L === "undefined" || !L.SzSites) return null;
  const state = L.SzSites.state(m);
  let areas = 0;
  for (const id in m._layers) {
    const layer = m._layers[id];
    const props = layer && layer.feature && layer.feature.properties;
    if (props && Object.prototype.hasOwnProperty.call(props, "code")) areas += 1;
  }
  return {sites: state && !state.pending ? state.sites : null, areas: areas};
}
