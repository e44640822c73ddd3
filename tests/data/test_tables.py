"""geo.data.tables: records, the audit trail and the sources as people read them."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from geo.data import io
from geo.data.freshness import freshness_line, local_time
from geo.data.tables import audit_for_people, sources_for_people

UNITS = io.load_units()
SOURCES = io.load_sources()


def entry(id_, at, user, action, entity, record_id, before=None, after=None) -> dict:
    dump = lambda v: None if v is None else json.dumps(v, ensure_ascii=False)  # noqa: E731
    return {
        "id": id_,
        "at": at,
        "user": user,
        "action": action,
        "entity": entity,
        "record_id": record_id,
        "before": dump(before),
        "after": dump(after),
    }


SITE = {"id": "c-1", "name": "春元里社区", "kind": "community", "year": 2024, "version": 1}


def test_the_audit_trail_says_who_when_what_and_which_record_in_words():
    log = pd.DataFrame(
        [
            entry(
                3,
                "2026-12-01T01:30:00+00:00",
                "zhangsan",
                "update",
                "sites",
                "c-1",
                SITE,
                SITE | {"name": "春元里社区（新）", "kind": "station", "year": 2025, "version": 2},
            ),
            entry(2, "2026-11-30T16:05:00+00:00", "cli:wang", "import", "units", "370103003001",
                  None, {"id": "370103003001", "lon": 117.0, "lat": 36.6}),
            entry(1, "2026-11-30T00:00:00+00:00", "system:seed", "seed", "metrics", "m-x",
                  None, {"id": "m-x", "name_zh": "第一书记提拔重用", "name_en": "Promoted"}),
            entry(0, "2026-11-29T00:00:00+00:00", "li", "delete", "alliances", "al-1",
                  {"id": "al-1", "name": "玉符泉源联合党委"}, None),
        ]
    )  # fmt: skip
    shown = audit_for_people(log, UNITS)
    assert list(shown.columns) == [
        "时间", "操作人", "提交人", "操作", "对象", "记录", "变更内容", "变更编号", "记录编号",
    ]  # fmt: skip
    first = shown.iloc[0]
    assert first["时间"] == "2026-12-01 09:30"  # Beijing time
    assert (first["操作人"], first["操作"], first["对象"]) == ("zhangsan", "修改", "点位")
    assert first["记录"] == "春元里社区（新）"
    assert first["变更内容"] == (
        "名称：春元里社区 → 春元里社区（新）；类型：社区 → 暖心驿站；年份：2024 → 2025"
    )
    assert (first["变更编号"], first["记录编号"]) == (3, "c-1")
    second = shown.iloc[1]
    assert second["时间"] == "2026-12-01 00:05"  # the day changes at midnight, Beijing time
    assert (second["操作人"], second["操作"]) == ("命令行（wang）", "导入台账 · 新增")
    assert (second["对象"], second["记录"]) == ("村/社区位置", "春元里社区")
    assert shown.iloc[2]["操作人"] == "系统（初始数据）"
    assert shown.iloc[2]["记录"] == "第一书记提拔重用"
    assert (shown.iloc[3]["操作"], shown.iloc[3]["变更内容"]) == ("删除", "记录已删除")
    english = audit_for_people(log, UNITS, "en")
    assert (
        english.iloc[0]["Record"] == "春元里社区（新）" and english.iloc[2]["Record"] == "Promoted"
    )
    assert english.iloc[0]["Action"] == "changed"


def test_an_empty_audit_trail_keeps_its_columns():
    empty = pd.DataFrame(columns=["id", "at", "user", "action", "entity", "record_id"])
    assert list(audit_for_people(empty.assign(before=None, after=None), UNITS).columns)[:2] == [
        "时间",
        "操作人",
    ]


def test_sources_for_people_cite_in_full_and_count_the_records():
    references = ["article-2024#聚力攻坚", "article-2024", "import:台账.xlsx", "nbs-2023"]
    shown = sources_for_people(SOURCES, references)
    assert list(shown.columns) == ["文献", "页面上的引用写法", "引用次数", "内部引用键"]
    article = shown.set_index("内部引用键").loc["article-2024"]
    assert article["文献"].startswith("杜春娜") and article["引用次数"] == 2
    assert article["页面上的引用写法"] == "《执党建引领之笔，绘基层治理蓝图》济南报道，2024"
    imported = shown.set_index("内部引用键").loc["import:台账.xlsx"]
    assert imported["文献"] == "导入文件《台账.xlsx》" and imported["引用次数"] == 1
    # a citation written only in English reads as its Chinese short form
    seats = shown.set_index("内部引用键").loc["estimate-seats"]
    assert seats["文献"] == "街道驻地估计位置（本项目估计，非数据来源）"
    english = sources_for_people(SOURCES, references, "en")
    assert {"Licence", "Note"} <= set(english.columns)


@pytest.mark.parametrize(
    ("when", "lang", "said"),
    [
        ("2026-12-01T01:30:00+00:00", "zh", "数据更新于 2026-12-01 09:30"),
        ("2026-11-30T16:00:59+00:00", "zh", "数据更新于 2026-12-01 00:00"),
        ("2026-12-01T01:30:00", "zh", "数据更新于 2026-12-01 09:30"),  # naive: UTC
        ("2026-12-01T09:30:00+08:00", "en", "Data updated 2026-12-01 09:30 (Beijing time)"),
        (None, "zh", "数据更新时间不详"),
    ],
)
def test_the_freshness_line_in_beijing_time(when, lang, said):
    from datetime import datetime

    moment = None if when is None else datetime.fromisoformat(when)
    assert freshness_line(moment, lang) == said
    if moment is not None:
        assert local_time(moment).utcoffset().total_seconds() == 8 * 3600
