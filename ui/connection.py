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

from geo.config import STATIC_DIR
from geo.text.labels import t

KEY = "sz_connection"
_RERUN_KEY = "sz_reconnected"
_TOKEN = "sz_session_token"
# Never shown (its container is hidden); the same in both languages, so that the button is
# the same widget whatever the language of the session that answers its click.
_RERUN_LABEL = "刷新页面"
# Our own style and script (static/ui/connection.css, connection.js) and text (a label, set as
# textContent); no record text goes in here. The tokens __KEY__, __RERUN__, __TOKEN__ and
# __TEXT__ are put in by connection_watch.
_SCRIPT = (
    f"\n<style>\n{(STATIC_DIR / 'ui' / 'connection.css').read_text(encoding='utf-8')}</style>\n"
    '<div data-sz-session="__TOKEN__"></div>\n'
    f"<script>\n{(STATIC_DIR / 'ui' / 'connection.js').read_text(encoding='utf-8')}</script>\n"
)


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
