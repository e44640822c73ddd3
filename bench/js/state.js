() => {
  const notice = document.querySelector("[data-sz-reconnecting]");
  return {
    connected: !__LOST__,
    running: !document.querySelector(__IDLE__),  // Streamlit's own run state
    exception: !!document.querySelector('[data-testid="stException"]'),
    notice: notice && !notice.hidden ? notice.textContent : "",
    url: location.href,
    loaded_at: performance.timeOrigin,
    events: (window.__szEvents || []).splice(0),
  };
}
