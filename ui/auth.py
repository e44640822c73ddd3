"""Who may change data: read-only switch, single sign-on (st.login, OIDC), or accounts.

Configuration (``.streamlit/secrets.toml``, never committed; see the README):

* ``SHIZHONG_READ_ONLY=1`` (environment) or ``[editing] read_only = true``: no editing at all.
* ``[auth]`` (Streamlit's OIDC settings): editors log in with ``st.login``; an optional
  ``[editing] allowed = ["name@example.gov.cn", ...]`` limits who may edit.
* ``[editors]``: ``user = "scrypt$..."`` password hashes made by ``python -m geo hash-password``.
"""

from __future__ import annotations

import streamlit as st

from geo.auth import verify_password
from geo.text.labels import t
from ui.settings import editing_enabled, secrets_table
from ui.text import md_escape

__all__ = ["current_editor", "editing_enabled", "login_panel"]

_EDITOR = "editor_user"


def _uses_sso() -> bool:
    return bool(secrets_table("auth"))


def _sso_account() -> str | None:
    """Who is signed in through single sign-on (allowed to edit or not), or None."""
    if not getattr(st.user, "is_logged_in", False):
        return None
    return st.user.get("email") or st.user.get("name") or "sso-user"


def current_editor() -> str | None:
    """The logged-in editor's name, or None."""
    if not editing_enabled():
        return None
    if _uses_sso():
        who = _sso_account()
        allowed = secrets_table("editing").get("allowed")
        return who if who and (not allowed or who in allowed) else None
    return st.session_state.get(_EDITOR)


def _log_out() -> None:
    """Forget the editor; with single sign-on, end the session (at the provider too)."""
    st.session_state.pop(_EDITOR, None)
    if _uses_sso():
        st.logout()


def login_panel(lang: str) -> str | None:
    """Show the login (or logout) controls; returns the editor's name once logged in."""
    if not editing_enabled():
        st.info(t("editing_off", lang))
        return None
    editor = current_editor()
    if editor:
        left, right = st.columns([4, 1])
        left.caption(t("logged_in_as", lang, user=md_escape(editor)))
        right.button(t("logout", lang), on_click=_log_out)
        return editor
    st.subheader(t("login_title", lang))
    if _uses_sso():
        refused = _sso_account()
        if refused:  # signed in, but not on the list of who may edit
            st.warning(t("sso_refused", lang, user=md_escape(refused)))
            st.button(t("logout", lang), on_click=st.logout, key="sso_refused_logout")
            return None
        st.button(t("login_sso", lang), on_click=st.login)
        return None
    accounts = secrets_table("editors")
    if not accounts:
        st.warning(t("editing_unconfigured", lang))
        return None
    with st.form("editor_login"):
        user = st.text_input(t("login_user", lang))
        password = st.text_input(t("login_password", lang), type="password")
        submitted = st.form_submit_button(t("login_button", lang))
    if submitted:
        stored = accounts.get(user.strip())
        if stored and verify_password(password, str(stored)):
            st.session_state[_EDITOR] = user.strip()
            st.rerun()
        st.error(t("login_failed", lang))
    return None
