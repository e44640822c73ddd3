"""geo.data.profiles: a subdistrict's and a program's page content."""

from __future__ import annotations

import pytest

from geo.data import io
from geo.data.profiles import program_profile, subdistrict_profile
from geo.intake.boundaries import load_configured_areas


@pytest.fixture(scope="module")
def data():
    return {
        "subdistricts": io.load_subdistricts(),
        "units": io.load_units(),
        "areas": load_configured_areas(),
        "sites": io.load_sites(),
        "metrics": io.load_metrics(),
        "alliances": io.load_alliances(),
        "programs": io.load_programs(),
        "events": io.load_events(),
    }


def profile_of(data, code):
    d = data
    return subdistrict_profile(
        code, d["subdistricts"], d["units"], d["areas"], d["sites"], d["metrics"], d["alliances"]
    )


def test_dangjia_profile(data):
    profile = profile_of(data, "370103021")
    assert profile.name == "党家街道"
    assert len(profile.units) == 23  # 1 community + 22 villages (NBS 2023)
    assert len(profile.sites) == 5
    assert profile.programs == ["cross_village"]
    assert profile.metrics["id"].tolist() == [
        "m-yufu-villages",
        "m-yufu-demo-share",
        "m-yufu-leader-age",
    ]
    assert profile.schematic
    area = data["areas"][data["areas"]["code"] == "370103021"].geometry.iloc[0]
    from shapely.geometry import Point

    assert area.contains(Point(profile.center[1], profile.center[0]))


def test_unknown_subdistrict_is_a_clear_error(data):
    with pytest.raises(ValueError, match="code must be .* got '370103099'") as error:
        profile_of(data, "370103099")
    assert "370103021" in str(error.value)  # the codes allowed are listed


def test_program_profile_with_timeline_in_order(data):
    d = data
    profile = program_profile(
        "cadre_exchange",
        d["programs"],
        d["sites"],
        d["metrics"],
        d["units"],
        d["alliances"],
        d["events"],
    )
    assert profile.name == "挂职交流"
    assert profile.metrics["id"].tolist() == ["m-secondment"]
    assert profile.timeline["date"].tolist() == sorted(profile.timeline["date"].tolist())
    assert len(profile.timeline) == 3  # the work plan, batch 1 and the May meeting
    english = program_profile(
        "cadre_exchange",
        *(d[k] for k in ("programs", "sites", "metrics", "units")),
        d["alliances"],
        d["events"],
        lang="en",
    )
    assert english.name == "Cadre secondment"


def test_unknown_program_is_a_clear_error(data):
    d = data
    with pytest.raises(ValueError, match="key must be a program key, got 'nope'") as error:
        program_profile(
            "nope",
            d["programs"],
            d["sites"],
            d["metrics"],
            d["units"],
            d["alliances"],
            d["events"],
        )
    assert "cadre_exchange" in str(error.value)  # the keys allowed are listed
