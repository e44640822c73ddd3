() => {
  const shown = [...document.querySelectorAll('.sz-label')].filter((e) => e.offsetParent);
  const boxes = shown.map((e) => {
    const r = e.getBoundingClientRect();
    return {name: e.textContent, x1: r.left, y1: r.top, x2: r.right, y2: r.bottom};
  });
  const pairs = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i], b = boxes[j];
    if (a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2) pairs.push(a.name + "/" + b.name);
  }
  return {shown: boxes.map((b) => b.name), total: document.querySelectorAll('.sz-label').length,
          pairs: pairs, zoom: map.getZoom()};
}
