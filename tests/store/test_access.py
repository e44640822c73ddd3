"""Who may write what, checked where the data is written (geo.store.records): each write path
across the boundary of a subdistrict editor's scope, review before publishing, verification.

Every refusal is checked to have written nothing: the records, the audit trail, the
submissions and the store's data version are as before.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from geo.data.access import Account
from geo.data.completeness import location_completeness, to_verify, verified_share
from geo.intake.ledger import import_file
from geo.load import load_dataset
from geo.store.backup import backup_store, restore_store
from geo.store.records import Change, ScopeError, Store
from tests.accounts import secrets_with
from tests.intake.ledgers import scope_ledger

DANGJIA, DOUGOU = "370103021", "370103022"
EDITOR = Account("dj-editor", "street", {DANGJIA})
REVIEWER = Account("zzb-reviewer", "reviewer")
ADMIN = Account("zzb-admin", "admin")


def _site(store: Store, subdistrict: str) -> dict:
    sites = store.read_sites()
    return sites[sites["subdistrict_code"] == subdistrict].iloc[0].to_dict()


def _state(store: Store) -> tuple:
    """Everything a write could change."""
    return (
        store.read_sites().to_dict("records"),
        store.read("units").to_dict("records"),
        store.read("areas").to_dict("records"),
        store.read("verifications").to_dict("records"),
        len(store.audit_log(100_000)),
        len(store.submissions()),
        store.data_version(),
    )


def _refused(store: Store, write, owner: str) -> ScopeError:
    before = _state(store)
    with pytest.raises(ScopeError) as caught:
        write()
    assert owner in [o for _, _, o in caught.value.refused]
    assert _state(store) == before
    return caught.value


# --- each write path, across the boundary -----------------------------------------------------


def test_a_page_edit_of_another_subdistricts_site_is_refused(store):
    other = _site(store, DOUGOU)
    error = _refused(
        store,
        lambda: store.save("sites", {**other, "name": "越界"}, EDITOR, int(other["version"])),
        DOUGOU,
    )
    assert error.account == EDITOR and error.refused == [("sites", other["id"], DOUGOU)]


def test_moving_a_site_into_ones_own_subdistrict_is_refused(store):
    other = _site(store, DOUGOU)
    moved = {**other, "subdistrict_code": DANGJIA}
    _refused(store, lambda: store.save("sites", moved, EDITOR, int(other["version"])), DOUGOU)


def test_a_figure_about_another_subdistricts_site_is_refused(store):
    other = _site(store, DOUGOU)
    figure = {
        "id": "m-scope-test",
        "name_zh": "越界指标",
        "name_en": "Out of scope",
        "value": 1.0,
        "unit": "个",
        "qualifier": "",
        "scope_type": "site",
        "scope_code": other["id"],
        "program": "",
        "year": 2024,
        "source": "test",
        "period": "year",
    }
    _refused(store, lambda: store.save("metrics", figure, EDITOR), DOUGOU)
    district = {**figure, "scope_type": "district", "scope_code": "370103"}
    _refused(store, lambda: store.save("metrics", district, EDITOR), "district")


def test_a_map_placement_of_another_subdistricts_village_is_refused(store):
    placed = {"id": DOUGOU + "201", "lon": 116.89, "lat": 36.6, "location_precision": "exact"}
    placed["source"] = "点击"
    _refused(store, lambda: store.save("units", placed, EDITOR), DOUGOU)


def test_a_revert_of_another_subdistricts_change_is_refused(store):
    other = _site(store, DOUGOU)
    store.save("sites", {**other, "name": "管理员改名"}, ADMIN, int(other["version"]))
    entry = int(store.audit_log(1)["id"].iloc[0])
    _refused(store, lambda: store.revert(entry, EDITOR), DOUGOU)


def test_boundaries_and_restores_are_for_administrators_only(store, tmp_path: Path):
    area = {
        "id": DANGJIA,
        "code": DANGJIA,
        "name": "党家街道",
        "geometry": "POLYGON ((116.9 36.58, 116.91 36.58, 116.91 36.59, 116.9 36.58))",
        "schematic": 0,
        "source": "test",
    }
    for who in (EDITOR, REVIEWER):
        _refused(
            store, lambda who=who: store.apply([Change("areas", "insert", area)], who), "district"
        )
    if store.engine.dialect.name != "sqlite":
        return  # the restore's refusal comes before the engine matters
    saved = backup_store(store, tmp_path / "backup.sqlite")
    _refused(store, lambda: restore_store(store, saved, EDITOR), "district")
    restore_store(store, saved, ADMIN)  # the administrator may


def test_a_reviewer_writes_nothing_of_their_own(store):
    own = _site(store, DANGJIA)
    _refused(store, lambda: store.save("sites", {**own, "name": "x"}, REVIEWER, 1), DANGJIA)


def test_a_ledger_with_another_subdistricts_row_is_refused_by_row(store, tmp_path: Path):
    ledger = scope_ledger(tmp_path)
    before = _state(store)
    result = import_file(ledger.path, store, EDITOR)
    refused = [i for i in result.errors if i.key == "out_of_scope"]
    assert [(i.row, i.column, i.value) for i in refused] == [(5, "所属街道", "陡沟街道")]
    assert "第5行「所属街道」“陡沟街道”：不属于您负责的街道" in refused[0].describe()
    assert not result.applied and _state(store) == before


def test_the_command_line_refuses_another_subdistricts_rows_for_its_user(run_geo, tmp_path: Path):
    secrets = secrets_with(tmp_path / "secrets.toml", dj=("street", (DANGJIA,)))
    ledger = scope_ledger(tmp_path)
    refused = run_geo("import", ledger.path, "--user", "dj", "--secrets", secrets)
    assert refused.returncode == 1, refused.stdout
    assert "第5行「所属街道」“陡沟街道”：不属于您负责的街道" in refused.stderr
    assert "未写入任何数据" in refused.stderr
    unknown = run_geo("import", ledger.path, "--user", "nobody", "--secrets", secrets)
    assert unknown.returncode == 1 and "未知账号 nobody" in unknown.stderr
    good = scope_ledger(tmp_path, other=False)
    done = run_geo("import", good.path, "--user", "dj", "--secrets", secrets)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith(
        "已新增 2 条，已修改 0 条，未变 0 条（已提交审核，发布后对外显示）"
    )


# --- review before publishing -----------------------------------------------------------------


def test_an_editors_import_waits_for_review_then_a_reviewer_publishes_it(store, tmp_path: Path):
    ledger = scope_ledger(tmp_path, other=False)
    sites_before = len(store.read_sites())
    result = import_file(ledger.path, store, EDITOR)
    assert result.applied and result.pending
    assert len(store.read_sites()) == sites_before  # viewers see nothing yet
    pending = store.submissions("pending")
    assert len(pending) == 1
    row = pending.iloc[0]
    assert (row["user"], row["title"], row["subdistricts"]) == (
        "dj-editor",
        ledger.path.name,
        [DANGJIA],
    )
    assert {c["record"]["name"] for c in row["changes"] if c["entity"] == "sites"} == {
        "核实测试服务站",
        "核实测试驿站",
    }
    with pytest.raises(ScopeError):  # an editor cannot publish their own work
        store.publish(int(row["id"]), EDITOR)
    store.publish(int(row["id"]), REVIEWER)
    sites = store.read_sites()
    assert len(sites) == sites_before + 2
    log = store.audit_log(2)
    assert set(log["user"]) == {"zzb-reviewer"} and set(log["submitted_by"]) == {"dj-editor"}
    assert store.submissions("published")["reviewed_by"].tolist() == ["zzb-reviewer"]
    with pytest.raises(ValueError):  # published once
        store.publish(int(row["id"]), REVIEWER)


def test_a_returned_submission_says_why_and_changes_nothing(store):
    own = _site(store, DANGJIA)
    store.save("sites", {**own, "name": "待退回"}, EDITOR, int(own["version"]))
    submission = int(store.submissions("pending")["id"].iloc[0])
    with pytest.raises(ValueError):
        store.return_submission(submission, REVIEWER, "  ")
    store.return_submission(submission, REVIEWER, "名称与台账不符")
    returned = store.submissions("returned").iloc[0]
    assert (returned["reason"], returned["reviewed_by"]) == ("名称与台账不符", "zzb-reviewer")
    assert store.get("sites", own["id"])["name"] == own["name"]


def test_with_review_off_an_editor_publishes_directly(store_url):
    store = Store.open(store_url, review=False)
    own = _site(store, DANGJIA)
    store.save("sites", {**own, "name": "直接发布"}, EDITOR, int(own["version"]))
    assert store.get("sites", own["id"])["name"] == "直接发布"
    assert store.submissions().empty
    other = _site(store, DOUGOU)  # the scope holds all the same
    _refused(store, lambda: store.save("sites", {**other, "name": "x"}, EDITOR, 1), DOUGOU)


def test_review_is_on_unless_the_setting_turns_it_off():
    from geo.config import review_required

    assert review_required({}, {})
    assert not review_required({"review": False}, {})
    assert not review_required({}, {"SHIZHONG_REVIEW": "0"})
    assert review_required({"review": False}, {"SHIZHONG_REVIEW": "1"})


# --- verified locations -----------------------------------------------------------------------


def test_verification_is_a_reviewed_change_and_feeds_the_share(store):
    own, other = _site(store, DANGJIA), _site(store, DOUGOU)
    _refused(store, lambda: store.verify(other["id"], EDITOR, "2026-11-20"), DOUGOU)
    with pytest.raises(ValueError):
        store.verify(own["id"], ADMIN, "20.11.2026")
    store.verify(own["id"], EDITOR, "2026-11-20", "实地走访")
    assert store.read("verifications").empty  # waits for the reviewer
    store.publish(int(store.submissions("pending")["id"].iloc[0]), REVIEWER)
    store.verify(other["id"], ADMIN, "2025-06-30")  # more than 12 months before the day below
    data = load_dataset(store)
    today = date(2026, 12, 6)
    assert verified_share(data.sites, today) == (1, len(data.sites))
    checked = data.sites.set_index("id").loc[own["id"]]
    assert (checked["verified_on"], checked["verified_by"]) == ("2026-11-20", "dj-editor")
    table = location_completeness(data.sites, data.units, data.subdistricts, "zh", today)
    by_street = dict(zip(table["街道"], table["近12个月已核实"], strict=True))
    assert by_street["党家街道"] == f"1 / {(data.sites.subdistrict_code == DANGJIA).sum()}（20%）"
    assert by_street["陡沟街道"].startswith("0 / ")
    todo = to_verify(data.sites, today)
    assert own["id"] not in set(todo["id"]) and other["id"] in set(todo["id"])
    # the one verified longest ago comes right after those never verified
    assert todo["verified_on"].tolist()[-1] == "2025-06-30"
    assert verified_share(data.sites, today + timedelta(days=400)) == (0, len(data.sites))
