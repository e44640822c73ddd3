"""Shared fixtures: an isolated state folder, copies of data/ to break, a fresh store, its
dataset, a private state folder for AppTest runs."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from geo import config
from geo.config import DATA_DIR, AreasSource
from geo.data import io
from geo.data.dataset import Dataset
from geo.data.filters import FilterVocabulary
from geo.load import load_dataset
from geo.store.records import Store
from geo.text import vocab

PROJECT_DIR = Path(__file__).resolve().parents[1]

#: Settings that would point the library at files outside the test's control.
_FOREIGN_SETTINGS = config.REDIRECTING


@pytest.fixture(scope="session", autouse=True)
def isolated_state_dir(tmp_path_factory: pytest.TempPathFactory):
    """``$SHIZHONG_STATE_DIR`` in a temporary folder for the whole session (never the project)."""
    patch = pytest.MonkeyPatch()
    path = tmp_path_factory.mktemp("state")
    patch.setenv("SHIZHONG_STATE_DIR", str(path))
    for name in (*_FOREIGN_SETTINGS, "SHIZHONG_LANG", "SHIZHONG_READ_ONLY"):
        patch.delenv(name, raising=False)
    yield path
    patch.undo()


@pytest.fixture
def app_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private state folder (``$SHIZHONG_STATE_DIR``: a store of its own) for the app run with
    ``streamlit.testing.v1.AppTest``, editing allowed; Streamlit's caches cleared around the
    test. Returns the folder (the test's ``tmp_path``)."""
    import streamlit as st

    monkeypatch.setenv("SHIZHONG_STATE_DIR", str(tmp_path))
    monkeypatch.delenv("SHIZHONG_READ_ONLY", raising=False)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield tmp_path
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of data/ to break; returns the copied folder."""
    return Path(shutil.copytree(DATA_DIR, tmp_path / "data"))


#: A PostgreSQL + PostGIS database for the tests, started by scripts/with_postgres.sh (which
#: ``make test`` runs the suite under); store tests run on both engines.
PG_URL = os.environ.get("SHIZHONG_TEST_PG_URL")
ENGINES = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def pg_admin():
    """An engine on the test PostgreSQL database (PostGIS created once, in ``public``)."""
    if not PG_URL:
        pytest.skip("PostgreSQL is not available (make test starts one: scripts/with_postgres.sh)")
    engine = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text("CREATE EXTENSION IF NOT EXISTS postgis"))
    yield engine
    engine.dispose()


@contextlib.contextmanager
def empty_store_url(engine: str, request, tmp_path: Path) -> Iterator[str]:
    """A URL for an empty store: a SQLite file, or a fresh schema on the test PostgreSQL."""
    if engine == "sqlite":
        yield f"sqlite:///{tmp_path}/s.sqlite"
        return
    admin = request.getfixturevalue("pg_admin")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    yield f"{PG_URL}?options=-csearch_path%3D{schema},public"
    with admin.connect() as conn:
        conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))


@pytest.fixture(params=ENGINES)
def store_url(request, tmp_path: Path) -> Iterator[str]:
    """An empty store's URL, once for each engine."""
    with empty_store_url(request.param, request, tmp_path) as url:
        yield url


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """A store seeded from data/, once on SQLite and once on PostgreSQL/PostGIS."""
    store = Store.open(store_url)
    yield store
    store.engine.dispose()


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    """The Dataset of a fresh SQLite store seeded from data/, one per module (read-only: tests
    must not mutate it)."""
    store = Store.open(f"sqlite:///{tmp_path_factory.mktemp('dataset') / 'store.sqlite'}")
    try:
        return load_dataset(store)
    finally:
        store.engine.dispose()


# --- editing a copied CSV --------------------------------------------------------------------


def read_text_table(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def spreadsheet_row(path: Path, record_id: str) -> int:
    """The row a spreadsheet shows for ``record_id`` (header = 1), read from the file's lines."""
    lines = path.read_text(encoding="utf-8").splitlines()
    matches = [n for n, line in enumerate(lines, start=1) if line.startswith(record_id + ",")]
    assert len(matches) == 1, f"{record_id} is not on exactly one line of {path.name}"
    return matches[0]


@pytest.fixture
def edit_cell() -> Callable[[Path, str, str, str], int]:
    """``edit(csv, record_id, column, value)``: set one cell; returns the record's spreadsheet row.

    The record is found by its first column (``id``, or ``key`` in programs.csv).
    """

    def edit(path: Path, record_id: str, column: str, value: str) -> int:
        row = spreadsheet_row(path, record_id)
        table = read_text_table(path)
        key = table.columns[0]
        hits = table.index[table[key] == record_id]
        assert len(hits) == 1
        assert column in table.columns
        table.loc[hits[0], column] = value
        table.to_csv(path, index=False, encoding="utf-8")
        return row

    return edit


@pytest.fixture
def drop_column() -> Callable[[Path, str], None]:
    def drop(path: Path, column: str) -> None:
        read_text_table(path).drop(columns=[column]).to_csv(path, index=False, encoding="utf-8")

    return drop


# --- loaded data (read-only: tests must not mutate these) ------------------------------------


@pytest.fixture(scope="session")
def sites() -> pd.DataFrame:
    return io.load_sites()


@pytest.fixture(scope="session")
def metrics() -> pd.DataFrame:
    return io.load_metrics()


@pytest.fixture(scope="session")
def units() -> pd.DataFrame:
    return io.load_units()


@pytest.fixture(scope="session")
def alliances() -> pd.DataFrame:
    return io.load_alliances()


@pytest.fixture(scope="session")
def subdistricts() -> pd.DataFrame:
    return io.load_subdistricts()


@pytest.fixture(scope="session")
def programs() -> pd.DataFrame:
    return io.load_programs()


@pytest.fixture(scope="session")
def vocabulary(subdistricts: pd.DataFrame, programs: pd.DataFrame) -> FilterVocabulary:
    return FilterVocabulary(
        dict(zip(subdistricts["code"], subdistricts["name"], strict=True)),
        tuple(programs["key"]),
        vocab.KINDS,
    )


@pytest.fixture(scope="session")
def official_areas(tmp_path_factory: pytest.TempPathFactory) -> AreasSource:
    """An "official" areas file: the schematic geometry as a GeoPackage in EPSG:4490 (CGCS2000)
    with 12-digit codes in ``ADCODE`` and no ``schematic`` property."""
    areas = io.load_areas(AreasSource(DATA_DIR / "subdistrict_areas_schematic.geojson"))
    official = areas.drop(columns=["schematic"]).rename(columns={"code": "ADCODE"})
    official["ADCODE"] = official["ADCODE"] + "000"
    official = official.set_crs("EPSG:4490", allow_override=True)
    path = tmp_path_factory.mktemp("official") / "streets.gpkg"
    official.to_file(path, driver="GPKG")
    return AreasSource(path, crs="EPSG:4490", code_field="ADCODE", schematic=False)


@pytest.fixture
def run_geo(tmp_path: Path) -> Callable[..., subprocess.CompletedProcess]:
    """``python -m geo ARGS`` as a user runs it, on a store of its own (in ``tmp_path``)."""
    state = tmp_path / "cli-state"
    env = {k: v for k, v in os.environ.items() if k not in config.REDIRECTING}
    env.update(SHIZHONG_STATE_DIR=str(state), PYTHONIOENCODING="utf-8")

    def run(*args) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "geo", *map(str, args)],
            cwd=PROJECT_DIR,
            env=env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=300,
        )

    return run
