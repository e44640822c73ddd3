"""Settings from the environment and ``.streamlit/secrets.toml`` (the only place reading them)."""

from __future__ import annotations

import streamlit as st

from geo import basemaps


def basemap_settings() -> basemaps.Settings:
    """Environment variables, overridden by a ``[basemap]`` table in secrets.toml if present."""
    settings = basemaps.Settings.from_env()
    try:
        table = st.secrets.get("basemap", {})
    except (FileNotFoundError, KeyError):  # no secrets file: environment only
        table = {}
    return settings.merged(basemaps.Settings.from_mapping(dict(table))) if table else settings
