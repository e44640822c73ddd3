// While the page has no server, a notice in the viewer's language says so; once connected
// again, the page clicks the hidden rerun button, or loads again from its URL if the session
// that answers is not the one that drew the page (ui/connection.py, connection_watch, which
// puts in the button's key and this run's label). Our own script and text: the label is set
// as textContent; no record text goes in here. `data-test-connection-state` on the stApp
// element is the frontend's connection state (CONNECTED, PINGING_SERVER, CONNECTING, ...);
// stConnectionStatus is the corner badge.
(() => {
  window.__szConnectionText = __TEXT__;  // this run's language
  const shown = document.querySelector("[data-sz-reconnecting]");
  if (shown) { shown.textContent = window.__szConnectionText; return; }
  const notice = document.createElement("div");
  notice.setAttribute("data-sz-reconnecting", "");
  notice.setAttribute("role", "status");
  notice.hidden = true;
  notice.textContent = window.__szConnectionText;
  document.body.appendChild(notice);
  const rerun = (tries) => {  // widgets are enabled again a moment after the connection
    const button = document.querySelector(".st-key-__RERUN__ button");
    if (button && !button.disabled) { button.click(); }
    else if (tries > 0) { setTimeout(() => rerun(tries - 1), 100); }
  };
  const token = () => {
    const el = document.querySelector("[data-sz-session]");
    return el ? el.getAttribute("data-sz-session") : null;
  };
  let lost = false, before = null, waiting = false;
  const check = () => {
    const app = document.querySelector('[data-testid="stApp"]');
    const state = app ? app.getAttribute("data-test-connection-state") : null;
    const now = state ? state !== "CONNECTED"
                      : !!document.querySelector('[data-testid="stConnectionStatus"]');
    if (now && !lost) { lost = true; before = token(); notice.hidden = false; }
    else if (!now && lost) { lost = false; waiting = true; notice.hidden = true; rerun(100); }
    // the session that answers is not the one that drew this page: draw it again from its URL
    if (waiting && !lost && before && token() && token() !== before) {
      waiting = false;
      location.reload();
    }
  };
  new MutationObserver(check).observe(document.body,
    {subtree: true, childList: true, attributes: true,
     attributeFilter: ["data-test-connection-state", "data-sz-session"]});
})();
