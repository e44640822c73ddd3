"""Cached loaders: reference data once per process, records and the dataset once per store
version."""

from __future__ import annotations

import sqlalchemy as sa
import streamlit as st

from geo.data.dataset import Dataset, build_dataset
from geo.load import load_records, load_reference
from geo.store.records import Store
from geo.text.labels import t

__all__ = ["get_store", "last_changed", "load_dataset"]


@st.cache_resource
def get_store() -> Store:
    """The process-wide store (created and seeded on first use)."""
    return Store.open()


@st.cache_data(show_spinner=False)
def _reference() -> dict:
    return load_reference()


@st.cache_data(show_spinner=False, max_entries=4)
def _records(version: int) -> dict:
    return load_records(get_store())


@st.cache_resource(show_spinner=False, max_entries=4)
def _dataset(version: int) -> Dataset:
    """One dataset per store version for the whole process, shared by every session's runs.

    Not ``st.cache_data``: that unpickles a copy on every run, 40 ms at 100,000 sites before
    the map could be built. Shared read-only: under pandas' copy-on-write a filtered or derived
    frame never writes back into these, and the site table's arrays refuse writes
    (``geo.data.sitetable.SiteTable``).
    """
    return build_dataset(version, _reference(), _records(version))


@st.cache_resource
def _newest_loaded() -> dict[str, int]:
    """The store version this process loaded last (shown while the database is unreachable)."""
    return {}


def load_dataset(lang: str = "zh") -> Dataset:
    """The current data: reference files plus the store's records (cached per version, the
    map's site table with them).

    While the database cannot be reached (it restarts: a second or two), the pages show the
    version this process loaded last, with a notice; the next rerun asks the database again.
    """
    newest = _newest_loaded()
    try:
        version = get_store().data_version()
    except sa.exc.OperationalError:
        if "version" not in newest:  # nothing loaded yet: nothing to show
            st.error(t("store_unreachable", lang), icon="⚠️")
            st.stop()
        version = newest["version"]
        st.toast(t("store_unreachable_stale", lang), icon="⚠️")
    newest["version"] = version
    return _dataset(version)


@st.cache_data(show_spinner=False, max_entries=4)
def _last_changed(version: int):
    return get_store().last_changed()


def last_changed(version: int):
    """When the data of store ``version`` was written (UTC datetime), or None (cached)."""
    return _last_changed(version)
