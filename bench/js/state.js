() => {
  const notice = document.querySelector("[data-sz-reconnecting]");
  return {
    connected: !__LOST__,
    // Streamlit's own run state (its "running" icon shows only after 0.5 s of a run)
    running: !document.querySelector('[data-testid="stApp"][data-test-script-state="notRunning"]'),
    exception: !!document.querySelector('[data-testid="stException"]'),
    notice: notice && !notice.hidden ? notice.textContent : "",
    url: location.href,
    loaded_at: performance.timeOrigin,
    events: (window.__szEvents || []).splice(0),
  };
}
