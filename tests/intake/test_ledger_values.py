"""Every office's ledger as it is written: the values, not only the headers (geo.data.gazetteer and
geo.intake.ledger). The ledgers whose values are the offices' own (short programs, committee
suffixes,
full-width digits, one 经纬度 column, UTF-16 text, .ods, notes under the data) are imported with
true positions by tests/intake/test_ledgers.py (variants values_*); here, the one gazetteer, the
value
that matches nothing (asked, never guessed, remembered per office), and the rows and cells that
are refused."""

from __future__ import annotations

import csv

import pytest
from openpyxl import Workbook

from geo.data.filters import FilterVocabulary
from geo.data.gazetteer import Gazetteer, name_key
from geo.intake.coords import parse_pair
from geo.intake.ledger import Lookups, import_file, parse_values
from geo.intake.read import read_tables
from tests.intake import ledgers


@pytest.fixture(scope="module")
def lookups() -> Lookups:
    return Lookups.load()


@pytest.fixture(scope="module")
def gazetteer(lookups) -> Gazetteer:
    return lookups.names


# --- one gazetteer ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        "杆石桥街道",
        "杆石桥",
        "杆石桥街道办事处",
        "杆石桥办事处",
        "市中区杆石桥街道",
        "济南市市中区 杆石桥街道办事处",
        "杆石桥　街道",  # U+3000
        "370103003",
        "370103003000",
        "３７０１０３００３",  # full-width digits
        "gan shi qiao",
        "Gan Shi Qiao",
    ],
)
def test_every_form_of_a_subdistrict_names_it_in_the_url_and_in_a_ledger(written, gazetteer):
    assert gazetteer.subdistrict(written) == "370103003"
    names = dict(gazetteer.subdistrict_names)
    for vocabulary in (
        FilterVocabulary(names, (), (), gazetteer=gazetteer),
        FilterVocabulary(names, (), ()),  # the URL's own, from the names alone
    ):
        if written in ("gan shi qiao", "Gan Shi Qiao"):
            continue  # pinyin is a form of the loaded gazetteer only
        assert vocabulary.subdistrict_code(written) == "370103003"


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("春元里社区居委会", "370103003001"),
        ("春元里社区居民委员会", "370103003001"),
        ("春元里 社区", "370103003001"),
        ("春元里", "370103003001"),
        ("英雄山居委会", "370103004004"),
        ("土屋村村委会", "370103021210"),
        ("土屋村村民委员会", "370103021210"),
        ("土屋村民委员会", "370103021210"),
        ("党家街道土屋村", "370103021210"),
        ("大庙屯村委会", "370103022209"),
        ("大庙屯", "370103022209"),
        ("370103022209", "370103022209"),
    ],
)
def test_every_form_of_a_village_or_community_names_it(written, code, gazetteer):
    assert gazetteer.units(written) == (code,)


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("新就业群体党建", "new_employment"),
        ("新就业群体", "new_employment"),
        ("第一书记", "first_secretary"),
        ("第一书记帮村", "first_secretary"),
        ("First secretaries", "first_secretary"),
        ("cross_village", "cross_village"),
        ("村集体经济“五种模式”", "five_models"),
        ("村集体经济五种模式", "five_models"),
    ],
)
def test_every_form_of_a_program_names_it(written, key, gazetteer):
    assert gazetteer.program(written) == key


@pytest.mark.parametrize("written", ["新业态党建工作", "春园里社区", "杆石桥镇", "", "  "])
def test_nothing_else_is_matched(written, gazetteer):
    """Near misses are never guessed."""
    assert gazetteer.program(written) is None
    assert gazetteer.units(written) == ()
    assert gazetteer.subdistrict(written) is None


def test_the_closest_candidates_come_first(gazetteer):
    assert gazetteer.candidates("program", "新业态党建工作")[0] == (
        "new_employment",
        "新就业群体党建",
    )
    assert gazetteer.candidates("unit", "春园里社区", within="370103003")[0][0] == "370103003001"
    with pytest.raises(ValueError, match="what must be one of"):
        gazetteer.candidates("kind", "x")


def test_values_are_compared_after_nfkc_without_any_space():
    assert name_key("Ｇａｎ\u3000Shi\tqiao\u00a0") == "ganshiqiao"
    assert name_key(None) == ""


# --- coordinates in one column ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "117.0012,36.6512",
        "117.0012，36.6512",
        "117.0012 36.6512",
        "117.0012;36.6512",
        "117.0012；36.6512",
        "36.6512,117.0012",
        "（117.0012, 36.6512）",
        "１１７.００１２，３６.６５１２",
    ],
)
def test_a_pair_in_one_cell_in_any_writing(text):
    assert parse_pair(text) == pytest.approx((117.0012, 36.6512))


@pytest.mark.parametrize(
    "text",
    [
        "东经117°0′4.32″ 北纬36°39′4.32″",
        "36°39'4.32\"N, 117°0'4.32\"E",
        "117度0分4.32秒，36度39分4.32秒",
    ],
)
def test_a_dms_pair(text):
    assert parse_pair(text) == pytest.approx((117.0012, 36.6512), abs=1e-6)


@pytest.mark.parametrize(
    "text", ["117.0012", "abc", "1,2", "117.1,118.2", "", "济南市市中区英雄山路"]
)
def test_what_is_not_a_pair(text):
    assert parse_pair(text) is None


# --- a value that matches nothing: asked, never guessed, remembered ---------------------------


def _office_ledger(path, sites: list[tuple[str, str, str]]):
    """An office's small ledger (its own headers): name, programs as written, village."""
    book = Workbook()
    ws = book.active
    ws.title = "杆石桥街道"
    ws.append(["站点名称", "类型", "所属社区", "项目类别", "经度", "纬度", "坐标系"])
    points = ledgers.points_in("杆石桥街道", len(sites), seed=41)
    for (name, program, unit), (lon, lat) in zip(sites, points, strict=True):
        ws.append([name, "驿站", unit, program, lon, lat, "WGS-84"])
    book.save(path)
    return path


def test_an_unmatched_value_is_asked_about_with_its_closest_candidates(tmp_path, run_geo):
    path = _office_ledger(
        tmp_path / "台账.xlsx",
        [("一号驿站", "新业态党建工作", "春元里"), ("二号驿站", "新业态党建工作", "春园里社区")],
    )
    refused = run_geo("import", path)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert (
        "「项目类别」“新业态党建工作”（第 2–3 行）未能识别，最接近：新就业群体党建"
        in refused.stderr
    )
    assert "--value 项目类别:新业态党建工作=新就业群体党建" in refused.stderr
    assert "「所属社区」“春园里社区”（第 3 行）未能识别，最接近：春元里社区" in refused.stderr
    exported = tmp_path / "out.csv"
    assert run_geo("export", exported).returncode == 0
    assert "一号驿站" not in exported.read_text(encoding="utf-8-sig"), "nothing was written"

    answered = run_geo(
        "import",
        path,
        "--value",
        "项目类别:新业态党建工作=新就业群体党建",
        "--value",
        "所属社区：春园里社区=春元里社区",  # a full-width colon too
    )
    assert answered.returncode == 0, answered.stderr
    # the next ledger of the same office (same headers) goes straight in
    later = _office_ledger(
        tmp_path / "下月台账.xlsx", [("三号驿站", "新业态党建工作", "春园里社区")]
    )
    again = run_geo("import", later)
    assert again.returncode == 0, again.stderr
    run_geo("export", exported)
    with exported.open(encoding="utf-8-sig", newline="") as stream:
        stored = {row["name"]: row for row in csv.DictReader(stream)}
    for name in ("一号驿站", "二号驿站", "三号驿站"):
        assert stored[name]["programs"] == "new_employment", name
        assert stored[name]["unit_code"] == "370103003001", name


def test_a_choice_that_names_nothing_is_refused(tmp_path, run_geo, store, lookups):
    path = _office_ledger(tmp_path / "台账.xlsx", [("一号驿站", "新业态党建工作", "春元里")])
    before = store.read("sites").to_dict("records")
    result = import_file(
        path, store, "office", lookups=lookups, values={"项目类别": {"新业态党建工作": "不存在"}}
    )
    assert not result.applied and [i.key for i in result.errors] == ["bad_value_choice"]
    assert (
        result.errors[0].describe()
        == "杆石桥街道「项目类别」“新业态党建工作=不存在”：指定的目标不是已知的名称或代码（错误）"
    )
    result = import_file(path, store, "office", lookups=lookups, values={"没有的列": {"a": "b"}})
    assert [i.key for i in result.errors] == ["bad_value_column"]
    assert store.read("sites").to_dict("records") == before
    cli = run_geo("import", path, "--value", "项目类别=新就业群体党建")
    assert cli.returncode == 1 and "--value 参数无效" in cli.stderr
    assert "Traceback" not in cli.stderr


@pytest.mark.parametrize(
    ("pairs", "parsed"),
    [
        (["项目:新就业=新就业群体党建"], {"项目": {"新就业": "新就业群体党建"}}),
        (["项目：a=b", "项目:c=d"], {"项目": {"a": "b", "c": "d"}}),
    ],
)
def test_value_choices_as_the_command_line_gives_them(pairs, parsed):
    assert parse_values(pairs) == parsed


@pytest.mark.parametrize("bad", ["项目=新就业", "项目:新就业", ":a=b", "项目:=b", "项目:a="])
def test_a_malformed_value_choice_is_a_clear_error(bad):
    with pytest.raises(ValueError, match="列名:原值=目标"):
        parse_values([bad])


# --- rows and cells that are not sites ---------------------------------------------------------


def test_notes_and_sign_off_rows_are_skipped_in_the_files_own_row_numbers(tmp_path, store, lookups):
    ledger = ledgers.values_xlsx(tmp_path)
    result = import_file(ledger.path, store, "office", dry_run=True, lookups=lookups)
    assert result.ok
    notes = [(i.row, i.value[:3]) for i in result.issues if i.key == "note_row"]
    assert notes == [(9, "注：1"), (10, "审核人")]
    assert [n for n, _ in result.plan.sheets[0].notes] == [9, 10]


def test_a_name_that_reads_like_a_formula_is_refused(tmp_path, store, lookups):
    """Text that a CSV or a text cell holds as written: once exported it would run in Excel."""
    path = tmp_path / "台账.csv"
    lines = [
        "站点名称,类型,所属街道,项目类别",
        '"=HYPERLINK(""http://x"",""点击"")",驿站,杆石桥,新就业群体',
    ]
    lines += [
        "@SUM(A1),驿站,杆石桥,新就业群体",
        "+1,驿站,杆石桥,新就业群体",
        "一号,驿站,杆石桥,新就业群体",
    ]
    path.write_text("\r\n".join(lines), encoding="gbk")
    before = store.read("sites").to_dict("records")
    result = import_file(path, store, "office", lookups=lookups)
    assert [(i.row, i.key) for i in result.errors] == [(n, "formula_text") for n in (2, 3, 4)]
    assert store.read("sites").to_dict("records") == before


def test_a_formula_cell_gives_its_cached_value(tmp_path):
    """calamine reads what Excel computed and saved, never the formula."""
    book = Workbook()
    ws = book.active
    ws.append(["名称", "数"])
    ws.append(["一号", "=1+1"])
    path = tmp_path / "f.xlsx"
    book.save(path)  # openpyxl saves no computed value: the cell reads empty, not "=1+1"
    rows = read_tables(path)[0].rows
    assert rows[1] == ["一号", ""]


def test_utf16_big_endian_text_is_read(tmp_path):
    path = tmp_path / "unicode.txt"
    path.write_bytes(
        "名称\t项目\r\n一号\t新就业群体\r\n".encode("utf-16-be").join([b"\xfe\xff", b""])
    )
    assert read_tables(path)[0].rows == [["名称", "项目"], ["一号", "新就业群体"]]
