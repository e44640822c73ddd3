() => new Promise((resolve) => {
  // Every zoom level "too large to keep whole" (as at 100,000 sites zoomed in): zoom in and
  // back out; the drawing copied back must be exactly the sites stamped directly.
  const c = map._szSites, states = [];
  c._level = function () { this._levelTooLarge = true; return null; };
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
  c._reset();  // drawn again, its window kept
  states.push(L.SzSites.state(map));
  map.once("moveend", () => {
    states.push(L.SzSites.state(map));
    map.once("moveend", () => {
      states.push(L.SzSites.state(map));
      resolve({states, windows: c.windows.length, back: c._container.toDataURL(),
               again: direct(), blank: blank.toDataURL()});
    });
    map.setZoom(map.getZoom() - 1, {animate: false});
  });
  map.setZoom(map.getZoom() + 1, {animate: false});
})
