// What waits for the map (ui/widgets.py, after_map): the overview's charts and its list of
// sites. The page's main thread is the map frame's too: Plotly's bundle (4.7 MB) is parsed, and
// charts drawn, in one task of a second or more, and hundreds of list entries take half a
// second to mount; drawn with the map they delayed its paint, and right after it its first
// pans and zooms. So their place holds a block of their height, this script and a hidden
// button until the map shows __SITES__ sites (-1: any), painted (or none came within 30 s),
// and, if __VIEW__, until the place has come near the view; then the button is clicked and
// the place's fragment draws them. __KEY__, __WAIT__ (what it waits
// for: a newer wait replaces an older one), __SITES__ and __VIEW__ are put in by the server.
(() => {
  const place = document.querySelector(".st-key-__KEY__");
  // this place already waits for the same (a rerun drew it again)
  if (!place || place.szWaiting === "__WAIT__") return;
  place.szWaiting = "__WAIT__";
  const expected = __SITES__;
  // The button is enabled once the script run has finished. Its click goes no further than
  // the app's root (where React hears it): above it, an open popover would take it for a
  // click outside itself and close.
  const click = (tries) => {
    const button = place.querySelector(".st-key-__KEY____go button");
    if (button && !button.disabled) {
      const root = document.getElementById("root") || document.body;
      const stop = (event) => { if (event.target === button) event.stopPropagation(); };
      root.addEventListener("click", stop);
      button.click();
      root.removeEventListener("click", stop);
      // a click can be lost while another fragment of the page runs: then again, until the
      // place has drawn (its button is gone) or waits for something newer
      setTimeout(() => {
        if (tries > 10 && place.szWaiting === "__WAIT__" &&
            place.querySelector(".st-key-__KEY____go")) {
          click(tries - 10);
        }
      }, 1000);
    }
    else if (tries > 0 && document.contains(place)) { setTimeout(() => click(tries - 1), 100); }
  };
  let painted = false, seen = !__VIEW__, done = false;
  const go = () => {
    if (!done && painted && seen && place.szWaiting === "__WAIT__") { done = true; click(300); }
  };
  const drawn = () => {
    for (const frame of document.querySelectorAll('iframe[src*="streamlit_folium"]')) {
      try {
        const win = frame.contentWindow;
        const state = win.L && win.L.SzSites && win.map ? win.L.SzSites.state(win.map) : null;
        if (state && state.layers > 0 && !state.pending && state.drawn !== null &&
            (expected < 0 || state.sites === expected)) return true;
      } catch (error) { /* not loaded yet */ }
    }
    return false;
  };
  const wait = (tries) => {
    if (!document.contains(place) || place.szWaiting !== "__WAIT__") return;
    if (drawn() || tries <= 0) {  // two frames: the map is on the screen; then a moment more,
      // so that whoever waits for the map's frames (a person's first look, a measurement) gets
      // them before this place's work begins
      requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(() => {
        painted = true;
        go();
      }, 250)));
    } else { setTimeout(() => wait(tries - 1), 50); }
  };
  wait(600);
  if (!seen && "IntersectionObserver" in window) {
    const view = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) { view.disconnect(); seen = true; go(); }
    }, {rootMargin: "300px"});
    view.observe(place);
  } else { seen = true; }
})();
