// Escape (anywhere on the page but in a text field, a menu or a dialog) focuses the entry of
// the chosen site in the site list (ui/sitelist.py, site_panel, which puts in the entry's class
// as a JSON string, empty while no site is chosen). Run in the app's own document (no frame: a
// frame of its own would be a document without a title or a language for screen readers),
// replacing the listener an earlier run installed.
(() => {
  const doc = document, win = window, target = __TARGET__;
  if (win.__szSiteEscape) doc.removeEventListener("keydown", win.__szSiteEscape, true);
  win.__szSiteEscape = (event) => {
    if (event.key !== "Escape" || !target) return;
    const active = doc.activeElement;
    if (active && active.closest(
      'input, textarea, select, [role="combobox"], [role="listbox"], [role="dialog"],'
      + ' [data-baseweb="popover"]')) return;
    const button = doc.querySelector("." + target + " button");
    if (button) { button.focus(); event.preventDefault(); }
  };
  doc.addEventListener("keydown", win.__szSiteEscape, true);
})();
