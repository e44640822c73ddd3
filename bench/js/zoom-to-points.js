(steps) => new Promise((resolve) => {
  const m = window.map;
  const step = (left) => {
    const state = L.SzSites.state(m);
    if (state.mode === "points" || left === 0) {
      resolve({zoom: m.getZoom(), mode: state.mode, shown: state.shown});
      return;
    }
    m.once("moveend", () => requestAnimationFrame(() => step(left - 1)));
    m.setZoom(m.getZoom() + 1, {animate: false});
  };
  step(steps);
})
