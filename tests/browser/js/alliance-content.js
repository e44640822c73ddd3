(ids) => {
  const out = {};
  for (const k in map._layers) {
    const g = map._layers[k];
    if (!(g instanceof L.GeoJSON) || !g.getTooltip()) continue;
    for (const l of g.getLayers()) {
      const p = l.feature && l.feature.properties;
      if (!p || p.layer !== "alliance" || !ids.includes(p.id)) continue;
      g.openTooltip(l.getCenter ? l.getCenter() : undefined);
      const el = g.getTooltip().getElement();
      out[p.id] = {
        text: el.textContent.trim(),
        tags: Array.from(new Set(Array.from(el.querySelectorAll("*"), (e) => e.tagName))),
      };
      g.closeTooltip();
    }
  }
  return out;
}
