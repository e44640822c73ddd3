"""Issue #29: the overview's figure cards compare each figure with its previous period and its
target, with a trend line from three periods; a figure of one period reads as it always did."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.intake.ledger import import_file
from geo.store.records import Store
from geo.text.labels import t
from tests.intake.figures import SOURCE, figures_ledger
from tests.ui.test_app import app
from ui.text import md_escape

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def ledgered(app_state: Path) -> Path:
    """The shipped data, plus the test's figures ledger of 2022-2024."""
    store = Store.open()
    assert import_file(figures_ledger(app_state), store, "区委组织部").ok
    store.engine.dispose()
    return app_state


def _overview(**params: str) -> AppTest:
    return app(**params)  # the overview is the app's default page


def _card(at: AppTest, label: str):
    found = [m for m in at.metric if m.label == label]
    assert found, [m.label for m in at.metric]
    return found[0]


def test_a_card_shows_the_change_the_target_and_the_trend(ledgered):
    at = _overview(program="new_employment")
    card = _card(at, "新建暖心驿站")
    assert card.value == "18 个"
    assert card.delta == "+" + md_escape("3 个（+20%）")  # data is never markup
    assert card.proto.delta_description == "较2023年"
    assert card.proto.color == card.proto.MetricColor.Value("GREEN")  # more stations: good
    trend = [m.value for m in at.markdown if "sz-trend" in m.value]
    assert any("2022年度 12 个，2023年度 15 个，2024年度 18 个" in m for m in trend), trend
    # the period and the share of the target under it
    captions = [c.value for c in at.caption]
    assert "2024年度 · 完成目标 90%（目标 20 个）" in captions
    # hover: every period with its source, the target with its own
    assert md_escape("2022年度：12 个（来源：区委组织部指标统计）") in card.help
    assert md_escape("完成目标 90%（目标 20 个）（来源：区委组织部2024年工作要点）") in card.help


def test_a_one_period_card_is_as_it_was(ledgered):
    at = _overview(program="new_employment")
    riders = _card(at, "骑手担任兼职网格员")  # the article's figure: 2024 only
    assert riders.value == md_escape("100+ 人") and riders.delta == "截至2024年"
    assert not riders.proto.delta_description
    assert riders.proto.color == riders.proto.MetricColor.Value("GRAY")


def test_the_year_view_compares_that_year(ledgered):
    at = _overview(program="new_employment", year="2023")
    card = _card(at, "新建暖心驿站")
    assert card.value == "15 个" and card.delta == "+" + md_escape("3 个（+25%）")
    # two periods by 2023: no trend line yet
    assert not [m for m in at.markdown if "sz-trend" in m.value and "新建" in m.value]
    assert not any("2024年度 18 个" in m.value for m in at.markdown if "sz-trend" in m.value)
    assert not [m for m in at.metric if m.label == "骑手担任兼职网格员"]  # as of 2024
    assert t("reported") in " ".join(c.value for c in at.caption)


def test_a_fall_points_down_and_its_colour_follows_the_good_direction(app_state):
    rows = [
        ["党员志愿服务队伍数", "新就业群体党建", f"{year}年", f"{n}支", "", "", SOURCE]
        for year, n in ((2023, 30), (2024, 24))
    ] + [
        ["群众投诉件数", "新就业群体党建", f"{year}年", f"{n}件", "", "", SOURCE]
        for year, n in ((2023, 50), (2024, 40))
    ]
    path = figures_ledger(app_state, rows)
    from openpyxl import load_workbook

    book = load_workbook(path)
    book["指标"].cell(3, 9, "变化方向")
    for row in (6, 7):  # the complaints: fewer is better
        book["指标"].cell(row, 9, "越低越好")
    book.save(path)
    store = Store.open()
    assert import_file(path, store, "区委组织部").ok
    store.engine.dispose()
    at = _overview(program="new_employment")
    teams, complaints = _card(at, "党员志愿服务队伍数"), _card(at, "群众投诉件数")
    assert teams.delta.startswith("-6") and complaints.delta.startswith("-10")
    down = teams.proto.MetricDirection.Value("DOWN")
    assert teams.proto.direction == down and complaints.proto.direction == down
    assert teams.proto.color == teams.proto.MetricColor.Value("RED")  # fewer teams: bad
    assert complaints.proto.color == complaints.proto.MetricColor.Value("GREEN")
