// Holds the first look's trigger (ui/firstlook.py, under the overview's map; __FIRST_LOOK__ is
// its place): its clicks are counted in window.__szHeld, not passed on, until the test sets
// window.__szRelease. The page's own clicks pass as ever. Runs before the page's scripts.
(() => {
  const click = HTMLElement.prototype.click;
  HTMLElement.prototype.click = function () {
    if (!window.__szRelease && this.closest && this.closest("__FIRST_LOOK__")) {
      window.__szHeld = (window.__szHeld || 0) + 1;
      return;
    }
    return click.call(this);
  };
})();
