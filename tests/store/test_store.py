"""geo.store.records: seeding, versioned writes, conflicts, all-or-nothing batches, the audit
trail."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest
import shapely

from geo.config import database_url
from geo.data import io
from geo.intake.boundaries import load_configured_areas
from geo.load import validate_dataset
from geo.store.records import SYSTEM_USER, ConflictError, Store

SITE = "c-370103003001"  # 春元里社区


def _record(store: Store, entity: str, record_id: str) -> dict:
    frame = store.read(entity)
    rows = frame[frame["id"] == record_id]
    assert len(rows) == 1, record_id
    return rows.iloc[0].to_dict()


def _snapshot(store: Store) -> tuple:
    return (
        store.read_sites().to_dict("records"),
        store.read_metrics().to_dict("records"),
        store.read_alliances().to_dict("records"),
        len(store.audit_log(10_000)),
        store.data_version(),
    )


# --- opening and seeding ---------------------------------------------------------------------


def test_open_seeds_from_data(store):
    assert len(store.read_sites()) == 20
    assert len(store.read_metrics()) == 16
    assert len(store.read_alliances()) == 2
    assert store.data_version() == 1
    sites = store.read_sites()
    assert set(sites["version"]) == {1} and set(sites["updated_by"]) == {SYSTEM_USER}


def test_seeded_records_equal_the_csv(store):
    stored = store.read_sites().set_index("id")
    source = io.load_sites().set_index("id")
    for column in io.SITE_COLUMNS[1:]:
        assert stored[column].tolist() == source.loc[stored.index, column].tolist(), column
    metrics = store.read_metrics().set_index("id")
    assert metrics.at["m-fs-income", "value"] == 40000
    assert metrics.at["m-riders-grid", "qualifier"] == "at_least"


def test_seed_is_audited(store):
    audit = store.audit_log(10_000)
    assert len(audit) == 20 + 16 + 2
    assert set(audit["action"]) == {"seed"} and set(audit["user"]) == {SYSTEM_USER}
    assert audit["before"].isna().all()
    after = json.loads(audit[audit["record_id"] == SITE]["after"].iloc[0])
    assert after["name"] == "春元里社区" and after["programs"] == "red_property;community_brand"


def test_second_open_does_not_reseed(store):
    url = store.url
    before = _snapshot(store)
    again = Store.open(url)
    assert _snapshot(again) == before
    assert again.seed() is False


def test_default_database_is_in_the_state_dir(isolated_state_dir):
    url = database_url()
    assert url.startswith("sqlite:///")
    assert Path(url.removeprefix("sqlite:///")).parent == isolated_state_dir


# --- writing ---------------------------------------------------------------------------------


def test_update_is_read_back_and_bumps_versions(store):
    record = _record(store, "sites", SITE)
    record.update(name="春元里社区（新）", lon=116.9975, year=2023)

    assert store.save("sites", record, "alice", expected_version=1) == 2

    saved = _record(store, "sites", SITE)
    assert saved["name"] == "春元里社区（新）" and saved["lon"] == 116.9975
    assert saved["year"] == 2023
    assert saved["version"] == 2 and saved["updated_by"] == "alice"
    assert store.data_version() == 2
    other = _record(store, "sites", "c-370103003004")
    assert other["version"] == 1


def test_write_survives_reopening_the_file(store):
    record = _record(store, "metrics", "m-brands")
    record["value"] = 22
    store.save("metrics", record, "bob", expected_version=1)

    reopened = Store.open(store.url)
    saved = _record(reopened, "metrics", "m-brands")
    assert saved["value"] == 22 and saved["version"] == 2 and saved["updated_by"] == "bob"
    assert reopened.data_version() == 2
    assert len(reopened.read_metrics()) == 16


def test_versions_increment_with_each_save(store):
    record = _record(store, "alliances", "al-yufuquanyuan")
    for expected in range(1, 4):
        record["description"] = f"edit {expected}"
        assert store.save("alliances", record, "carol", expected_version=expected) == expected + 1
    assert _record(store, "alliances", "al-yufuquanyuan")["version"] == 4
    assert store.data_version() == 1 + 3


def test_data_version_grows_after_each_write(store):
    seen = [store.data_version()]
    record = _record(store, "sites", SITE)
    store.save("sites", dict(record, name="a"), "u", expected_version=1)
    seen.append(store.data_version())
    store.save("sites", dict(record, id="x-new", name="new"), "u")
    seen.append(store.data_version())
    assert seen == sorted(seen) and len(set(seen)) == 3


def test_stale_version_raises_and_changes_nothing(store):
    record = _record(store, "sites", SITE)
    store.save("sites", dict(record, name="first"), "alice", expected_version=1)
    before = _snapshot(store)

    with pytest.raises(ConflictError, match="changed since it was read"):
        store.save("sites", dict(record, name="second"), "bob", expected_version=1)

    assert _snapshot(store) == before
    assert _record(store, "sites", SITE)["name"] == "first"


def test_update_of_a_missing_record_conflicts(store):
    record = dict(_record(store, "sites", SITE), id="no-such-site")
    before = _snapshot(store)
    with pytest.raises(ConflictError, match="gone"):
        store.save("sites", record, "alice", expected_version=1)
    assert _snapshot(store) == before


def test_insert_new_record(store):
    record = dict(_record(store, "sites", SITE), id="x-new", name="新站点")
    assert store.save("sites", record, "dave") == 1
    saved = _record(store, "sites", "x-new")
    assert saved["name"] == "新站点" and saved["version"] == 1 and saved["updated_by"] == "dave"
    assert len(store.read_sites()) == 21
    newest = store.audit_log(1).iloc[0]
    assert (newest["action"], newest["user"], newest["record_id"]) == ("insert", "dave", "x-new")


def test_insert_of_an_existing_id_conflicts(store):
    record = dict(_record(store, "sites", SITE), name="duplicate")
    before = _snapshot(store)
    with pytest.raises(ConflictError, match="already exists"):
        store.save("sites", record, "eve")
    assert _snapshot(store) == before


def test_save_many_is_all_or_nothing(store):
    first = dict(_record(store, "sites", "c-370103003004"), name="applied?")
    stale = dict(_record(store, "sites", SITE), name="stale")
    store.save("sites", dict(stale, name="meanwhile"), "other", expected_version=1)
    before = _snapshot(store)

    with pytest.raises(ConflictError):
        store.save_many("sites", [(first, 1), (stale, 1)], "frank")

    assert _snapshot(store) == before
    assert _record(store, "sites", "c-370103003004")["name"] == "乐山小区社区"


def test_save_many_rolls_back_inserts_too(store):
    new = dict(_record(store, "sites", SITE), id="x-batch")
    existing = _record(store, "sites", SITE)
    with pytest.raises(ConflictError):
        store.save_many("sites", [(new, None), (existing, None)], "grace")
    assert "x-batch" not in set(store.read_sites()["id"])


def test_save_many_applies_all(store):
    a = dict(_record(store, "sites", SITE), name="A")
    b = dict(_record(store, "sites", "c-370103003004"), name="B")
    assert store.save_many("sites", [(a, 1), (b, 1)], "heidi") == [2, 2]
    assert _record(store, "sites", SITE)["name"] == "A"
    assert _record(store, "sites", "c-370103003004")["name"] == "B"
    assert store.data_version() == 2  # one transaction, one bump


def test_update_audit_has_user_action_before_and_after(store):
    record = _record(store, "sites", SITE)
    store.save("sites", dict(record, name="改名"), "ivan", expected_version=1)

    entry = store.audit_log(1).iloc[0]
    assert entry["user"] == "ivan" and entry["action"] == "update"
    assert entry["entity"] == "sites" and entry["record_id"] == SITE
    assert entry["at"]
    before, after = json.loads(entry["before"]), json.loads(entry["after"])
    assert before["name"] == "春元里社区" and after["name"] == "改名"
    assert set(before) == set(after) == set(io.SITE_COLUMNS)
    assert {k for k in before if before[k] != after[k]} == {"name"}


def test_audit_log_is_newest_first_and_limited(store):
    record = _record(store, "sites", SITE)
    store.save("sites", dict(record, name="one"), "u1", expected_version=1)
    store.save("sites", dict(record, name="two"), "u2", expected_version=2)
    latest = store.audit_log(2)
    assert list(latest["user"]) == ["u2", "u1"]
    assert latest["id"].is_monotonic_decreasing


def test_two_stores_on_one_file_detect_each_others_writes(store):
    other = Store.open(store.url)
    mine = _record(store, "sites", SITE)
    theirs = _record(other, "sites", SITE)
    other.save("sites", dict(theirs, name="theirs"), "them", expected_version=theirs["version"])
    with pytest.raises(ConflictError):
        store.save("sites", dict(mine, name="mine"), "me", expected_version=mine["version"])
    assert _record(store, "sites", SITE)["name"] == "theirs"


def test_a_valid_dataset_is_seeded_and_an_incomplete_one_refused(tmp_path, data_copy, drop_column):
    assert validate_dataset(data_copy).ok
    seeded = Store.open(f"sqlite:///{tmp_path}/copy.sqlite", data_dir=data_copy)
    assert len(seeded.read_alliances()) == len(io.load_alliances(data_copy / "alliances.csv"))
    drop_column(data_copy / "alliances.csv", "inferred_codes")
    assert not validate_dataset(data_copy).ok
    url = f"sqlite:///{tmp_path}/broken.sqlite"
    with pytest.raises(ValueError, match="alliances.csv lacks the column.*inferred_codes"):
        Store.open(url, data_dir=data_copy)
    empty = Store(url)
    assert empty.data_version() == 0
    assert all(empty.read(entity).empty for entity in ("sites", "metrics", "alliances"))


def _official_area(code: str, name: str, west: float, south: float) -> dict:
    square = shapely.box(west, south, west + 0.01, south + 0.01)
    return {
        "id": code,
        "code": code,
        "name": name,
        "geometry": shapely.to_geojson(shapely.MultiPolygon([square])),
        "schematic": 0,
        "source": "边界文件《测试.shp》",
    }


def test_official_areas_are_versioned_records_that_lookups_use(store):
    """Stored official areas replace the schematic one in lookups (PostGIS: in the database),
    and deleting them (a revert) brings the shipped schematic area back."""
    code = "370103009"  # 七里山街道
    areas = load_configured_areas()
    inside = areas[areas["code"] == code].geometry.iloc[0].representative_point()
    assert store.subdistrict_at(inside.x, inside.y) == code
    # an "official" square far from 七里山's schematic area, inside the district outline
    area = _official_area(code, "七里山街道", 116.85, 36.52)
    assert store.save("areas", area, "editor") == 1
    stored = store.read_areas()
    assert list(stored["code"]) == [code] and not stored["schematic"].any()
    assert stored.geometry.iloc[0].equals(shapely.from_geojson(area["geometry"]))
    assert store.subdistrict_at(116.855, 36.525) == code
    assert store.subdistrict_at(inside.x, inside.y) != code
    audit = store.audit_log(1).iloc[0]
    assert (audit["entity"], audit["record_id"], audit["action"]) == ("areas", code, "insert")
    store.revert(int(audit["id"]), "editor")
    assert store.read_areas().empty
    assert store.subdistrict_at(inside.x, inside.y) == code


def test_placed_units_and_remembered_mappings_are_records_too(store):
    unit = {"id": "370103021213", "lon": 116.9, "lat": 36.6, "location_precision": "exact"}
    version = store.save("units", unit | {"source": "地图点选"}, "editor")
    moved = unit | {"lon": 116.91, "source": "地图点选"}
    assert store.save("units", moved, "editor", expected_version=version) == 2
    with pytest.raises(ConflictError):
        store.save("units", moved, "other", expected_version=version)
    assert store.read("units").set_index("id").loc["370103021213", "lon"] == 116.91
    store.save("mappings", {"id": "h1", "headers": "[]", "mapping": "{}"}, "editor")
    assert list(store.read("mappings")["id"]) == ["h1"]
    with pytest.raises(ValueError, match="entity must be one of"):
        store.read("castles")


def test_the_geocoder_cache_remembers_each_address(store):
    assert store.cached_geocodes(["济南市市中区七贤街道"]) == {}
    answer = {"lon": 116.99, "lat": 36.6, "level": "门址", "location_precision": "exact"}
    store.cache_geocode("济南市市中区七贤街道", answer | {"provider": "tianditu"})
    store.cache_geocode("查无此地", {"lon": None, "lat": None, "level": "", "provider": "t"})
    found = store.cached_geocodes(["济南市市中区七贤街道", "查无此地", "别处"])
    assert set(found) == {"济南市市中区七贤街道", "查无此地"}
    assert found["济南市市中区七贤街道"]["lon"] == 116.99
    assert found["查无此地"]["lon"] is None


# --- revision 0003: sites.inferred, metrics.period -------------------------------------------


def test_seeded_inferred_and_period_round_trip(store):
    sites = store.read_sites().set_index("id")
    assert sites["inferred"].dtype == bool
    assert set(sites.index[sites["inferred"]]) == {"v-370103021209", "demo-sddi"}
    metrics = store.read_metrics().set_index("id")
    assert metrics.at["m-fs-projects", "period"] == "to_date"
    assert metrics.at["m-secondment", "period"] == "year"
    record = _record(store, "metrics", "m-brands")
    store.save("metrics", dict(record, period="year"), "judy", expected_version=1)
    assert _record(store, "metrics", "m-brands")["period"] == "year"
    site = _record(store, "sites", SITE)
    store.save("sites", dict(site, inferred=True), "judy", expected_version=1)
    assert _record(store, "sites", SITE)["inferred"] is True


def _alembic(store_url: str):
    from alembic.config import Config

    from geo.store.schema import MIGRATIONS_DIR

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def _at_0002_with_old_records(store_url: str):
    """A store made before 0003: schema at 0002, records as the old seed wrote them."""
    import sqlalchemy as sa
    from alembic import command

    from geo.config import sqlalchemy_url

    engine = sa.create_engine(sqlalchemy_url(store_url))
    config = _alembic(store_url)
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0002")
        stamp = {"version": 1, "updated_at": "2024-01-01T00:00:00+00:00"}
        site = {
            "name": "x",
            "kind": "village",
            "subdistrict_code": "370103021",
            "unit_code": "",
            "programs": "cross_village",
            "year": 2024,
            "description": "",
            "source": "article-2024#聚力攻坚",
            "lon": 116.9,
            "lat": 36.58,
            "location_precision": "subdistrict",
        }
        for record_id, user in (("v-370103021209", SYSTEM_USER), ("demo-sddi", "editor")):
            conn.execute(
                sa.text(
                    "INSERT INTO sites (id, name, kind, subdistrict_code, unit_code, programs, "
                    "year, description, source, lon, lat, location_precision, version, "
                    "updated_at, updated_by) VALUES (:id, :name, :kind, :subdistrict_code, "
                    ":unit_code, :programs, :year, :description, :source, :lon, :lat, "
                    ":location_precision, :version, :updated_at, :user)"
                ),
                {**site, **stamp, "id": record_id, "user": user},
            )
        metric = {
            "name_zh": "x",
            "name_en": "x",
            "value": 1.0,
            "unit": "个",
            "qualifier": "exact",
            "scope_type": "district",
            "scope_code": "370103",
            "program": "first_secretary",
            "year": 2024,
            "source": "article-2024#聚力攻坚",
        }
        for record_id, user, version in (
            ("m-fs-projects", SYSTEM_USER, 1),
            ("m-fs-income", SYSTEM_USER, 2),  # edited after the seed
            ("m-secondment", SYSTEM_USER, 1),
            ("imp-m-abc", "editor", 1),
        ):
            conn.execute(
                sa.text(
                    "INSERT INTO metrics (id, name_zh, name_en, value, unit, qualifier, "
                    "scope_type, scope_code, program, year, source, version, updated_at, "
                    "updated_by) VALUES (:id, :name_zh, :name_en, :value, :unit, :qualifier, "
                    ":scope_type, :scope_code, :program, :year, :source, :version, "
                    ":updated_at, :user)"
                ),
                {**metric, **stamp, "id": record_id, "user": user, "version": version},
            )
        conn.execute(sa.text("INSERT INTO meta (key, value) VALUES ('data_version', '1')"))
    engine.dispose()


def test_0003_upgrades_a_store_made_before_it(store_url):
    _at_0002_with_old_records(store_url)
    upgraded = Store(store_url)  # migrates to head
    metrics = dict(zip(*upgraded.read_metrics()[["id", "period"]].T.values, strict=True))
    # untouched seeded totals become to-date; edited, yearly and imported ones keep "year"
    assert metrics == {
        "m-fs-projects": "to_date",
        "m-fs-income": "year",
        "m-secondment": "year",
        "imp-m-abc": "year",
    }
    sites = dict(zip(*upgraded.read_sites()[["id", "inferred"]].T.values, strict=True))
    assert sites == {"v-370103021209": True, "demo-sddi": False}  # demo-sddi: not the seed's
    upgraded.engine.dispose()


def test_0003_downgrades_and_upgrades_again(store):
    import sqlalchemy as sa
    from alembic import command

    config = _alembic(store.url)
    with store.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0002")
    with warnings.catch_warnings():  # PostGIS' geometry type is unknown to plain SQLAlchemy
        warnings.simplefilter("ignore", sa.exc.SAWarning)
        inspector = sa.inspect(store.engine)
        metrics, sites = inspector.get_columns("metrics"), inspector.get_columns("sites")
    assert "period" not in {c["name"] for c in metrics} and "name_zh" in {
        c["name"] for c in metrics
    }
    assert "inferred" not in {c["name"] for c in sites} and "lon" in {c["name"] for c in sites}
    again = Store(store.url)
    # the seed's untouched records get their values again, the same as data/ gives them
    stored = again.read_metrics().set_index("id")["period"].sort_index()
    assert stored.to_dict() == io.load_metrics().set_index("id")["period"].sort_index().to_dict()
    assert len(again.read_sites()) == 20
    again.engine.dispose()


def test_restoring_a_backup_from_before_0003_migrates_it(tmp_path):
    from geo.store.backup import backup_sqlite, restore_sqlite

    old_url = f"sqlite:///{tmp_path}/old.sqlite"
    _at_0002_with_old_records(old_url)
    current = Store.open(f"sqlite:///{tmp_path}/current.sqlite")
    restore_sqlite(current, tmp_path / "old.sqlite", "admin")
    assert set(current.read_metrics()["id"]) == {
        "m-fs-projects",
        "m-fs-income",
        "m-secondment",
        "imp-m-abc",
    }
    assert _record(current, "metrics", "m-fs-projects")["period"] == "to_date"
    backup_sqlite(current, tmp_path / "again.sqlite")  # and the store keeps working
    current.engine.dispose()


def test_last_changed_is_the_newest_write(store):
    from datetime import UTC, datetime

    seeded = store.last_changed()
    assert seeded is not None and seeded.tzinfo is not None
    assert abs((datetime.now(UTC) - seeded).total_seconds()) < 600
    assert seeded == datetime.fromisoformat(store.audit_log(1)["at"].iloc[0])
    record = _record(store, "sites", SITE)
    store.save("sites", record | {"year": 2023}, "editor", expected_version=1)
    assert store.last_changed() >= seeded
    assert store.last_changed() == datetime.fromisoformat(store.audit_log(1)["at"].iloc[0])
