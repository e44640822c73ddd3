"""geo.store.shipped: shipped data corrections reach a store seeded before them, and an office's
edit of the same record is kept and listed as a conflict (on both engines: ``store``)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from geo.config import DATA_DIR
from geo.data import io
from geo.data.citations import cite
from geo.store import shipped
from geo.store.records import SYSTEM_USER, Store
from geo.store.schema import shipped_table

CORRECTED = "c-370103003001"  # 春元里社区: its brand tier's section (issue 24)
EDITED = "c-370103003004"  # 乐山小区社区: an office edits it, the shipped data changes it too
OLD_SOURCE = "article-2024#融合共治"
NEW_SOURCE = "article-2024#融合共治、聚能创新"


def _write_sites(folder: Path, change) -> None:
    """Rewrite ``folder``'s sites.csv with ``change(frame)`` applied (text kept as text)."""
    path = folder / "sites.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    change(frame)
    frame.to_csv(path, index=False)


def _copy_data(folder: Path) -> Path:
    """A copy of data/'s files in ``folder`` (a version's shipped data to change)."""
    folder.mkdir()
    for path in DATA_DIR.iterdir():
        if path.is_file():
            (folder / path.name).write_bytes(path.read_bytes())
    return folder


def _set(frame: pd.DataFrame, site: str, column: str, value: str) -> None:
    frame.loc[frame["id"] == site, column] = value


@pytest.fixture
def before(tmp_path: Path) -> Path:
    """data/ as the version before the correction shipped it: 春元里 citing one section."""
    folder = _copy_data(tmp_path / "before")
    _write_sites(folder, lambda f: _set(f, CORRECTED, "source", OLD_SOURCE))
    return folder


def _site(store: Store, site: str) -> dict:
    record = store.get("sites", site)
    assert record is not None, site
    return record


# --- the data correction itself ----------------------------------------------------------------


def test_chunyuanli_cites_both_sections_it_draws_on():
    sites = io.load_sites().set_index("id")
    assert sites.at[CORRECTED, "source"] == NEW_SOURCE
    assert "跟进" in sites.at[CORRECTED, "description"]
    shown = cite(NEW_SOURCE, io.load_sources(), "zh")
    assert shown.endswith("（融合共治、聚能创新）"), shown


# --- bringing shipped data in ------------------------------------------------------------------


def test_a_fresh_store_has_nothing_to_bring_in(store):
    report = shipped.bring_in_shipped(store)
    assert report.written == 0 and not report.conflicts
    assert report.unchanged == len(store.read_sites()) + len(store.read_metrics()) + 2
    # and it now remembers every shipped record
    with store.engine.connect() as conn:
        remembered = conn.execute(sa.select(sa.func.count()).select_from(shipped_table)).scalar()
    assert remembered == report.unchanged


def test_correction_reaches_a_store_seeded_before_it(store_url, before):
    store = Store.open(store_url, data_dir=before)  # seeded by the older version
    assert _site(store, CORRECTED)["source"] == OLD_SOURCE
    version = store.data_version()

    report = shipped.bring_in_shipped(store, DATA_DIR)

    assert [c[:2] for c in report.corrected] == [("sites", CORRECTED)]
    assert not report.added and not report.removed and not report.conflicts
    record = _site(store, CORRECTED)
    assert record["source"] == NEW_SOURCE
    assert record["version"] == 2 and record["updated_by"] == SYSTEM_USER
    assert store.data_version() > version
    entry = store.audit_log(1).iloc[0]
    assert (entry["action"], entry["record_id"]) == ("upgrade", CORRECTED)
    assert json.loads(entry["before"])["source"] == OLD_SOURCE
    # a second run finds nothing more to do
    again = shipped.bring_in_shipped(store, DATA_DIR)
    assert again.written == 0 and not again.conflicts


def test_office_edit_survives_and_is_listed_as_a_conflict(store, tmp_path):
    newer = _copy_data(tmp_path / "newer")
    shipped.bring_in_shipped(store)  # remembered as shipped
    office = _site(store, EDITED)
    store.save("sites", {**office, "description": "本单位核实后的说明。"}, "office", 1)
    _write_sites(newer, lambda f: _set(f, EDITED, "description", "发布的更正说明。"))

    report = shipped.bring_in_shipped(store, newer)

    assert not report.corrected
    (conflict,) = report.conflicts
    assert (conflict.entity, conflict.record_id, conflict.name) == ("sites", EDITED, "乐山小区社区")
    assert conflict.fields == ("description",)
    assert conflict.office["description"] == "本单位核实后的说明。"
    assert conflict.shipped["description"] == "发布的更正说明。"
    assert _site(store, EDITED)["description"] == "本单位核实后的说明。"
    lines = shipped.report_lines(report, "zh")
    assert "冲突 1 条" in lines[0]
    assert any("乐山小区社区" in line and "说明" in line for line in lines[1:])
    # kept until settled: listed for the Manage page, and again by the next upgrade
    assert [c.record_id for c in shipped.shipped_conflicts(store)] == [EDITED]
    assert [c.record_id for c in shipped.bring_in_shipped(store, newer).conflicts] == [EDITED]


@pytest.mark.parametrize("take_shipped", [True, False], ids=["take", "keep"])
def test_settling_a_conflict(store, tmp_path, take_shipped):
    newer = _copy_data(tmp_path / "newer")
    shipped.bring_in_shipped(store)
    store.save("sites", {**_site(store, EDITED), "year": 2023}, "office", 1)
    _write_sites(newer, lambda f: _set(f, EDITED, "year", "2025"))
    (conflict,) = shipped.bring_in_shipped(store, newer).conflicts

    shipped.resolve_conflict(store, conflict, take_shipped, "admin")

    assert _site(store, EDITED)["year"] == (2025 if take_shipped else 2023)
    assert shipped.shipped_conflicts(store) == []
    assert not shipped.bring_in_shipped(store, newer).conflicts


def test_new_and_withdrawn_shipped_records(store, tmp_path):
    newer = _copy_data(tmp_path / "newer")
    shipped.bring_in_shipped(store)
    sites = io.load_sites()
    withdrawn = sites["id"].iloc[-1]
    copy = sites[sites["id"] == EDITED].iloc[0].to_dict()

    def change(frame: pd.DataFrame) -> None:
        added = frame[frame["id"] == EDITED].iloc[0].copy()
        added["id"], added["name"] = "c-new-site", "新发布的点位"
        frame.loc[frame.index[frame["id"] == withdrawn][0]] = added  # one out, one in

    _write_sites(newer, change)
    report = shipped.bring_in_shipped(store, newer)
    assert [r[:2] for r in report.added] == [("sites", "c-new-site")]
    assert [r[:2] for r in report.removed] == [("sites", withdrawn)]
    assert store.get("sites", withdrawn) is None
    assert _site(store, "c-new-site")["name"] == "新发布的点位"
    assert _site(store, "c-new-site")["unit_code"] == copy["unit_code"]


def test_an_office_record_is_never_touched(store):
    office = {**_site(store, EDITED), "id": "c-office-own", "name": "本单位新增的点位"}
    store.save("sites", office, "office")
    report = shipped.bring_in_shipped(store)
    assert report.written == 0 and not report.conflicts
    assert _site(store, "c-office-own")["name"] == "本单位新增的点位"


def test_schema_downgrade_for_a_rollback_keeps_the_data(tmp_path):
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    store = Store.open(url)
    shipped.bring_in_shipped(store)
    sites = len(store.read_sites())
    assert shipped.schema_revision(store) == "0007"
    store.engine.dispose()

    shipped.downgrade_schema(url, "0005")

    engine = sa.create_engine(url)
    with engine.connect() as conn:
        assert not sa.inspect(conn).has_table("shipped")
        assert conn.execute(sa.text("SELECT count(*) FROM sites")).scalar() == sites
    engine.dispose()
    # and the newer version upgrades it again
    assert shipped.schema_revision(Store.open(url)) == "0007"


def test_comparable_treats_missing_values_alike():
    columns = ("id", "year", "lon", "inferred", "description")
    store_row = {"id": "x", "year": 2024, "lon": 117.0, "inferred": False, "description": ""}
    csv_row = {
        "id": "x",
        "year": 2024.0,
        "lon": 117.0000000000001,
        "inferred": 0,
        "description": None,
    }
    assert shipped.comparable(store_row, columns) == shipped.comparable(csv_row, columns)
    assert shipped.comparable({"id": "x"}, columns) == {"id": "x"}
    assert shipped.comparable(None, columns) is None


def test_upgrade_command_reports_the_correction(before, tmp_path, monkeypatch, capsys):
    """``python -m geo upgrade`` (install.sh runs it) on a store seeded by the older data."""
    from geo import cli

    monkeypatch.setenv("SHIZHONG_STATE_DIR", str(tmp_path / "state"))
    Store.open(data_dir=before).engine.dispose()

    assert cli.main(["upgrade", "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    assert "数据库结构：0007" in out and "更正 1 条" in out and "冲突 0 条" in out
    assert f"已更正：点位「春元里社区」（{CORRECTED}）" in out
    assert cli.main(["upgrade", "--lang", "en"]) == 0
    assert "0 corrected" in capsys.readouterr().out
