"""The map through the years (issue #29): the filter's year shown (``as_of``), its URL form,
and a site's end year (撤并/停用) from a ledger through validation to the store and back out."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from geo.data.filters import (
    FILTER_PARAMS,
    PARAM_AS_OF,
    FilterVocabulary,
    RecordFilter,
    count_undated,
    filter_records,
    from_query_params,
    to_query_params,
)
from geo.data.validate import References, validate_sites
from geo.intake.ledger import import_file
from geo.intake.lookups import Lookups
from geo.reports import sheets
from geo.text import vocab
from tests.intake.ledgers import points_in

#: id -> (year built, year merged or closed); None: not known / not merged.
HISTORY = {
    "old": (2020, None),
    "built-22": (2022, None),
    "built-23": (2023, None),
    "closed-24": (2021, 2024),
    "closed-23": (2022, 2023),
    "undated": (None, None),
    "undated-closed": (None, 2023),
}


def _records(with_end: bool = True) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "id": list(HISTORY),
            "year": pd.array([y for y, _ in HISTORY.values()], dtype="Int64"),
            "end_year": pd.array([e for _, e in HISTORY.values()], dtype="Int64"),
        }
    )
    return frame if with_end else frame.drop(columns=["end_year"])


def _shown(frame: pd.DataFrame, year: int | None) -> set[str]:
    return set(filter_records(frame, RecordFilter(as_of=year))["id"])


# --- the year shown ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2019, set()),
        (2020, {"old"}),
        (2021, {"old", "closed-24"}),
        (2022, {"old", "closed-24", "built-22", "closed-23"}),
        (2023, {"old", "closed-24", "built-22", "built-23"}),  # closed in 2023: gone in 2023
        (2024, {"old", "built-22", "built-23"}),  # closed in 2024: shown up to 2023
        (2030, {"old", "built-22", "built-23"}),
    ],
)
def test_a_year_shows_what_was_built_and_not_yet_merged(year, expected):
    assert _shown(_records(), year) == expected


def test_every_year_is_todays_view():
    assert _shown(_records(), None) == set(HISTORY)


def test_records_without_end_years_alliances_follow_their_year_only():
    alliances = _records(with_end=False)
    assert _shown(alliances, 2022) == {"old", "built-22", "closed-24", "closed-23"}
    assert _shown(alliances, 2024) == set(HISTORY) - {"undated", "undated-closed"}


def test_years_as_floats_or_objects_work_too():
    frame = _records().astype({"year": "float64", "end_year": "object"})
    assert _shown(frame, 2024) == {"old", "built-22", "built-23"}


def test_the_year_shown_combines_with_the_year_range():
    both = RecordFilter(year_from=2021, as_of=2022)
    assert set(filter_records(_records(), both)["id"]) == {"closed-24", "built-22", "closed-23"}


def test_the_year_shown_needs_a_year_column():
    with pytest.raises(ValueError, match="year"):
        filter_records(_records().drop(columns=["year"]), RecordFilter(as_of=2023))


def test_the_undated_are_counted_only_when_a_year_is_shown():
    frame = _records()
    assert count_undated(frame, RecordFilter()) == 0
    assert count_undated(frame, RecordFilter(as_of=2023)) == 2
    # the rest of the filter applies: a range already leaves them out
    assert count_undated(frame, RecordFilter(year_from=2020, as_of=2023)) == 0


def test_a_large_frame_is_filtered_at_once():
    frame = pd.concat([_records()] * 20_000, ignore_index=True)  # 140,000 rows
    assert len(filter_records(frame, RecordFilter(as_of=2024))) == 3 * 20_000


# --- the URL ----------------------------------------------------------------------------------


@pytest.fixture
def years_vocabulary(vocabulary: FilterVocabulary) -> FilterVocabulary:
    return FilterVocabulary(
        vocabulary.subdistrict_names,
        vocabulary.programs,
        vocab.KINDS,
        as_of_years=(2022, 2024),
    )


@pytest.mark.parametrize(
    "record_filter",
    [
        RecordFilter(as_of=2022),
        RecordFilter(as_of=2024, year_from=2020),
        RecordFilter(("370103021",), ("consortium",), ("village",), 2020, 2024, "驿站", 2023),
    ],
    ids=repr,
)
def test_the_year_shown_goes_through_the_url(record_filter, years_vocabulary):
    params = to_query_params(record_filter)
    assert params[PARAM_AS_OF] == str(record_filter.as_of) and PARAM_AS_OF in FILTER_PARAMS
    assert from_query_params(params, years_vocabulary) == (record_filter, [])
    single = {k: v if isinstance(v, str) else ",".join(v) for k, v in params.items()}
    assert from_query_params(single, years_vocabulary) == (record_filter, [])


@pytest.mark.parametrize("value", ["abc", "2021", "2025", "２０２３", "2023.5", "-2023", ""])
def test_a_bad_year_is_ignored_and_reported(value, years_vocabulary):
    parsed, ignored = from_query_params({"year": value, "kind": "village"}, years_vocabulary)
    assert parsed == RecordFilter(kinds=("village",))
    assert ignored == ([("year", value)] if value else [])


def test_without_a_year_view_a_year_is_ignored(vocabulary):
    assert vocabulary.as_of_years is None
    assert from_query_params({"year": "2024"}, vocabulary) == (RecordFilter(), [("year", "2024")])


# --- a site's end year: validation, the ledger, the template ----------------------------------


def _raw_sites(rows: list[tuple[str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": [f"s{i}" for i in range(len(rows))],
            "name": "站",
            "kind": "station",
            "subdistrict_code": "370103021",
            "unit_code": "",
            "programs": "consortium",
            "year": [year for year, _ in rows],
            "description": "",
            "source": "x",
            "lon": "117.0",
            "lat": "36.6",
            "location_precision": "exact",
            "inferred": "false",
            "end_year": [end for _, end in rows],
        }
    )


@pytest.fixture(scope="module")
def references(subdistricts, units, programs) -> References:
    return References.from_frames(subdistricts, units, programs)


def test_end_years_are_optional_years_not_before_the_start(references):
    raw = _raw_sites([("2020", ""), ("2020", "2020"), ("2020", "2024"), ("", "2024")])
    assert validate_sites(raw, references) == []
    assert validate_sites(raw.drop(columns=["end_year"]), references) == []
    bad = _raw_sites([("2023", "2021"), ("2020", "abc"), ("2020", "1800")])
    found = {(i.row, i.column, i.value, i.key) for i in validate_sites(bad, references)}
    assert found == {
        (2, "end_year", "2021", "end_before_start"),
        (3, "end_year", "abc", "not_year"),
        (4, "end_year", "1800", "not_year"),
    }


HEADERS = [
    "序号",
    "站点名称",
    "类型",
    "所属街道",
    "项目",
    "建成年份",
    "撤并年份",
    "经度",
    "纬度",
    "坐标系",
]


def _ledger(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    """A sites ledger as an office keeps it: a title row, then the header and rows (name,
    year built, year merged), WGS-84 points inside 党家街道."""
    book = Workbook()
    sheet = book.active
    sheet.append(["党家街道阵地台账（2024年）"])
    sheet.append(HEADERS)
    points = points_in("党家街道", len(rows), seed=29)
    for i, ((name, built, merged), (lon, lat)) in enumerate(zip(rows, points, strict=True)):
        cells = [i + 1, name, "暖心驿站", "党家街道", "党建联合体", built, merged, lon, lat]
        sheet.append([*cells, "WGS-84"])
    book.save(path)
    return path


@pytest.fixture(scope="module")
def lookups() -> Lookups:
    return Lookups.load()


def _state(store) -> tuple:
    return store.read("sites").to_dict("records"), store.data_version()


def test_a_ledger_with_a_merged_year_column_imports_end_years(tmp_path, store, lookups):
    rows = [("东站", "2021", "2024年"), ("西站", "2022", ""), ("南站", "2023年", "2023")]
    path = _ledger(tmp_path / "阵地台账.xlsx", rows)
    result = import_file(path, store, "党家街道", lookups=lookups)
    assert result.ok, [i.describe() for i in result.issues]
    stored = store.read_sites().set_index("name").loc[["东站", "西站", "南站"]]
    assert stored["year"].tolist() == [2021, 2022, 2023]
    assert stored["end_year"].astype("Float64").tolist() == [2024.0, pd.NA, 2023.0]
    # exported to the template and imported again: the same records
    again = import_file(_exported(store, tmp_path), store, "bob", lookups=lookups)
    assert again.ok and again.changed == {} and again.added == {}


def _exported(store, folder: Path) -> Path:
    from geo.data import io

    rows = sheets.template_rows(
        store.read_sites(),
        store.read_metrics(),
        store.read_alliances(),
        io.load_programs(),
        io.load_subdistricts(),
        io.load_units(),
    )
    east = next(r for r in rows["sites"] if r["name"] == "东站")
    assert east["end_year"] == "2024" and east["year"] == "2021"
    return sheets.write_workbook(
        folder / "export.xlsx", io.load_programs(), io.load_subdistricts(), rows
    )


def test_an_end_before_the_start_is_refused_and_nothing_written(tmp_path, store, lookups):
    before = _state(store)
    rows = [("东站", "2021", ""), ("北站", "2023", "2021年")]
    path = _ledger(tmp_path / "阵地台账.xlsx", rows)
    result = import_file(path, store, "党家街道", lookups=lookups)
    assert not result.ok and not result.applied
    errors = [(i.row, i.column, i.value, i.key) for i in result.errors]
    assert errors == [(4, "撤并年份", "2021年", "end_before_start")]
    assert "撤并/停用年份早于建成年份" in result.errors[0].describe("zh")
    assert _state(store) == before


def test_the_template_has_the_end_year_after_the_year():
    keys = [column.key for column in sheets.SITE_COLUMNS]
    assert keys.index("end_year") == keys.index("year") + 1
