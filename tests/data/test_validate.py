"""geo.data.validate: every rule, each on a copy of data/ broken in one cell."""

from __future__ import annotations

import pytest

from geo.config import DATA_DIR, AreasSource
from geo.data import io
from geo.data.validate import Issue
from geo.intake.boundaries import load_configured_areas
from geo.load import validate_dataset
from geo.text import vocab
from geo.text.labels import message

VILLAGE = "v-370103021213"  # 寨而头村, 党家街道, with a unit code
CENTRE = "svc-mengxiangjia"  # 杆石桥街道, no unit code
NO_STREET = "demo-chaoyixing"  # location_precision district, no subdistrict


def _only_errors_on(report, rows: set[int | None]) -> None:
    assert {issue.row for issue in report.errors} == rows, [str(i) for i in report.errors]


# --- the shipped data ------------------------------------------------------------------------


def test_shipped_data_is_valid():
    report = validate_dataset()
    assert report.ok
    assert report.issues == []
    assert report.counts["sites"] == 20 and report.counts["metrics"] == 16
    assert report.counts["alliances"] == 2 and report.counts["programs"] == 12
    assert report.counts["subdistricts"] == 17 and report.counts["units"] == 216
    per_kind = {k.split(":")[1]: n for k, n in report.counts.items() if k.startswith("sites:")}
    assert sum(per_kind.values()) == 20
    assert per_kind == io.load_sites()["kind"].value_counts().to_dict()


def test_untouched_copy_is_valid(data_copy):
    assert validate_dataset(data_copy).issues == []


def test_shipped_data_is_valid_against_official_areas(official_areas):
    assert validate_dataset(areas=official_areas).issues == []


# --- sites.csv -------------------------------------------------------------------------------

SITE_CASES = [
    pytest.param(VILLAGE, "name", "", "empty", id="empty-name"),
    pytest.param(VILLAGE, "name", "   ", "empty", id="blank-name"),
    pytest.param(VILLAGE, "kind", "castle", "unknown_kind", id="unknown-kind"),
    pytest.param(
        CENTRE, "subdistrict_code", "370103099", "unknown_subdistrict", id="unknown-subdistrict"
    ),
    pytest.param(
        CENTRE,
        "subdistrict_code",
        "370103021000",
        "unknown_subdistrict",
        id="subdistrict-12-digits",
    ),
    pytest.param(VILLAGE, "unit_code", "370103021999", "unknown_unit", id="unknown-unit"),
    pytest.param(
        VILLAGE,
        "unit_code",
        "370103022209",
        "unit_not_in_subdistrict",
        id="unit-in-another-subdistrict",
    ),
    pytest.param(VILLAGE, "programs", "nope", "unknown_program", id="unknown-program"),
    pytest.param(
        VILLAGE, "programs", "cross_village;nope", "unknown_program", id="one-unknown-program"
    ),
    pytest.param(VILLAGE, "programs", "", "unknown_program", id="no-program"),
    pytest.param(VILLAGE, "lon", "abc", "not_number", id="lon-not-number"),
    pytest.param(VILLAGE, "lat", "36,58", "not_number", id="lat-comma-decimal"),
    pytest.param(VILLAGE, "lon", "", "not_number", id="lon-empty"),
    pytest.param(VILLAGE, "lon", "nan", "not_number", id="lon-nan"),
    pytest.param(VILLAGE, "year", "20x4", "not_year", id="year-letters"),
    pytest.param(VILLAGE, "year", "1800", "not_year", id="year-too-early"),
    pytest.param(VILLAGE, "year", "2101", "not_year", id="year-too-late"),
    pytest.param(VILLAGE, "year", "2024.0", "not_year", id="year-float"),
    pytest.param(VILLAGE, "source", "", "empty", id="empty-source"),
    pytest.param(
        VILLAGE, "location_precision", "street", "unknown_precision", id="unknown-precision"
    ),
    pytest.param(
        CENTRE,
        "subdistrict_code",
        "",
        "subdistrict_required",
        id="no-subdistrict-with-subdistrict-precision",
    ),
    pytest.param(VILLAGE, "inferred", "maybe", "not_yes_no", id="inferred-not-a-flag"),
    pytest.param(VILLAGE, "inferred", "", "not_yes_no", id="inferred-empty"),
    pytest.param(VILLAGE, "source", "article-2023#聚力攻坚", "unknown_source", id="unknown-source"),
    pytest.param(
        VILLAGE, "source", "article-2024#聚力功坚", "unknown_section", id="unknown-section"
    ),
]


@pytest.mark.parametrize("record_id, column, value, key", SITE_CASES)
def test_site_rule(data_copy, edit_cell, record_id, column, value, key):
    row = edit_cell(data_copy / "sites.csv", record_id, column, value)
    report = validate_dataset(data_copy)
    assert not report.ok
    assert Issue("sites.csv", row, column, value, key) in report.errors
    _only_errors_on(report, {row})


def test_duplicate_site_id(data_copy, edit_cell):
    first = io.load_sites(data_copy / "sites.csv")["id"].iloc[0]
    row = edit_cell(data_copy / "sites.csv", VILLAGE, "id", first)
    report = validate_dataset(data_copy)
    assert not report.ok
    assert Issue("sites.csv", row, "id", first, "duplicate") in report.errors
    assert Issue("sites.csv", 2, "id", first, "duplicate") in report.errors
    _only_errors_on(report, {2, row})


def test_empty_subdistrict_is_fine_for_district_precision(data_copy, edit_cell):
    edit_cell(data_copy / "sites.csv", CENTRE, "location_precision", "district")
    edit_cell(data_copy / "sites.csv", CENTRE, "subdistrict_code", "")
    assert validate_dataset(data_copy).issues == []


def test_district_precision_record_in_shipped_data_has_no_subdistrict():
    site = io.load_sites().set_index("id").loc[NO_STREET]
    assert site["location_precision"] == "district" and site["subdistrict_code"] == ""


def test_point_outside_the_district_is_an_error(data_copy, edit_cell):
    row = edit_cell(data_copy / "sites.csv", VILLAGE, "lon", "120.0")
    report = validate_dataset(data_copy)
    assert not report.ok
    [issue] = report.errors
    assert (issue.file, issue.row, issue.column, issue.key) == (
        "sites.csv",
        row,
        "lon/lat",
        "outside_district",
    )
    assert issue.value.startswith("120.0, 36.58")


def _point_in_other_subdistrict(code: str = "370103020") -> tuple[str, str]:
    """A point inside the district but in 兴隆街道's area (not 党家's)."""
    areas = load_configured_areas(AreasSource(DATA_DIR / "subdistrict_areas_schematic.geojson"))
    point = areas.set_index("code").geometry[code].representative_point()
    return f"{point.x:.6f}", f"{point.y:.6f}"


def _move_village(data_copy, edit_cell) -> tuple[int, str]:
    lon, lat = _point_in_other_subdistrict()
    row = edit_cell(data_copy / "sites.csv", VILLAGE, "lon", lon)
    edit_cell(data_copy / "sites.csv", VILLAGE, "lat", lat)
    return row, f"{float(lon)}, {float(lat)}"


def test_point_outside_schematic_subdistrict_is_a_warning(data_copy, edit_cell):
    row, value = _move_village(data_copy, edit_cell)
    report = validate_dataset(data_copy)
    assert report.ok
    assert report.errors == []
    assert report.warnings == [
        Issue("sites.csv", row, "lon/lat", value, "outside_subdistrict", "warning")
    ]


def test_point_outside_official_subdistrict_is_an_error(data_copy, edit_cell, official_areas):
    row, value = _move_village(data_copy, edit_cell)
    report = validate_dataset(data_copy, areas=official_areas)
    assert not report.ok
    assert report.errors == [Issue("sites.csv", row, "lon/lat", value, "outside_subdistrict")]


# --- metrics.csv -----------------------------------------------------------------------------

METRIC_CASES = [
    pytest.param("m-fs-promoted", "value", "lots", "not_number", id="value-not-number"),
    pytest.param("m-fs-promoted", "value", "", "not_number", id="value-empty"),
    pytest.param("m-fs-promoted", "unit", "", "no_unit", id="empty-unit"),
    pytest.param(
        "m-fs-promoted", "qualifier", "roughly", "unknown_qualifier", id="unknown-qualifier"
    ),
    pytest.param(
        "m-fs-promoted", "scope_type", "province", "unknown_scope_type", id="unknown-scope-type"
    ),
    pytest.param(
        "m-dougou-500k",
        "scope_code",
        "370103022209",
        "unknown_scope",
        id="unit-code-as-subdistrict-scope",
    ),
    pytest.param(
        "m-chunyuanli-problems",
        "scope_code",
        "370103003",
        "unknown_scope",
        id="subdistrict-code-as-unit-scope",
    ),
    pytest.param(
        "m-mengxiangjia-area", "scope_code", "svc-nowhere", "unknown_scope", id="unknown-site-scope"
    ),
    pytest.param(
        "m-yufu-villages", "scope_code", "al-hongmeng", "unknown_scope", id="unknown-alliance-scope"
    ),
    pytest.param(
        "m-fs-promoted", "scope_code", "370102", "unknown_scope", id="other-district-scope"
    ),
    pytest.param("m-fs-promoted", "program", "nope", "unknown_program", id="unknown-program"),
    pytest.param("m-fs-promoted", "year", "abc", "not_year", id="bad-year"),
    pytest.param("m-fs-promoted", "source", "", "empty", id="empty-source"),
    pytest.param("m-fs-promoted", "name_zh", "", "empty", id="empty-name"),
    pytest.param("m-fs-promoted", "period", "monthly", "unknown_period", id="unknown-period"),
    pytest.param("m-fs-promoted", "period", "", "unknown_period", id="empty-period"),
    pytest.param("m-fs-promoted", "year", "", "period_needs_year", id="to-date-without-year"),
    pytest.param("m-fs-promoted", "source", "聚力攻坚", "unknown_source", id="section-only"),
]


@pytest.mark.parametrize("record_id, column, value, key", METRIC_CASES)
def test_metric_rule(data_copy, edit_cell, record_id, column, value, key):
    row = edit_cell(data_copy / "metrics.csv", record_id, column, value)
    report = validate_dataset(data_copy)
    assert not report.ok
    assert Issue("metrics.csv", row, column, value, key) in report.errors
    _only_errors_on(report, {row})


def test_a_yearly_figure_may_have_no_year(data_copy, edit_cell):
    edit_cell(data_copy / "metrics.csv", "m-secondment", "year", "")
    assert validate_dataset(data_copy).issues == []


@pytest.mark.parametrize("source", ["import:台账.xlsx", "article-2024", "nbs-2023"])
def test_imported_files_and_whole_documents_are_sources(data_copy, edit_cell, source):
    edit_cell(data_copy / "metrics.csv", "m-fs-promoted", "source", source)
    assert validate_dataset(data_copy).issues == []


def test_duplicate_metric_id(data_copy, edit_cell):
    row = edit_cell(data_copy / "metrics.csv", "m-fs-promoted", "id", "m-fs-projects")
    report = validate_dataset(data_copy)
    assert Issue("metrics.csv", row, "id", "m-fs-projects", "duplicate") in report.errors
    assert Issue("metrics.csv", 2, "id", "m-fs-projects", "duplicate") in report.errors


# --- alliances.csv ---------------------------------------------------------------------------

YUFU_MEMBERS = "370103021209;370103021210;370103021211;370103021212;370103021213"

ALLIANCE_CASES = [
    pytest.param(
        "member_codes", YUFU_MEMBERS.replace("213", "999"), "unknown_unit", id="unknown-member"
    ),
    pytest.param("member_codes", "", "unknown_unit", id="no-members"),
    pytest.param("inferred_codes", "370103021214", "inferred_not_member", id="inferred-not-member"),
    pytest.param("kind", "club", "unknown_alliance_kind", id="unknown-kind"),
    pytest.param("subdistrict_code", "", "unknown_subdistrict", id="no-subdistrict"),
    pytest.param("programs", "nope", "unknown_program", id="unknown-program"),
    pytest.param("source", "", "empty", id="empty-source"),
]


@pytest.mark.parametrize("column, value, key", ALLIANCE_CASES)
def test_alliance_rule(data_copy, edit_cell, column, value, key):
    row = edit_cell(data_copy / "alliances.csv", "al-yufuquanyuan", column, value)
    assert row == 2
    report = validate_dataset(data_copy)
    assert not report.ok
    assert Issue("alliances.csv", row, column, value, key) in report.errors
    _only_errors_on(report, {row})


def test_each_inferred_code_outside_members_is_reported(data_copy, edit_cell):
    row = edit_cell(
        data_copy / "alliances.csv",
        "al-yufuquanyuan",
        "inferred_codes",
        "370103021209;370103021214;370103022209",
    )
    report = validate_dataset(data_copy)
    assert report.errors == [
        Issue("alliances.csv", row, "inferred_codes", "370103021214", "inferred_not_member"),
        Issue("alliances.csv", row, "inferred_codes", "370103022209", "inferred_not_member"),
    ]


# --- programs.csv ----------------------------------------------------------------------------


@pytest.mark.parametrize("colour", ["red", "#12345", "#GGGGGG", "117733", "#1177335"])
def test_program_bad_colour(data_copy, edit_cell, colour):
    row = edit_cell(data_copy / "programs.csv", "consortium", "color", colour)
    report = validate_dataset(data_copy)
    assert not report.ok
    assert report.errors == [Issue("programs.csv", row, "color", colour, "bad_color")]


@pytest.mark.parametrize("colour", ["#abcdef", "#ABCDEF", "#0a1B2c"])
def test_program_good_colour(data_copy, edit_cell, colour):
    edit_cell(data_copy / "programs.csv", "consortium", "color", colour)
    assert validate_dataset(data_copy).ok


def test_renamed_program_breaks_its_references(data_copy, edit_cell):
    """A program key is a reference: renaming it orphans the records that use it."""
    edit_cell(data_copy / "programs.csv", "cross_village", "key", "cross_villages")
    report = validate_dataset(data_copy)
    assert not report.ok
    keys = {(issue.file, issue.key) for issue in report.errors}
    assert keys == {
        ("sites.csv", "unknown_program"),
        ("alliances.csv", "unknown_program"),
        ("metrics.csv", "unknown_program"),
        ("details.csv", "unknown_program"),
    }


# --- details.csv and the other files' sources ------------------------------------------------

DETAIL_CASES = [
    pytest.param("kind", "rumour", "unknown_detail_kind", id="unknown-kind"),
    pytest.param("kind", "", "unknown_detail_kind", id="no-kind"),
    pytest.param("program", "nope", "unknown_program", id="unknown-program"),
    pytest.param("name_zh", "", "empty", id="empty-name"),
    pytest.param("source", "", "empty", id="empty-source"),
    pytest.param("source", "article-2024#结尾", "unknown_section", id="unknown-section"),
    pytest.param("id", "", "empty", id="empty-id"),
]


@pytest.mark.parametrize("column, value, key", DETAIL_CASES)
def test_detail_rule(data_copy, edit_cell, column, value, key):
    row = edit_cell(data_copy / "details.csv", "d-brand-jianxin", column, value)
    report = validate_dataset(data_copy)
    assert not report.ok
    assert Issue("details.csv", row, column, value, key) in report.errors
    _only_errors_on(report, {row})


def test_a_detail_may_belong_to_no_program(data_copy, edit_cell):
    edit_cell(data_copy / "details.csv", "d-brand-jianxin", "program", "")
    assert validate_dataset(data_copy).issues == []


def test_a_folder_without_details_is_valid(data_copy):
    (data_copy / "details.csv").unlink()
    assert validate_dataset(data_copy).issues == []
    assert io.load_details(data_copy).empty


@pytest.mark.parametrize(
    "file, record_id",
    [
        ("events.csv", "e-roadshow"),
        ("programs.csv", "consortium"),
        ("alliances.csv", "al-yufuquanyuan"),
    ],
)
def test_every_file_cites_known_sources(data_copy, edit_cell, file, record_id):
    row = edit_cell(data_copy / file, record_id, "source", "a newspaper")
    report = validate_dataset(data_copy)
    assert report.errors == [Issue(file, row, "source", "a newspaper", "unknown_source")]


# --- missing columns -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "file, column",
    [
        pytest.param("sites.csv", "kind", id="sites-kind"),
        pytest.param("sites.csv", "lon", id="sites-lon"),
        pytest.param("sites.csv", "source", id="sites-source"),
        pytest.param("metrics.csv", "unit", id="metrics-unit"),
        pytest.param("metrics.csv", "scope_type", id="metrics-scope-type"),
        pytest.param("alliances.csv", "member_codes", id="alliances-member-codes"),
        pytest.param("alliances.csv", "inferred_codes", id="alliances-inferred-codes"),
        pytest.param("programs.csv", "color", id="programs-color"),
        pytest.param("programs.csv", "key", id="programs-key"),
        pytest.param("sites.csv", "inferred", id="sites-inferred"),
        pytest.param("metrics.csv", "period", id="metrics-period"),
        pytest.param("details.csv", "kind", id="details-kind"),
    ],
)
def test_missing_column(data_copy, drop_column, file, column):
    drop_column(data_copy / file, column)
    report = validate_dataset(data_copy)
    assert not report.ok
    assert Issue(file, None, column, "", "missing_column") in report.errors


# --- robustness and messages -----------------------------------------------------------------


def test_superscript_year_is_reported_on_its_row(data_copy, edit_cell):
    row = edit_cell(data_copy / "sites.csv", VILLAGE, "year", "²")
    report = validate_dataset(data_copy)
    assert Issue("sites.csv", row, "year", "²", "not_year") in report.errors


def test_a_valid_dataset_loads_with_known_kinds(data_copy, edit_cell):
    edit_cell(data_copy / "sites.csv", VILLAGE, "kind", " village")
    report = validate_dataset(data_copy)
    loaded = io.load_sites(data_copy / "sites.csv")
    assert not report.ok or set(loaded["kind"]) <= set(vocab.KINDS)


def test_issue_describe_in_chinese_by_default_and_in_english():
    issue = Issue("sites.csv", 5, "kind", "castle", "unknown_kind")
    english = issue.describe("en")
    assert english == str(issue)
    assert english.startswith("sites.csv:5 [kind] 'castle': not a known kind")
    assert english.endswith("(error)")
    chinese = issue.describe()
    assert chinese == issue.describe("zh")
    assert chinese.startswith("sites.csv 第5行「kind」“castle”：")
    assert "不是已知类型" in chinese and chinese.endswith("（错误）")
    assert "not a known" not in chinese
    assert issue.problem() == message("unknown_kind") and "sites.csv" not in issue.problem()


def test_issue_describe_file_level_and_warning():
    missing = Issue("metrics.csv", None, "unit", "", "missing_column")
    assert missing.describe("en").startswith("metrics.csv [unit]")
    assert missing.describe() == "metrics.csv「unit」：缺少此列（错误）"
    warning = Issue("sites.csv", 3, "lon/lat", "1, 2", "outside_subdistrict", "warning")
    assert warning.describe("en").endswith("(warning)")
    assert warning.describe("zh").endswith("（提示）")
    assert "坐标不在所属街道范围内" in warning.describe("zh")


def test_an_unknown_language_is_a_clear_error():
    with pytest.raises(ValueError, match="lang must be one of"):
        Issue("sites.csv", 3, "kind", "x", "unknown_kind").describe("fr")


def test_every_reported_issue_has_a_chinese_message(data_copy, edit_cell):
    edit_cell(data_copy / "sites.csv", VILLAGE, "kind", "castle")
    edit_cell(data_copy / "metrics.csv", "m-fs-promoted", "unit", "")
    report = validate_dataset(data_copy)
    assert len(report.errors) == 2
    for issue in report.errors:
        text = message(issue.key, "zh")
        assert text != message(issue.key, "en")
        assert any("\u4e00" <= ch <= "\u9fff" for ch in text)
        assert text in issue.describe("zh")


def test_validate_uses_the_areas_file_of_the_directory(data_copy, edit_cell):
    """The schematic areas come from the validated folder, not the project's data/."""
    areas = data_copy / "subdistrict_areas_schematic.geojson"
    areas.write_text(
        areas.read_text(encoding="utf-8").replace("370103021", "370103091"), encoding="utf-8"
    )
    # 党家 now has no area of its own, so a 党家 village cannot be outside it
    _move_village(data_copy, edit_cell)
    assert validate_dataset(data_copy).issues == []
    # whereas the project's own areas would flag it
    project_areas = AreasSource(DATA_DIR / areas.name)
    assert validate_dataset(data_copy, areas=project_areas).warnings != []
