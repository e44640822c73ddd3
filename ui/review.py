"""Review before publishing: the reviewers' list of pending submissions (publish, or return with
a reason) and the subdistrict editors' own submissions with what became of them.

Pending changes live in the store's submissions, never in its records: the viewers' pages, the
big screen, the briefs and the exports read the records, so they show published data only.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.data.access import ADMIN, REVIEWER, STREET, Account, owner_name
from geo.data.freshness import local_time
from geo.data.gazetteer import code_names
from geo.data.tables import submission_for_people
from geo.store.records import ConflictError, ScopeError, Store
from geo.text.labels import join_list, t
from ui.context import Context
from ui.data import get_store
from ui.text import md_escape

_DONE = "review_done"


def refused_message(error: ScopeError, context: Context) -> str:
    """A ScopeError in words: who may not change which subdistricts' records."""
    lang, names = context.lang, code_names(context.data.subdistricts, "name")
    owners = dict.fromkeys(owner for _, _, owner in error.refused)
    where = [owner_name(o, names, lang) for o in owners]
    return t(
        "scope_refused", lang, user=md_escape(error.account.name), where=join_list(where, lang)
    )


def _current(store: Store, changes: list[dict]) -> dict:
    """The stored records the changes are made against, keyed (entity, id)."""
    found = {}
    for change in changes:
        key = (change["entity"], str(change["record"]["id"]))
        record = store.get(*key)
        if record is not None:
            found[key] = record
    return found


def _heading(row, context: Context) -> str:
    lang, names = context.lang, code_names(context.data.subdistricts, "name")
    streets = [owner_name(c, names, lang) for c in row.subdistricts]
    when = local_time(pd.Timestamp(row.at).to_pydatetime())
    return t(
        "review_item",
        lang,
        status=t(f"status_{row.status}", lang),
        title=md_escape(row.title or t(f"audit_action_{row.action}", lang)),
        user=md_escape(row.user),
        at=f"{when:%Y-%m-%d %H:%M}",
        streets=join_list(streets, lang) or "–",
        n=len(row.changes),
    )


def _changes_table(store: Store, row, context: Context) -> None:
    shown = submission_for_people(
        row.changes, _current(store, row.changes), context.data.units, context.lang
    )
    st.dataframe(shown, hide_index=True, width="stretch")


def pending_count(store: Store, account: Account) -> int:
    """How many submissions wait: all for a reviewer, the account's own for an editor."""
    return store.count_submissions("pending", account.name if account.role == STREET else None)


def review_section(context: Context, account: Account) -> None:
    """Pending submissions, newest first, each with its changes, 发布 and 退回 (with a reason)."""
    lang, store = context.lang, get_store()
    done = st.session_state.pop(_DONE, None)
    if done:
        st.success(done)
    st.caption(t("review_intro", lang))
    if account.role not in (ADMIN, REVIEWER):
        return
    pending = store.submissions("pending")
    if pending.empty:
        st.info(t("review_none", lang))
        return
    for row in pending.itertuples(index=False):
        with st.expander(_heading(row, context), expanded=len(pending) <= 3):
            _changes_table(store, row, context)
            reason = st.text_input(t("review_reason", lang), key=f"review_reason_{row.id}")
            left, right = st.columns(2)
            if left.button(t("review_publish", lang), key=f"publish_{row.id}", type="primary"):
                try:
                    store.publish(int(row.id), account)
                except (ConflictError, ValueError, KeyError) as error:
                    st.error(t("review_conflict", lang, error=error))
                    continue
                title = md_escape(row.title)
                st.session_state[_DONE] = t("review_published", lang, title=title)
                st.rerun()
            if right.button(t("review_return", lang), key=f"return_{row.id}"):
                if not reason.strip():
                    st.error(t("review_reason_needed", lang))
                    continue
                store.return_submission(int(row.id), account, reason)
                title = md_escape(row.title)
                st.session_state[_DONE] = t("review_returned", lang, title=title)
                st.rerun()


def submissions_section(context: Context, account: Account) -> None:
    """The editor's own submissions, newest first: pending, returned (with the reviewer's
    reason) or published (by whom)."""
    lang, store = context.lang, get_store()
    st.caption(t("review_intro", lang))
    mine = store.submissions()
    mine = mine[mine["user"] == account.name]
    if mine.empty:
        st.info(t("submissions_none", lang))
        return
    for row in mine.head(100).itertuples(index=False):
        with st.expander(_heading(row, context), expanded=row.status == "returned"):
            if row.status == "returned":
                reason, who = md_escape(row.reason), md_escape(row.reviewed_by)
                st.warning(t("submission_returned", lang, reason=reason, who=who))
            elif row.status == "published":
                st.caption(t("submission_published", lang, who=md_escape(row.reviewed_by)))
            _changes_table(store, row, context)
