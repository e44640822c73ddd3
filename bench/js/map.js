(id) => {
  const m = window.map;
  if (!m || !m._layers || typeof L === "undefined" || !L.SzSites) return null;
  const state = L.SzSites.state(m);
  if (!state || state.pending) return null;
  let name = null;
  const versions = {};
  for (const l of L.SzSites.on(m)) {
    if (!l.n) continue;
    versions[l.v] = true;
    const i = id === null ? -1 : l.indexOf(id);
    if (i >= 0) name = l.content(i).querySelector("b").textContent;
  }
  return {n: state.sites, versions: Object.keys(versions).map(Number).sort(), name: name};
}
