(expected) => {
  // Per year of a play (the year view's 播放): when the URL first says the year ("url"), when
  // the map first holds that year's sites, none pending ("drawn"), and two of the map frame's
  // animation frames later ("painted"); milliseconds of this page's performance.now().
  const steps = {};
  window.__szYears = steps;
  const mapWindow = () => {
    const frame = Array.from(document.querySelectorAll("iframe"))
      .find((f) => (f.src || "").includes("streamlit_folium"));
    return frame ? frame.contentWindow : null;
  };
  let shown = new URLSearchParams(location.search).get("year");
  clearInterval(window.__szYearsTimer);
  window.__szYearsTimer = setInterval(() => {
    const year = new URLSearchParams(location.search).get("year");
    if (year !== shown) {
      shown = year;
      if (year && !steps[year]) steps[year] = {url: performance.now()};
    }
    const step = year && steps[year];
    if (!step || step.drawn) return;
    let w = null, state = null;
    try {
      w = mapWindow();
      if (w && w.map && w.L && w.L.SzSites) state = w.L.SzSites.state(w.map);
    } catch (error) {
      state = null; // the frame is being replaced
    }
    if (state && !state.pending && state.sites === expected[year]) {
      step.drawn = performance.now();
      w.requestAnimationFrame(() => w.requestAnimationFrame(() => {
        step.painted = performance.now();
      }));
    }
  }, 10);
}
