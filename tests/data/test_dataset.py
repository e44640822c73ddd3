"""The dataset contract (geo.data.dataset) and the one map assembly built on it
(geo.map.leaflet)."""

from __future__ import annotations

import folium
import pytest

from geo.data.dataset import REFERENCE, build_dataset
from geo.load import load_dataset
from geo.map import leaflet as maps
from geo.map.basemaps import Basemap


def test_the_dataset_holds_every_table_of_one_version(dataset):
    assert dataset.version >= 1
    for name in (*REFERENCE, "sites", "metrics", "alliances"):
        assert len(getattr(dataset, name)) > 0, name
    assert len(dataset.site_table.lon) == len(dataset.sites)
    # nothing placed yet: every unit without a position, every site where it is stored
    assert dataset.units["lon"].isna().all()
    assert (dataset.sites["lon"] == dataset.sites["own_lon"]).all()
    assert set(dataset.sites["placement"]) <= {"own", "seat"}


def test_a_missing_table_is_named(dataset):
    reference = {name: getattr(dataset, name) for name in REFERENCE if name != "areas"}
    records = {"sites": dataset.sites, "alliances": dataset.alliances}
    with pytest.raises(ValueError, match="areas, metrics, official_areas, unit_locations"):
        build_dataset(dataset.version, reference, records)


def test_assemble_map_draws_sites_only_or_every_overlay(dataset):
    base, only = maps.assemble_map(dataset, dataset.sites.head(1))
    assert isinstance(base, maps.OfflineMap)
    assert all(isinstance(layer, folium.FeatureGroup) for layer in only)
    _, every = maps.assemble_map(dataset, dataset.sites, dataset.alliances, ("370103001",))
    # the selection outline before the site layers, the alliances after them
    assert len(every) == len(only) + 3  # and the placed villages/communities last


@pytest.mark.parametrize(
    ("arguments", "message"),
    [({"theme": "night"}, "theme must be one of"), ({"lang": "fr"}, "lang must be one of")],
)
def test_bad_map_arguments_are_clear_errors(dataset, arguments, message):
    with pytest.raises(ValueError, match=message):
        maps.assemble_map(dataset, dataset.sites, basemap=Basemap("none"), **arguments)


def test_a_placed_unit_draws_its_seat_only_sites_at_its_position(tmp_path):
    from geo.store.records import Store

    store = Store.open(f"sqlite:///{tmp_path / 'store.sqlite'}")
    sites = store.read_sites()
    at_seat = sites[(sites["location_precision"] == "subdistrict") & (sites["unit_code"] != "")]
    assert len(at_seat), "the shipped data has seat-only sites naming a village or community"
    site = at_seat.iloc[0]
    position = {"id": site["unit_code"], "lon": 116.95, "lat": 36.55, "source": "测试"}
    store.save("units", position | {"location_precision": "exact"}, "tester")
    placed = load_dataset(store)
    row = placed.sites.set_index("id").loc[site["id"]]
    assert (row["lon"], row["lat"]) == (116.95, 36.55)
    assert row["location_precision"] == "unit" and row["placement"] == "unit"
    assert (row["own_lon"], row["own_lat"]) == (site["lon"], site["lat"])
    unit = placed.units.set_index("code").loc[site["unit_code"]]
    assert (unit["lon"], unit["location_source"]) == (116.95, "测试")
    # a site with coordinates of its own stays where it is
    own = placed.sites[placed.sites["placement"] == "own"]
    assert (own["lon"] == own["own_lon"]).all()
    # the stored record is unchanged: the unit's position is drawn, not written
    assert store.get("sites", site["id"])["lon"] == site["lon"]
    store.engine.dispose()
