(kind) => new Promise((resolve) => {
  const m = window.map;
  const t0 = performance.now();
  m.once("moveend", () => requestAnimationFrame(() => requestAnimationFrame(
    () => resolve(performance.now() - t0))));
  if (kind === "pan") m.panBy([200, 100], {animate: false});
  else if (kind === "pan_back") m.panBy([-200, -100], {animate: false});
  else if (kind === "zoom_in") m.setZoom(m.getZoom() + 1, {animate: false});
  else m.setZoom(m.getZoom() - 1, {animate: false});
})
