([code, candidates]) => {
  const m = window.map, size = m.getSize(), box = m.getContainer().getBoundingClientRect();
  // only once the map is still and every path is drawn where it is now (a renderer with a
  // redraw pending still hit-tests the shapes of the view before)
  if (m._animatingZoom || (m._panAnim && m._panAnim._inProgress)) return null;
  for (const id in m._layers) {
    const r = m._layers[id]._renderer;
    if (r && (r._redrawRequest || r._redrawBounds)) return null;
  }
  for (const [lat, lon] of candidates) {
    const p = m.latLngToContainerPoint([lat, lon]);
    if (p.x < 20 || p.y < 20 || p.x > size.x - 20 || p.y > size.y - 20) continue;
    const at = m.containerPointToLayerPoint(p); // paths hit-test in layer points
    const hits = [];
    for (const id in m._layers) {
      const layer = m._layers[id];
      if (!layer._containsPoint || layer.options.interactive === false || !layer._map) continue;
      // a margin around the point so a marker's edge or a hull's border is not close by
      const near = [[0, 0], [12, 0], [-12, 0], [0, 12], [0, -12]].some(
        ([dx, dy]) => layer._containsPoint(L.point(at.x + dx, at.y + dy)));
      if (near) hits.push(layer.feature ? layer.feature.properties : {});
    }
    const top = document.elementFromPoint(box.left + p.x, box.top + p.y);
    if (hits.length === 1 && hits[0].code === code && top && top.tagName === "CANVAS") {
      return {x: p.x, y: p.y, left: box.left, top: box.top};
    }
  }
  return null;
}
