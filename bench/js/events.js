(() => {
  if (window.top !== window) return;
  const log = window.__szEvents = [];
  const seen = new WeakSet();
  let lost = false, script = null;
  const check = (records) => {
    const now = __LOST__;
    if (now !== lost) {
      lost = now;
      log.push([Date.now(), lost ? "disconnected" : "connected", ""]);
    }
    // every state the script went through since the last call (a short run included)
    const app = document.querySelector('[data-testid="stApp"]');
    const states = (records || [])
      .filter((r) => r.attributeName === "data-test-script-state")
      .map((r) => r.oldValue)
      .concat([app ? app.getAttribute("data-test-script-state") : null]);
    for (const state of states) {
      if (state !== script) {
        script = state;
        log.push([Date.now(), "script", state || ""]);
      }
    }
    for (const el of document.querySelectorAll(
      '[data-testid="stToast"], [data-testid="stException"]'
    )) {
      if (seen.has(el)) continue;
      seen.add(el);
      const kind = el.getAttribute("data-testid") === "stToast" ? "toast" : "exception";
      log.push([Date.now(), kind, (el.textContent || "").slice(0, 300)]);
    }
  };
  new MutationObserver(check).observe(document, {childList: true, subtree: true,
    attributes: true, attributeOldValue: true,
    attributeFilter: ["data-test-connection-state", "data-test-script-state"]});
})();
