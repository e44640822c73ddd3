"""Paths and settings: every path anchored to the project, every setting from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
#: The reference data and seed records: ``$SHIZHONG_DATA_DIR`` (e.g. a synthetic city-wide set
#: made by ``python -m bench.city``) or the shipped ``data/``.
DATA_DIR = Path(os.environ.get("SHIZHONG_DATA_DIR") or PROJECT_DIR / "data")
STATIC_DIR = PROJECT_DIR / "static"

#: The district's administrative code (NBS).
DISTRICT_CODE = "370103"


def state_dir() -> Path:
    """Folder for the SQLite store and backups: ``$SHIZHONG_STATE_DIR`` or ``<project>/.state``."""
    path = Path(os.environ.get("SHIZHONG_STATE_DIR") or PROJECT_DIR / ".state")
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_url() -> str:
    """SQLAlchemy URL of the store: ``$DATABASE_URL`` or a SQLite file in :func:`state_dir`."""
    configured = os.environ.get("DATABASE_URL")
    return (
        sqlalchemy_url(configured) if configured else f"sqlite:///{state_dir() / 'shizhong.sqlite'}"
    )


def sqlalchemy_url(url: str) -> str:
    """``postgresql://`` and ``postgres://`` URLs (as libpq and hosting panels write them) use
    the installed psycopg 3 driver; other URLs are returned as they are."""
    for scheme in ("postgresql://", "postgres://"):
        if url.startswith(scheme):
            return "postgresql+psycopg://" + url.removeprefix(scheme)
    return url


@dataclass(frozen=True)
class AreasSource:
    """Where subdistrict areas come from.

    ``path`` is a GeoJSON, Shapefile or GeoPackage; ``crs`` names its datum (any pyproj CRS
    such as ``EPSG:4490``, or ``GCJ-02`` / ``BD-09``); ``code_field`` holds the 9- or 12-digit
    subdistrict code; ``schematic`` is False for an official file.
    """

    path: Path
    crs: str = "EPSG:4326"
    code_field: str = "code"
    schematic: bool = True


def areas_source() -> AreasSource:
    """The configured areas: ``$SHIZHONG_AREAS_FILE`` (with ``_CRS`` and ``_CODE_FIELD``).

    Without it, the schematic areas shipped in ``data/``.
    """
    configured = os.environ.get("SHIZHONG_AREAS_FILE")
    if not configured:
        return AreasSource(DATA_DIR / "subdistrict_areas_schematic.geojson")
    return AreasSource(
        path=Path(configured),
        crs=os.environ.get("SHIZHONG_AREAS_CRS", "EPSG:4326"),
        code_field=os.environ.get("SHIZHONG_AREAS_CODE_FIELD", "code"),
        schematic=False,
    )
