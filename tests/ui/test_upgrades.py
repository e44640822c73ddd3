"""ui.upgrades on the Manage page (AppTest): the conflicts an upgrade left, and settling one."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from geo.config import DATA_DIR
from geo.store import shipped
from geo.store.records import Store
from tests.ui.test_manage import EDITORS, PASSWORD, log_in, manage

EDITED = "c-370103003004"  # 乐山小区社区


def _conflict(tmp_path: Path) -> Store:
    """The app's store with one conflict: an office's description, a newer shipped one."""
    newer = tmp_path / "newer"
    newer.mkdir()
    for path in DATA_DIR.iterdir():
        if path.is_file():
            (newer / path.name).write_bytes(path.read_bytes())
    sites = pd.read_csv(newer / "sites.csv", dtype=str, keep_default_na=False)
    sites.loc[sites["id"] == EDITED, "description"] = "发布的更正说明。"
    sites.to_csv(newer / "sites.csv", index=False)
    store = Store.open()
    shipped.bring_in_shipped(store)
    store.save(
        "sites", {**store.get("sites", EDITED), "description": "本单位的说明。"}, "office", 1
    )
    assert len(shipped.bring_in_shipped(store, newer).conflicts) == 1
    return store


def test_no_section_without_conflicts(app_state):
    at = log_in(manage(EDITORS), "alice", PASSWORD)
    assert not [e for e in at.expander if "发布的数据更正" in e.label]


def test_an_administrator_takes_the_shipped_version(app_state, tmp_path):
    store = _conflict(tmp_path)
    at = log_in(manage(EDITORS), "alice", PASSWORD)
    (section,) = [e for e in at.expander if "发布的数据更正" in e.label]
    assert "冲突 1 条" in section.label
    table = next(d.value for d in at.dataframe if "发布的版本" in d.value.columns)
    assert table.iloc[0].tolist() == ["说明", "本单位的说明。", "发布的更正说明。"]

    next(b for b in at.button if b.label == "采用发布的版本").click().run()

    assert not at.exception, [e.message for e in at.exception]
    assert any("已采用发布的版本：乐山小区社区" in s.value for s in at.success)
    assert store.get("sites", EDITED)["description"] == "发布的更正说明。"
    assert not [e for e in at.expander if "发布的数据更正" in e.label]
