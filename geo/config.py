"""Paths and settings: the one module that reads the environment and the secrets' values.

Every path is anchored to the project. Every setting comes from an environment variable listed
in :data:`ENV_VARS` or, for the dashboard, from a table of ``.streamlit/secrets.toml`` that the
Streamlit side (``ui.settings``) passes in as a plain mapping.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from geo.isolation import LIMIT_ENV, ParseLimits

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
#: The reference data and seed records: ``$SHIZHONG_DATA_DIR`` (e.g. a synthetic city-wide set
#: made by ``python -m bench.city``) or the shipped ``data/``.
DATA_DIR = Path(os.environ.get("SHIZHONG_DATA_DIR") or PROJECT_DIR / "data")
STATIC_DIR = PROJECT_DIR / "static"
#: Where Streamlit reads the dashboard's secrets (logins, keys): never committed.
SECRETS_FILE = PROJECT_DIR / ".streamlit" / "secrets.toml"

#: The district's administrative code (NBS).
DISTRICT_CODE = "370103"

#: Every environment variable the project reads, with what it sets (the README lists them too).
ENV_VARS: dict[str, str] = {
    "SHIZHONG_DATA_DIR": "reference data and seed records (default: data/)",
    "SHIZHONG_STATE_DIR": "folder of the SQLite store and backups (default: .state/)",
    "DATABASE_URL": "SQLAlchemy or libpq URL of the store (default: SQLite in the state folder)",
    "SHIZHONG_AREAS_FILE": "an official subdistrict boundary file used instead of the stored areas",
    "SHIZHONG_AREAS_CRS": "its CRS if the file's is missing or wrong (default: as declared)",
    "SHIZHONG_AREAS_CODE_FIELD": "its field holding the subdistrict code (default: found)",
    "SHIZHONG_AREAS_NAME_FIELD": "its field holding the subdistrict name (default: found)",
    "SHIZHONG_READ_ONLY": "1: no editing at all",
    "SHIZHONG_REVIEW": "0: subdistrict editors publish directly (default 1: a reviewer publishes)",
    "SHIZHONG_LANG": "language of the command line's messages: zh (default) or en",
    "SHIZHONG_BASEMAP": "the default basemap key",
    "SHIZHONG_TIANDITU_TOKEN": "Tianditu key (tk) for its tiles and geocoder",
    "SHIZHONG_TILE_URL": "intranet XYZ tile template",
    "SHIZHONG_TILE_ATTRIBUTION": "its attribution",
    "SHIZHONG_TILE_DATUM": "its datum: WGS-84, GCJ-02 or BD-09",
    "SHIZHONG_TILE_NAME": "its name in the basemap list",
    "SHIZHONG_GEOCODER_TOKEN": "Tianditu key (tk) for geocoding ledger addresses (opt-in)",
    "SHIZHONG_GEOCODER_URL": "the geocoding service (default: Tianditu's)",
    "SHIZHONG_GEOCODER_RATE": "at most this many geocoding requests a second (default 5)",
    "SHIZHONG_PARSE_MEMORY_MB": "memory of the process that reads one uploaded file, MiB (1024)",
    "SHIZHONG_PARSE_SECONDS": "time it may take, seconds (120)",
    "SHIZHONG_MAX_ROWS": "rows of one sheet of a ledger (100000)",
    "SHIZHONG_MAX_CELLS": "cells of one workbook (3000000)",
    "SHIZHONG_MAX_UNPACKED_MB": "unpacked size of a compressed file, MiB (300)",
    "SHIZHONG_MAX_RATIO": "compression ratio of one member of a compressed file (200)",
    "SHIZHONG_MAX_VERTICES": "vertices of a boundary file (1000000)",
}

#: Settings that point a process at a store or files elsewhere: tests and benchmarks clear
#: them so that they only ever touch what they made.
REDIRECTING = (
    "DATABASE_URL",
    "SHIZHONG_AREAS_FILE",
    "SHIZHONG_AREAS_CRS",
    "SHIZHONG_AREAS_CODE_FIELD",
    "SHIZHONG_AREAS_NAME_FIELD",
)

_BASEMAP_ENV = {
    "default": "SHIZHONG_BASEMAP",
    "tianditu_token": "SHIZHONG_TIANDITU_TOKEN",
    "custom_url": "SHIZHONG_TILE_URL",
    "custom_attribution": "SHIZHONG_TILE_ATTRIBUTION",
    "custom_datum": "SHIZHONG_TILE_DATUM",
    "custom_name": "SHIZHONG_TILE_NAME",
}
_TRUE = ("1", "true", "yes", "on")


@dataclass(frozen=True)
class BasemapSettings:
    """Basemap configuration (read by :func:`basemap_settings`; resolved by
    :func:`geo.map.basemaps.resolve`)."""

    default: str = "none"  # geo.map.basemaps.NONE: no tiles, offline
    tianditu_token: str = ""
    custom_url: str = ""
    custom_attribution: str = ""
    custom_datum: str = "WGS-84"  # geo.data.datum.WGS84
    custom_name: str = ""

    @classmethod
    def from_mapping(cls, values: Mapping[str, str]) -> BasemapSettings:
        """Settings from a mapping of strings, such as a secrets.toml table.

        Parameters
        ----------
        values
            Keys ``default``, ``tianditu_token``, ``custom_url``, ``custom_attribution``,
            ``custom_datum``, ``custom_name``; values are stripped; other keys are ignored and
            missing keys keep their defaults.

        Returns
        -------
        BasemapSettings
            The settings (not validated: :func:`geo.map.basemaps.resolve` judges them).
        """
        known = {k: str(v).strip() for k, v in values.items() if k in cls.__dataclass_fields__}
        return cls(**known)

    def merged(self, override: BasemapSettings) -> BasemapSettings:
        """These settings with ``override``'s values on top.

        Parameters
        ----------
        override
            Settings whose values replace these wherever they differ from the defaults.

        Returns
        -------
        BasemapSettings
            A new settings object.
        """
        base = BasemapSettings()
        return BasemapSettings(
            **{
                name: getattr(override, name)
                if getattr(override, name) != getattr(base, name)
                else getattr(self, name)
                for name in self.__dataclass_fields__
            }
        )


def basemap_settings(
    table: Mapping[str, object] | None = None, environ: Mapping[str, str] = os.environ
) -> BasemapSettings:
    """The basemap configuration: environment variables, overridden by ``table``.

    Parameters
    ----------
    table
        The ``[basemap]`` table of secrets.toml, keys ``default``, ``tianditu_token``,
        ``custom_url``, ``custom_attribution``, ``custom_datum``, ``custom_name`` (other keys
        are ignored); None for the environment alone.
    environ
        The environment to read (``SHIZHONG_BASEMAP``, ``SHIZHONG_TIANDITU_TOKEN``,
        ``SHIZHONG_TILE_*``); ``os.environ`` by default.

    Returns
    -------
    geo.map.BasemapSettings
        The settings; a value ``table`` leaves at its default keeps the environment's.
    """
    settings = BasemapSettings.from_mapping(
        {key: environ[name] for key, name in _BASEMAP_ENV.items() if environ.get(name)}
    )
    return settings.merged(BasemapSettings.from_mapping(dict(table))) if table else settings


def read_only(
    table: Mapping[str, object] | None = None, environ: Mapping[str, str] = os.environ
) -> bool:
    """Whether editing is off.

    Parameters
    ----------
    table
        The ``[editing]`` table of secrets.toml (key ``read_only``: ``true``, ``"1"``,
        ``"yes"``, ``"on"``), or None.
    environ
        The environment to read (``SHIZHONG_READ_ONLY``); ``os.environ`` by default.

    Returns
    -------
    bool
        True if ``SHIZHONG_READ_ONLY`` is ``1``/``true``/``yes``/``on`` (any case) or
        ``table`` says so; the environment cannot turn editing back on.
    """
    if environ.get("SHIZHONG_READ_ONLY", "").strip().lower() in _TRUE:
        return True
    value = (table or {}).get("read_only", False)
    return value is True or str(value).strip().lower() in _TRUE


_FALSE = ("0", "false", "no", "off")


def review_required(
    table: Mapping[str, object] | None = None, environ: Mapping[str, str] = os.environ
) -> bool:
    """Whether a subdistrict editor's changes wait for a reviewer before anyone sees them.

    Parameters
    ----------
    table
        The ``[editing]`` table of secrets.toml (key ``review``: ``false``, ``"0"``, ``"no"``,
        ``"off"`` turns review off), or None.
    environ
        The environment to read (``SHIZHONG_REVIEW``, taking precedence over ``table``);
        ``os.environ`` by default.

    Returns
    -------
    bool
        True (the default) unless the environment or ``table`` turns review off: a small
        deployment where the offices publish their own changes.
    """
    value = environ.get("SHIZHONG_REVIEW", "").strip()
    if not value:
        value = (table or {}).get("review", True)
    return not (value is False or str(value).strip().lower() in _FALSE)


@dataclass(frozen=True)
class GeocoderSettings:
    """The address geocoder's configuration (read by :func:`geocoder_settings`; the client is
    :meth:`geo.intake.geocode.Geocoder.from_settings`): ``url`` of the service (empty:
    Tianditu's), its ``token``, at most ``rate_per_s`` requests a second."""

    token: str
    url: str = ""
    rate_per_s: float = 5.0


def geocoder_settings(
    table: Mapping[str, object] | None = None, environ: Mapping[str, str] = os.environ
) -> GeocoderSettings | None:
    """The address geocoder's configuration, or None unless a key is configured.

    Addresses leave the machine only when someone chose that, by setting a key.

    Parameters
    ----------
    table
        The ``[geocoder]`` table of secrets.toml (keys ``token``, ``url``, ``rate``), or None.
    environ
        The environment to read (``SHIZHONG_GEOCODER_TOKEN``, ``_URL``, ``_RATE``, each
        taking precedence over ``table``); ``os.environ`` by default.

    Returns
    -------
    GeocoderSettings or None
        The configured service (empty ``url``: Tianditu's) and rate (requests per second, 5
        by default), or None if no token is set.

    Raises
    ------
    ValueError
        If the configured rate is not a positive number (the message shows it).
    """
    values = {k: str(v).strip() for k, v in (table or {}).items()}
    token = environ.get("SHIZHONG_GEOCODER_TOKEN", "").strip() or values.get("token", "")
    if not token:
        return None
    url = environ.get("SHIZHONG_GEOCODER_URL", "").strip() or values.get("url") or ""
    rate_text = environ.get("SHIZHONG_GEOCODER_RATE", "").strip() or values.get("rate") or "5"
    try:
        rate = float(rate_text)
    except ValueError:
        rate = -1.0
    if not rate > 0:
        raise ValueError(f"SHIZHONG_GEOCODER_RATE must be a positive number, got {rate_text!r}")
    return GeocoderSettings(token=token, url=url, rate_per_s=rate)


def cli_language(environ: Mapping[str, str] = os.environ) -> str:
    """The command line's language.

    Parameters
    ----------
    environ
        The environment to read (``SHIZHONG_LANG``); ``os.environ`` by default.

    Returns
    -------
    str
        ``"zh"`` or ``"en"`` as ``SHIZHONG_LANG`` says (any case); ``"zh"`` if it is unset or
        anything else.
    """
    wanted = environ.get("SHIZHONG_LANG", "").strip().lower()
    return wanted if wanted in ("zh", "en") else "zh"


def state_dir() -> Path:
    """Folder for the SQLite store and backups, created if missing.

    Returns
    -------
    pathlib.Path
        ``$SHIZHONG_STATE_DIR`` or ``<project>/.state``.
    """
    path = Path(os.environ.get("SHIZHONG_STATE_DIR") or PROJECT_DIR / ".state")
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_url() -> str:
    """SQLAlchemy URL of the store.

    Returns
    -------
    str
        ``$DATABASE_URL`` (through :func:`sqlalchemy_url`), or a SQLite file
        ``shizhong.sqlite`` in :func:`state_dir`.
    """
    configured = os.environ.get("DATABASE_URL")
    return (
        sqlalchemy_url(configured) if configured else f"sqlite:///{state_dir() / 'shizhong.sqlite'}"
    )


def sqlalchemy_url(url: str) -> str:
    """A database URL with the driver SQLAlchemy should use.

    Parameters
    ----------
    url
        A database URL as libpq, hosting panels or SQLAlchemy write it.

    Returns
    -------
    str
        ``postgresql://`` and ``postgres://`` URLs rewritten to ``postgresql+psycopg://`` (the
        installed psycopg 3 driver); any other URL as it is.
    """
    for scheme in ("postgresql://", "postgres://"):
        if url.startswith(scheme):
            return "postgresql+psycopg://" + url.removeprefix(scheme)
    return url


def parse_limits(environ: Mapping[str, str] = os.environ) -> ParseLimits:
    """What one file from outside may cost (:class:`ParseLimits`), as the environment sets it.

    Parameters
    ----------
    environ
        The environment (``os.environ`` by default).

    Returns
    -------
    ParseLimits
        The limits of :data:`LIMIT_ENV`.
    """
    values = {}
    for name, (variable, default) in LIMIT_ENV.items():
        text = environ.get(variable, "").strip().replace("_", "")
        values[name] = int(text) if text.isdigit() and int(text) > 0 else default
    return ParseLimits(**values)


def child_environment() -> dict[str, str]:
    """The environment of a child process that parses a file: this one's, with one thread
    for the numerical libraries (their per-thread buffers would count against its memory).

    Returns
    -------
    dict of str to str
        A copy of ``os.environ`` with ``OPENBLAS_NUM_THREADS`` and ``OMP_NUM_THREADS`` of 1.
    """
    return {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}


@dataclass(frozen=True)
class AreasSource:
    """Where subdistrict areas come from.

    ``path`` is the shipped schematic GeoJSON, or an official boundary file in any format
    :mod:`geo.intake.boundaries` reads (Shapefile or a .zip of one, GeoPackage, GeoJSON, KML);
    ``crs`` overrides the file's CRS (any pyproj CRS such as ``EPSG:4527``, or ``GCJ-02`` /
    ``BD-09``; None: as declared, corrected or inferred); ``code_field`` and ``name_field``
    name the columns of the 9- or 12-digit code and the name (None: found automatically);
    ``schematic`` is False for an official file.
    """

    path: Path
    crs: str | None = None
    code_field: str | None = None
    schematic: bool = True
    name_field: str | None = None


def areas_source() -> AreasSource:
    """The configured subdistrict areas.

    Returns
    -------
    AreasSource
        ``$SHIZHONG_AREAS_FILE`` (official, with ``$SHIZHONG_AREAS_CRS``,
        ``$SHIZHONG_AREAS_CODE_FIELD`` and ``$SHIZHONG_AREAS_NAME_FIELD``); without it, the
        schematic areas ``subdistrict_areas_schematic.geojson`` of :data:`DATA_DIR`.
    """
    configured = os.environ.get("SHIZHONG_AREAS_FILE")
    if not configured:
        return AreasSource(DATA_DIR / "subdistrict_areas_schematic.geojson")
    return AreasSource(
        path=Path(configured),
        crs=os.environ.get("SHIZHONG_AREAS_CRS") or None,
        code_field=os.environ.get("SHIZHONG_AREAS_CODE_FIELD") or None,
        schematic=False,
        name_field=os.environ.get("SHIZHONG_AREAS_NAME_FIELD") or None,
    )
