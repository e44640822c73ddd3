(ids) => {
  const read = (el) => el && {
    title: (el.querySelector(".sz-tip > b") || {}).textContent,
    rows: Array.from(el.querySelectorAll(".sz-tip > div"), (d) => d.textContent),
    tags: Array.from(new Set(Array.from(el.querySelectorAll("*"), (e) => e.tagName))),
    text: el.textContent,
  };
  const out = {};
  for (const id of ids) {
    const layer = L.SzSites.on(map).find((l) => l.indexOf(id) >= 0);
    if (!layer) { out[id] = null; continue; }
    const i = layer.indexOf(id);
    const tooltip = read(layer.openTooltipFor(i));
    layer.closeTooltipFor();
    const popup = read(layer.openPopupFor(i).querySelector(".leaflet-popup-content"));
    map.closePopup();
    out[id] = {tooltip: tooltip, popup: popup};
  }
  return out;
}
