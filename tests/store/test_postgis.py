"""The store on PostgreSQL/PostGIS (and what both engines must do alike).

Needs the test server that ``make test`` starts (scripts/with_postgres.sh); the store tests in
test_store.py and test_imports.py run on both engines through the ``store`` fixture.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
import streamlit as st
from alembic.config import Config
from alembic.script import ScriptDirectory
from streamlit.testing.v1 import AppTest

from geo.data import io
from geo.store.records import ConflictError, Store
from geo.store.schema import MIGRATIONS_DIR, metadata

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def pg_url(request, tmp_path):
    from tests.conftest import empty_store_url

    with empty_store_url("postgresql", request, tmp_path) as url:
        yield url


def test_sites_have_an_indexed_postgis_point(pg_url):
    store = Store.open(pg_url)
    with store.engine.connect() as conn:
        kind = conn.execute(
            sa.text("SELECT type FROM geometry_columns WHERE f_table_name = 'sites'")
        ).scalar()
        index = conn.execute(
            sa.text("SELECT indexdef FROM pg_indexes WHERE indexname = 'sites_geom_idx'")
        ).scalar()
        point = conn.execute(
            sa.text("SELECT ST_X(geom), ST_Y(geom), lon, lat FROM sites WHERE id = :id"),
            {"id": "v-370103021210"},
        ).one()
        areas = conn.execute(sa.text("SELECT count(*) FROM subdistrict_areas")).scalar()
    assert kind == "POINT" and "gist" in index.lower()
    assert point[0] == point[2] and point[1] == point[3]  # generated from lon/lat
    assert areas == 17


def test_a_moved_site_moves_its_geometry(pg_url):
    store = Store.open(pg_url)
    record = store.get("sites", "v-370103021210")
    store.save("sites", {**record, "lon": 117.0, "lat": 36.65}, "t", record["version"])
    assert "v-370103021210" in store.site_ids_in_bbox(116.99, 36.64, 117.01, 36.66)


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_spatial_lookups_agree_on_both_engines(engine, request, tmp_path):
    from tests.conftest import empty_store_url

    with empty_store_url(engine, request, tmp_path) as url:
        store = Store.open(url)
        seat = io.load_subdistricts().set_index("code").loc["370103022"]
        assert store.subdistrict_at(seat["seat_lon"], seat["seat_lat"]) == "370103022"
        assert store.subdistrict_at(120.0, 30.0) is None
        inside = store.site_ids_in_bbox(116.85, 36.55, 116.95, 36.62)
        sites = io.load_sites()
        expected = sites[sites["lon"].between(116.85, 116.95) & sites["lat"].between(36.55, 36.62)][
            "id"
        ]
        assert inside == sorted(expected)
        store.engine.dispose()


def test_concurrent_writers_on_the_server_one_wins_the_rest_conflict(pg_url):
    """Eight editors save the same record from the same version at once: no lost update."""
    Store.open(pg_url)
    writers = [Store(pg_url) for _ in range(8)]
    record = writers[0].get("sites", "c-370103003001")
    barrier, outcomes = threading.Barrier(len(writers)), []

    def save(store: Store, n: int) -> None:
        barrier.wait()
        try:
            store.save("sites", {**record, "name": f"editor {n}"}, f"editor-{n}", 1)
            outcomes.append(("ok", n))
        except ConflictError as error:
            outcomes.append(("conflict", str(error)))

    threads = [threading.Thread(target=save, args=(s, n)) for n, s in enumerate(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    winners = [n for status, n in outcomes if status == "ok"]
    assert len(winners) == 1 and len(outcomes) == 8
    final = writers[0].get("sites", "c-370103003001")
    assert final["version"] == 2 and final["name"] == f"editor {winners[0]}"
    log = writers[0].audit_log(50)
    assert (log["action"] == "update").sum() == 1
    for store in writers:
        store.engine.dispose()


def test_a_store_made_before_migrations_is_upgraded_in_place(tmp_path):
    url = f"sqlite:///{tmp_path}/old.sqlite"
    engine = sa.create_engine(url)
    first_release = ("sites", "metrics", "alliances", "audit", "meta")
    # how the first release created its store: its tables, no migration stamp
    metadata.create_all(engine, tables=[metadata.tables[name] for name in first_release])
    engine.dispose()
    store = Store.open(url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    head = ScriptDirectory.from_config(config).get_current_head()
    with store.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == head
    assert store.read("areas").empty and store.read("units").empty
    assert len(store.read_sites()) == 20


def test_the_dashboard_runs_on_postgis_and_sees_other_instances_edits(pg_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", pg_url)
    st.cache_data.clear()
    st.cache_resource.clear()
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
        assert not at.exception
        assert {m.label: m.value for m in at.metric}["点位数（统计）"] == "20"
        other = Store(pg_url)  # another instance's writes, straight to the shared database
        record = other.get("sites", "v-370103021210")
        other.save("sites", {**record, "id": "x-other-instance", "name": "另一实例新增"}, "b")
        at.run()  # this instance's next rerun sees the new store version
        assert {m.label: m.value for m in at.metric}["点位数（统计）"] == "21"
        other.engine.dispose()
    finally:
        st.cache_data.clear()
        st.cache_resource.clear()


def test_a_plain_postgresql_url_uses_the_installed_driver(pg_url, monkeypatch):
    from geo.config import database_url, sqlalchemy_url

    plain = pg_url.replace("postgresql+psycopg://", "postgresql://")
    assert sqlalchemy_url(plain) == pg_url
    assert sqlalchemy_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert sqlalchemy_url("sqlite:///x.sqlite") == "sqlite:///x.sqlite"
    monkeypatch.setenv("DATABASE_URL", plain)
    assert database_url() == pg_url
    assert len(Store.open(plain).read_sites()) == 20
