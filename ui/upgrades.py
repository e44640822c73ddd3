"""The Manage page's section on shipped data corrections that met an office's edit (conflicts
left by an upgrade, geo.store.shipped): each one's differing fields side by side, and the
administrator's choice between the shipped version and the one here."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.data.access import ADMIN, Account
from geo.store.records import ConflictError, ScopeError
from geo.store.shipped import Conflict, conflict_line, resolve_conflict, shipped_conflicts
from geo.text.labels import field_label, t
from ui.context import Context
from ui.data import get_store
from ui.text import md_escape

_SAID = "shipped_said"


def _shown(value: object) -> str:
    return "" if value is None else str(value)


def _differences(conflict: Conflict, lang: str) -> pd.DataFrame:
    """Field, the version here, the shipped version: the fields that differ (every field when
    one side has no record)."""
    missing = t("shipped_missing", lang)
    sides = [conflict.office, conflict.shipped]
    fields = conflict.fields or tuple(next(s for s in sides if s is not None))
    return pd.DataFrame(
        {
            t("shipped_col_field", lang): [field_label(f, lang) or f for f in fields],
            t("shipped_col_office", lang): [
                missing if conflict.office is None else _shown(conflict.office.get(f))
                for f in fields
            ],
            t("shipped_col_shipped", lang): [
                missing if conflict.shipped is None else _shown(conflict.shipped.get(f))
                for f in fields
            ],
        }
    )


def _settle(conflict: Conflict, take_shipped: bool, account: Account, lang: str) -> None:
    try:
        resolve_conflict(get_store(), conflict, take_shipped, account)
    except (ConflictError, ScopeError) as error:
        st.error(str(error))
        return
    said = "shipped_taken" if take_shipped else "shipped_kept"
    st.session_state[_SAID] = t(said, lang, name=conflict.name)
    st.rerun()


def shipped_section(context: Context, account: Account) -> None:
    """For an administrator, when an upgrade left conflicts: each with what differs and the
    two buttons (take the shipped version, keep the one here). Nothing otherwise."""
    lang = context.lang
    said = st.session_state.pop(_SAID, None)  # said once, after the rerun
    if said:
        st.success(said)
    if account.role != ADMIN:
        return
    conflicts = shipped_conflicts(get_store())
    if not conflicts:
        return
    with st.expander(t("shipped_title", lang, n=len(conflicts)), expanded=True):
        st.caption(t("shipped_intro", lang))
        for conflict in conflicts:
            key = f"shipped-{conflict.entity}-{conflict.record_id}"
            st.markdown(md_escape(conflict_line(conflict, lang).strip()))
            st.dataframe(_differences(conflict, lang), hide_index=True)
            take, keep = st.columns(2)
            if take.button(t("shipped_take", lang), key=f"{key}-take"):
                _settle(conflict, True, account, lang)
            if keep.button(t("shipped_keep", lang), key=f"{key}-keep"):
                _settle(conflict, False, account, lang)
