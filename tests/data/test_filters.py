"""geo.data.filters: filtering records and the filter's URL form."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.data.filters import (
    FILTER_PARAMS,
    RecordFilter,
    filter_records,
    from_query_params,
    to_query_params,
)

DANGJIA, DOUGOU, GANSHIQIAO = "370103021", "370103022", "370103003"
DOUGOU_SITES = {
    "v-370103022209",
    "v-370103022214",
    "v-370103022219",
    "ind-damiaotun-tomato",
    "ind-xinping-greenhouse",
}
BRAND_COMMUNITIES = {
    "c-370103003001",
    "c-370103003004",
    "c-370103016005",
    "c-370103002003",
    "c-370103008009",
    "c-370103004004",
}


def _ids(frame: pd.DataFrame) -> set[str]:
    return set(frame["id"])


# --- filter_records --------------------------------------------------------------------------


def test_empty_filter_keeps_everything(sites):
    result = filter_records(sites, RecordFilter())
    pd.testing.assert_frame_equal(result, sites)


def test_filter_by_subdistrict(sites):
    assert _ids(filter_records(sites, RecordFilter(subdistricts=(DOUGOU,)))) == DOUGOU_SITES
    both = filter_records(sites, RecordFilter(subdistricts=(DOUGOU, DANGJIA)))
    assert len(both) == 10
    assert set(both["subdistrict_code"]) == {DOUGOU, DANGJIA}


def test_filter_by_program_matches_multi_program_records(sites):
    red = filter_records(sites, RecordFilter(programs=("red_property",)))
    assert _ids(red) == {"c-370103003001"}
    assert red["programs"].iloc[0] == "red_property;community_brand"
    brands = filter_records(sites, RecordFilter(programs=("community_brand",)))
    assert _ids(brands) == BRAND_COMMUNITIES


def test_filter_by_several_programs_is_any_of(sites):
    result = filter_records(sites, RecordFilter(programs=("red_property", "new_employment")))
    assert _ids(result) == {"c-370103003001", "stn-hongxinbu"}


@pytest.mark.parametrize("partial", ["red", "property", "service", "two_new", "brand"])
def test_program_filter_matches_whole_keys_only(sites, partial):
    assert filter_records(sites, RecordFilter(programs=(partial,))).empty


def test_program_filter_tolerates_spaces_after_semicolons():
    records = pd.DataFrame({"id": ["a", "b"], "programs": ["consortium; red_property", "x"]})
    assert _ids(filter_records(records, RecordFilter(programs=("red_property",)))) == {"a"}


def test_filter_by_kind(sites):
    assert _ids(filter_records(sites, RecordFilter(kinds=("demo_site",)))) == {
        "demo-sddi",
        "demo-chaoyixing",
    }
    several = filter_records(sites, RecordFilter(kinds=("village", "industry")))
    assert len(several) == 10
    assert set(several["kind"]) == {"village", "industry"}


SYNTHETIC_YEARS = pd.DataFrame(
    {
        "id": ["a", "b", "c", "d"],
        "year": pd.array([2020, 2022, 2024, None], dtype="Int64"),
    }
)


@pytest.mark.parametrize(
    "year_from, year_to, expected",
    [
        (2022, None, {"b", "c"}),
        (None, 2022, {"a", "b"}),
        (2021, 2023, {"b"}),
        (2022, 2022, {"b"}),  # bounds are inclusive
        (2025, None, set()),
        (None, None, {"a", "b", "c", "d"}),  # no range: records without a year stay
    ],
)
def test_filter_by_year_range(year_from, year_to, expected):
    record_filter = RecordFilter(year_from=year_from, year_to=year_to)
    assert _ids(filter_records(SYNTHETIC_YEARS, record_filter)) == expected


def test_year_range_on_the_data(sites):
    assert len(filter_records(sites, RecordFilter(year_from=2024, year_to=2024))) == 20
    assert filter_records(sites, RecordFilter(year_to=2023)).empty


@pytest.mark.parametrize(
    "text, expected",
    [
        ("梦享家", {"svc-mengxiangjia", "demo-sddi"}),  # name, and description of demo-sddi
        ("ocr", {"v-370103021209", "v-370103022219"}),  # "OCR" in descriptions
        ("OCR", {"v-370103021209", "v-370103022219"}),
        ("  春元里  ", {"c-370103003001"}),
        ("(", set()),  # literal text, not a regular expression
    ],
)
def test_filter_by_text(sites, text, expected):
    assert _ids(filter_records(sites, RecordFilter(text=text))) == expected


def test_text_search_is_case_insensitive_in_names():
    records = pd.DataFrame(
        {"id": ["a", "b"], "name": ["Red Engine", "x"], "description": ["", "RED in description"]}
    )
    assert _ids(filter_records(records, RecordFilter(text="rEd"))) == {"a", "b"}


def test_filters_combine_with_and(sites):
    record_filter = RecordFilter(
        subdistricts=(GANSHIQIAO,), programs=("community_brand",), kinds=("community",)
    )
    assert _ids(filter_records(sites, record_filter)) == {"c-370103003001", "c-370103003004"}


def test_filter_alliances(alliances):
    assert _ids(filter_records(alliances, RecordFilter(subdistricts=(DOUGOU,)))) == {
        "al-hongmengxingye"
    }
    assert _ids(filter_records(alliances, RecordFilter(programs=("cross_village",)))) == {
        "al-yufuquanyuan"
    }
    assert _ids(filter_records(alliances, RecordFilter(text="玉符河"))) == {"al-yufuquanyuan"}


@pytest.mark.parametrize(
    "record_filter",
    [
        RecordFilter(subdistricts=("370103099",)),
        RecordFilter(programs=("nope",)),
        RecordFilter(kinds=("castle",)),
        RecordFilter(year_from=2030),
        RecordFilter(text="no such text anywhere"),
        RecordFilter(subdistricts=(DOUGOU,), kinds=("community",)),
    ],
)
def test_no_match_gives_empty_frame_with_same_columns(sites, record_filter):
    result = filter_records(sites, record_filter)
    assert result is not None and result.empty
    assert list(result.columns) == list(sites.columns)
    pd.testing.assert_series_equal(result.dtypes, sites.dtypes)


def test_filter_does_not_modify_its_input(sites):
    before = sites.copy()
    filter_records(sites, RecordFilter(subdistricts=(DOUGOU,), text="村", year_from=2020))
    pd.testing.assert_frame_equal(sites, before)


# --- query parameters ------------------------------------------------------------------------

ROUND_TRIP_FILTERS = [
    RecordFilter(),
    RecordFilter(subdistricts=(DANGJIA,)),
    RecordFilter(subdistricts=(DOUGOU, DANGJIA), programs=("consortium", "cross_village")),
    RecordFilter(kinds=("village", "demo_site")),
    RecordFilter(year_from=2020),
    RecordFilter(year_to=2024),
    RecordFilter(year_from=2024, year_to=2024),
    RecordFilter(text="梦享家"),
    RecordFilter(text="red, property"),
    RecordFilter((GANSHIQIAO,), ("red_property",), ("community",), 2023, 2025, "春元里"),
]


@pytest.mark.parametrize("record_filter", ROUND_TRIP_FILTERS, ids=repr)
def test_query_params_round_trip(record_filter, vocabulary):
    params = to_query_params(record_filter)
    assert set(params) <= set(FILTER_PARAMS)
    parsed, ignored = from_query_params(params, vocabulary)
    assert ignored == []
    assert parsed == record_filter


@pytest.mark.parametrize("record_filter", ROUND_TRIP_FILTERS, ids=repr)
def test_query_params_round_trip_as_single_strings(record_filter, vocabulary):
    """One string per parameter, lists joined by commas (a short shareable URL)."""
    params = {
        key: value if isinstance(value, str) else ",".join(value)
        for key, value in to_query_params(record_filter).items()
    }
    assert from_query_params(params, vocabulary) == (record_filter, [])


def test_empty_filter_has_no_params():
    assert to_query_params(RecordFilter()) == {}
    assert to_query_params(RecordFilter(text="   ")) == {}


@pytest.mark.parametrize("value", ["党家街道", "党家", "370103021", "370103021000", " 党家 "])
def test_street_accepts_names_and_codes(value, vocabulary):
    parsed, ignored = from_query_params({"street": value}, vocabulary)
    assert parsed.subdistricts == (DANGJIA,)
    assert ignored == []


def test_same_street_in_several_forms_is_kept_once(vocabulary):
    parsed, ignored = from_query_params(
        {"street": ["党家街道", "党家", "370103021000", "370103021"]}, vocabulary
    )
    assert parsed.subdistricts == (DANGJIA,) and ignored == []


def test_other_name_of_erqi(vocabulary):
    parsed, _ = from_query_params({"street": "二七"}, vocabulary)
    assert parsed.subdistricts == ("370103008",)


@pytest.mark.parametrize(
    "params, ignored",
    [
        ({"street": "朝阳街道"}, [("street", "朝阳街道")]),
        ({"street": "370103099"}, [("street", "370103099")]),
        ({"street": "370103021001"}, [("street", "370103021001")]),  # a unit, not a street
        ({"program": "nope"}, [("program", "nope")]),
        ({"kind": "castle"}, [("kind", "castle")]),
        ({"year_from": "abc"}, [("year_from", "abc")]),
        ({"year_to": "20x4"}, [("year_to", "20x4")]),
        ({"year_from": "-5"}, [("year_from", "-5")]),
        ({"year_from": "99999"}, [("year_from", "99999")]),
        ({"year_from": "2025", "year_to": "2020"}, [("year_to", "2020")]),
    ],
)
def test_invalid_values_are_ignored_and_reported(params, ignored, vocabulary):
    parsed, reported = from_query_params(params, vocabulary)
    assert reported == ignored
    # whatever was invalid left no trace in the filter
    if "year_from" in params and "year_to" in params:
        assert parsed == RecordFilter(year_from=int(params["year_from"]))
    else:
        assert parsed == RecordFilter()


def test_valid_values_survive_invalid_neighbours(vocabulary):
    parsed, ignored = from_query_params(
        {
            "street": ["党家", "朝阳"],
            "program": "consortium,nope",
            "kind": ["village", "x"],
            "year_from": "abc",
            "year_to": "2024",
            "q": "村",
        },
        vocabulary,
    )
    assert parsed == RecordFilter((DANGJIA,), ("consortium",), ("village",), None, 2024, "村")
    assert sorted(ignored) == sorted(
        [("street", "朝阳"), ("program", "nope"), ("kind", "x"), ("year_from", "abc")]
    )


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"street": ""},
        {"street": [""]},
        {"unknown": "x"},
        {"q": ""},
        {"street": ",,"},
        {"year_from": ""},
        {"program": []},
    ],
)
def test_empty_values_give_the_empty_filter(params, vocabulary):
    assert from_query_params(params, vocabulary) == (RecordFilter(), [])


@pytest.mark.parametrize(
    "params",
    [
        {"year_from": "２０２４"},  # full-width digits
        {"street": "\x00"},
        {"program": ["a" * 10_000]},
        {"q": "x" * 10_000},
    ],
)
def test_odd_input_never_raises(params, vocabulary):
    parsed, ignored = from_query_params(params, vocabulary)
    assert isinstance(parsed, RecordFilter) and isinstance(ignored, list)


def test_superscript_year_is_ignored_not_raised(vocabulary):
    parsed, ignored = from_query_params({"year_from": "²"}, vocabulary)
    assert parsed == RecordFilter() and ignored == [("year_from", "²")]


def test_comma_separated_values(vocabulary):
    parsed, ignored = from_query_params(
        {"street": "党家,陡沟", "program": "consortium, cross_village", "kind": "village,industry"},
        vocabulary,
    )
    assert parsed.subdistricts == (DANGJIA, DOUGOU)
    assert parsed.programs == ("consortium", "cross_village")
    assert parsed.kinds == ("village", "industry")
    assert ignored == []


def test_repeated_and_comma_separated_values_mix(vocabulary):
    parsed, _ = from_query_params({"street": ["党家,陡沟", "杆石桥"]}, vocabulary)
    assert parsed.subdistricts == (DANGJIA, DOUGOU, GANSHIQIAO)


def test_text_keeps_commas(vocabulary):
    parsed, _ = from_query_params({"q": "红色物业, 金牌管家"}, vocabulary)
    assert parsed.text == "红色物业, 金牌管家"


def test_text_as_list_keeps_commas(vocabulary):
    parsed, _ = from_query_params({"q": ["红色物业, 金牌管家"]}, vocabulary)
    assert parsed.text == "红色物业, 金牌管家"


@pytest.mark.parametrize(
    ("part", "column"),
    [
        ({"subdistricts": ("370103001",)}, "subdistrict_code"),
        ({"programs": ("red_property",)}, "programs"),
        ({"kinds": ("village",)}, "kind"),
        ({"year_from": 2020}, "year"),
        ({"text": "驿站"}, "name"),
    ],
)
def test_a_filter_that_cannot_be_applied_is_an_error_not_every_row(sites, part, column):
    frame = sites.drop(columns=[column])
    with pytest.raises(ValueError, match=column):
        filter_records(frame, RecordFilter(**part))
    # the other parts still apply to such a frame, and an empty filter keeps every row
    assert len(filter_records(frame, RecordFilter())) == len(sites)
