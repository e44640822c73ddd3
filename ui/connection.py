"""What a viewer sees when the page loses its server: a notice, then the page again from its URL.

Streamlit's frontend reconnects its WebSocket by itself, but shows only a small English
"Connecting" in a corner. And when it reconnects to a server that no longer has its session
(its instance was killed or restarted, so nginx sent it to another one), the new session runs
nothing until the next click, which then is overruled by the URL: the page shows what it
showed before, not the data of now. So, in the browser (showing it needs no server): while the
page is not connected, a notice in the viewer's language says so; once connected again, the
page reloads from its URL, which holds every filter (deploy/README.md: "When an instance
fails"). The Manage page does not reload: Streamlit resumes its session (login, an upload in
progress) when the instance is the same one.
"""

from __future__ import annotations

import json

import streamlit as st

from geo.labels import t

# Our own script and text (a label, set as textContent); no record text goes in here.
# `data-test-connection-state` on the stApp element is the frontend's connection state
# (CONNECTED, PINGING_SERVER, CONNECTING, ...); stConnectionStatus is the corner badge.
_SCRIPT = """
<div data-sz-connection-watch></div>
<style>
[data-testid="stElementContainer"]:has([data-sz-connection-watch]) { display: none; }
[data-sz-reconnecting] {
  position: fixed; top: 0; left: 0; right: 0; z-index: 1000200; padding: .7rem 1rem;
  background: #fff4ce; color: #4d3800; border-bottom: 2px solid #c9a227; text-align: center;
  font-size: max(1.05rem, 2vmin); font-weight: 600; }
[data-sz-reconnecting][hidden] { display: none; }
</style>
<script>
(() => {
  window.__szConnection = __SETTINGS__;  // this run's language and page
  const shown = document.querySelector("[data-sz-reconnecting]");
  if (shown) { shown.textContent = window.__szConnection.text; return; }
  const notice = document.createElement("div");
  notice.setAttribute("data-sz-reconnecting", "");
  notice.setAttribute("role", "status");
  notice.hidden = true;
  notice.textContent = window.__szConnection.text;
  document.body.appendChild(notice);
  let lost = false;
  const check = () => {
    const app = document.querySelector('[data-testid="stApp"]');
    const state = app ? app.getAttribute("data-test-connection-state") : null;
    const now = state ? state !== "CONNECTED"
                      : !!document.querySelector('[data-testid="stConnectionStatus"]');
    if (now && !lost) { lost = true; notice.hidden = false; }
    else if (!now && lost) {
      lost = false;
      if (window.__szConnection.reload) { location.reload(); } else { notice.hidden = true; }
    }
  };
  new MutationObserver(check).observe(document.body,
    {subtree: true, childList: true, attributes: true,
     attributeFilter: ["data-test-connection-state"]});
})();
</script>
"""


def connection_watch(lang: str, reload: bool = True) -> None:
    """Install, once per page load, the notice shown while the page has no server and the
    reload from the URL when it has one again (``reload=False``: hide the notice only)."""
    settings = json.dumps({"text": t("reconnecting", lang), "reload": reload}, ensure_ascii=False)
    st.html(
        _SCRIPT.replace("__SETTINGS__", settings.replace("<", "\\u003c")),
        unsafe_allow_javascript=True,
    )
