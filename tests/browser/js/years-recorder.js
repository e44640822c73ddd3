() => {
  // What the page shows over time: [the URL's year, the sites the map has drawn], one entry per
  // change (a drawing still pending is not a state), into window.__seen.
  window.__seen = [];
  const mapWindow = () => {
    const frame = Array.from(document.querySelectorAll("iframe"))
      .find((f) => (f.src || "").includes("streamlit_folium"));
    return frame ? frame.contentWindow : null;
  };
  clearInterval(window.__seenTimer);
  window.__seenTimer = setInterval(() => {
    let sites = null;
    try {
      const w = mapWindow();
      if (w && w.map && w.L && w.L.SzSites) {
        const state = w.L.SzSites.state(w.map);
        sites = state && !state.pending ? state.sites : null;
      }
    } catch (error) {
      sites = null; // the frame is being replaced
    }
    if (sites === null) return;
    const year = new URLSearchParams(location.search).get("year");
    const last = window.__seen[window.__seen.length - 1];
    if (!last || last[0] !== year || last[1] !== sites) window.__seen.push([year, sites]);
  }, 50);
}
