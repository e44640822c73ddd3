"""Cached loaders: reference data once per process, records once per store version."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
import sqlalchemy as sa
import streamlit as st

from geo import io
from geo.labels import t
from geo.sitelayer import SiteTable, prepare_sites
from geo.store import Store


@st.cache_resource
def get_store() -> Store:
    """The process-wide store (created and seeded on first use)."""
    return Store.open()


@dataclass(frozen=True)
class Dataset:
    """Everything the pages show, for one store version."""

    version: int
    programs: pd.DataFrame
    sources: pd.DataFrame
    subdistricts: pd.DataFrame
    units: pd.DataFrame
    outline: gpd.GeoDataFrame
    areas: gpd.GeoDataFrame
    sites: pd.DataFrame
    metrics: pd.DataFrame
    alliances: pd.DataFrame
    events: pd.DataFrame
    five_models: pd.DataFrame
    site_table: SiteTable  # per-site arrays for the map, prepared once per version


@st.cache_data(show_spinner=False)
def _reference() -> dict:
    return {
        "programs": io.load_programs(),
        "sources": io.load_sources(),
        "subdistricts": io.load_subdistricts(),
        "units": io.load_units(),
        "outline": io.load_outline(),
        "areas": io.load_areas(),
        "events": io.load_events(),
        "five_models": io.load_five_models(),
    }


@st.cache_data(show_spinner=False, max_entries=4)
def _records(version: int) -> dict:
    store = get_store()
    return {
        "sites": store.read_sites(),
        "metrics": store.read_metrics(),
        "alliances": store.read_alliances(),
    }


@st.cache_data(show_spinner=False, max_entries=4)
def _site_table(version: int) -> SiteTable:
    reference = _reference()
    return prepare_sites(
        _records(version)["sites"], reference["subdistricts"], reference["programs"]
    )


@st.cache_resource
def _newest_loaded() -> dict[str, int]:
    """The store version this process loaded last (shown while the database is unreachable)."""
    return {}


def load_dataset(lang: str = "zh") -> Dataset:
    """The current data: reference files plus the store's records (cached per version).

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
    return Dataset(
        version=version, **_reference(), **_records(version), site_table=_site_table(version)
    )
