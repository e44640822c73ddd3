"""The Streamlit side of the settings: the one place reading ``st.secrets``.

Values are interpreted by :mod:`geo.config`, which also reads the environment.
"""

from __future__ import annotations

import streamlit as st

from geo import config
from geo.intake.geocode import Geocoder


def secrets_table(section: str) -> dict:
    """The ``[section]`` table of ``.streamlit/secrets.toml`` as a plain dict ({} if none)."""
    try:
        return dict(st.secrets.get(section, {}))
    except (FileNotFoundError, KeyError):  # no secrets file: environment only
        return {}


def basemap_settings() -> config.BasemapSettings:
    """Environment variables, overridden by a ``[basemap]`` table in secrets.toml if present."""
    return config.basemap_settings(secrets_table("basemap"))


def editing_enabled() -> bool:
    """False on a read-only deployment (environment or ``[editing] read_only = true``)."""
    return not config.read_only(secrets_table("editing"))


def geocoder():
    """The address geocoder if a key is configured (``$SHIZHONG_GEOCODER_TOKEN`` or
    ``[geocoder] token``), else None: ledgers' addresses leave the machine only then."""
    return Geocoder.from_settings(config.geocoder_settings(secrets_table("geocoder")))
