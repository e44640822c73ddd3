"""Cached loaders: reference data once per process, records once per store version."""

from __future__ import annotations

import streamlit as st

from geo.dataset import Dataset, build_dataset, load_records, load_reference
from geo.store import Store

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


@st.cache_data(show_spinner=False, max_entries=4)
def _dataset(version: int) -> Dataset:
    return build_dataset(version, _reference(), _records(version))


def load_dataset() -> Dataset:
    """The current data: reference files plus the store's records (cached per version, the
    map's site table with them)."""
    return _dataset(get_store().data_version())


@st.cache_data(show_spinner=False, max_entries=4)
def _last_changed(version: int):
    return get_store().last_changed()


def last_changed(version: int):
    """When the data of store ``version`` was written (UTC datetime), or None (cached)."""
    return _last_changed(version)
