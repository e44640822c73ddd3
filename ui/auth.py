"""Who may change data: read-only switch, single sign-on (st.login, OIDC), or accounts.

Configuration (``.streamlit/secrets.toml``, never committed; see the README):

* ``SHIZHONG_READ_ONLY=1`` (environment) or ``[editing] read_only = true``: no editing at all.
* ``[auth]`` (Streamlit's OIDC settings): editors log in with ``st.login``; ``[editing]``
  gives their roles (``accounts``, or ``roles_claim`` + ``claim_roles``; ``allowed`` lists
  administrators): see :func:`geo.auth.sso_account`.
* ``[editors]``: local accounts made by ``python -m geo add-editor`` (a password hash, a role,
  subdistricts): see :func:`geo.auth.local_account`.

Who is signed in is an :class:`geo.data.access.Account`; every write takes it, and the store
checks its scope where the data is written.
"""

from __future__ import annotations

import streamlit as st

from geo.auth import local_account, sso_account, verify_password
from geo.data import io
from geo.data.access import STREET, Account
from geo.data.gazetteer import code_names
from geo.text.labels import join_list, t
from ui.settings import editing_enabled, secrets_table
from ui.text import md_escape

__all__ = ["account_line", "current_account", "editing_enabled", "login_panel"]

_EDITOR = "editor_user"


@st.cache_data(show_spinner=False)
def _subdistricts() -> dict[str, str]:
    """Code -> name of every subdistrict (the accounts' ``streets`` may name them)."""
    return code_names(io.load_subdistricts(), "name")


def _uses_sso() -> bool:
    return bool(secrets_table("auth"))


def _sso_account() -> str | None:
    """Who is signed in through single sign-on (allowed to edit or not), or None."""
    if not getattr(st.user, "is_logged_in", False):
        return None
    return st.user.get("email") or st.user.get("name") or "sso-user"


def current_account() -> Account | None:
    """Who is signed in and may write (their role and subdistricts), or None."""
    if not editing_enabled():
        return None
    if _uses_sso():
        who = _sso_account()
        if not who:
            return None
        claims = st.user.to_dict() if hasattr(st.user, "to_dict") else dict(st.user)
        return sso_account(who, claims, secrets_table("editing"), _subdistricts())
    name = st.session_state.get(_EDITOR)
    if not name:
        return None
    found = local_account(name, secrets_table("editors"), _subdistricts())
    return found[0] if found else None  # an account removed since: signed out


def account_line(account: Account, lang: str) -> str:
    """``wang（街道编辑 · 党家街道）``: who, in which role, for which subdistricts."""
    role = t(f"role_{account.role}", lang)
    if account.role == STREET:
        names = _subdistricts()
        role += " · " + join_list(sorted(names.get(c, c) for c in account.streets), lang)
    return t("account_line", lang, user=account.name, role=role)


def _log_out() -> None:
    """Forget the editor; with single sign-on, end the session (at the provider too)."""
    st.session_state.pop(_EDITOR, None)
    if _uses_sso():
        st.logout()


def login_panel(lang: str) -> Account | None:
    """Show the login (or logout) controls; returns the account once signed in."""
    if not editing_enabled():
        st.info(t("editing_off", lang))
        return None
    account = current_account()
    if account:
        left, right = st.columns([4, 1])
        left.caption(t("logged_in_as", lang, user=md_escape(account_line(account, lang))))
        right.button(t("logout", lang), on_click=_log_out)
        return account
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
        try:
            found = local_account(user.strip(), accounts, _subdistricts())
        except ValueError:  # a malformed entry never signs in
            found = None
        if found and verify_password(password, found[1]):
            st.session_state[_EDITOR] = user.strip()
            st.rerun()
        st.error(t("login_failed", lang))
    return None
