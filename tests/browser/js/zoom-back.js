() => new Promise((resolve) => {
  const c = map._szSites, states = [];
  const direct = () => {
    const size = c._bounds.getSize(), origin = map.getPixelOrigin();
    const scale = 256 * Math.pow(2, c._zoom), ratio = c._ratio;
    const fresh = document.createElement("canvas");
    fresh.width = c._container.width;
    fresh.height = c._container.height;
    c._stamp(fresh.getContext("2d"), c.sites.map(() => null), scale,
             origin.x + c._bounds.min.x, origin.y + c._bounds.min.y, ratio);
    return fresh.toDataURL();
  };
  const blank = document.createElement("canvas");
  blank.width = c._container.width;
  blank.height = c._container.height;
  const first = c._container.toDataURL(), firstDirect = direct();
  states.push(L.SzSites.state(map));
  map.once("moveend", () => {
    states.push(L.SzSites.state(map));
    map.once("moveend", () => {
      states.push(L.SzSites.state(map));
      const back = c._container.toDataURL(), again = direct();
      const group = window.feature_group.find((g) => g.getLayers().some(
        (l) => l instanceof L.SzSites && l.n > 0));
      group.removeLayer(group.getLayers().find((l) => l instanceof L.SzSites && l.n > 0));
      Promise.resolve().then(() => {
        states.push(L.SzSites.state(map));
        resolve({states, first, firstDirect, back, again, blank: blank.toDataURL(),
                 after: c._container.toDataURL(), afterDirect: direct()});
      });
    });
    map.setZoom(map.getZoom() - 1, {animate: false});
  });
  map.setZoom(map.getZoom() + 1, {animate: false});
})
