"""What a viewer sees when the page loses its server: a notice, then the page's view again.

Streamlit's frontend reconnects its WebSocket by itself, but shows only a small English
"Connecting" in a corner. And when it reconnects to a server that no longer has its session
(its instance was killed or restarted, so nginx sent it to another one), the new session runs
nothing until the next click, and then draws widgets that need not match the page. So, in the
browser (showing it needs no server): while the page is not connected, a notice in the
viewer's language says so; once connected again, the page clicks a hidden button (a rerun).
Each session draws its own random token into the page: if the token that comes back is not
the one from before, the session is new and the page loads again from its URL, which holds
every filter; if it is the same (Streamlit resumed the session, with its login and uploads),
the rerun changed nothing (deploy/README.md: "When an instance fails").
"""

from __future__ import annotations

import json
import secrets

import streamlit as st

from geo.text.labels import t

KEY = "sz_connection"
_RERUN_KEY = "sz_reconnected"
_TOKEN = "sz_session_token"
# Never shown (its container is hidden); the same in both languages, so that the button is
# the same widget whatever the language of the session that answers its click.
_RERUN_LABEL = "刷新页面"
# Our own script and text (a label, set as textContent); no record text goes in here.
# `data-test-connection-state` on the stApp element is the frontend's connection state
# (CONNECTED, PINGING_SERVER, CONNECTING, ...); stConnectionStatus is the corner badge.
_SCRIPT = """
<style>
.st-key-__KEY__ { display: none; }
[data-sz-reconnecting] {
  position: fixed; top: 0; left: 0; right: 0; z-index: 1000200; padding: .7rem 1rem;
  background: #fff4ce; color: #4d3800; border-bottom: 2px solid #c9a227; text-align: center;
  font-size: max(1.05rem, 2vmin); font-weight: 600; }
[data-sz-reconnecting][hidden] { display: none; }
</style>
<div data-sz-session="__TOKEN__"></div>
<script>
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
</script>
"""


def connection_watch(lang: str) -> None:
    """Install, once per page load, the notice shown while the page has no server, and the
    rerun (and the reload if the session is new) when it has one again."""
    token = st.session_state.setdefault(_TOKEN, secrets.token_hex(8))
    text = json.dumps(t("reconnecting", lang), ensure_ascii=False).replace("<", "\\u003c")
    script = _SCRIPT.replace("__KEY__", KEY).replace("__RERUN__", _RERUN_KEY)
    with st.container(key=KEY):
        st.html(
            script.replace("__TOKEN__", token).replace("__TEXT__", text),
            unsafe_allow_javascript=True,
        )
        st.button(_RERUN_LABEL, key=_RERUN_KEY)
