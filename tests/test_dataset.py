"""The dataset contract (geo.dataset) and the one map assembly built on it (geo.maps)."""

from __future__ import annotations

import folium
import pytest

from geo import maps
from geo.basemaps import Basemap
from geo.dataset import RECORDS, REFERENCE, Dataset, build_dataset, load_dataset


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> Dataset:
    from geo.store import Store

    url = f"sqlite:///{tmp_path_factory.mktemp('dataset') / 'store.sqlite'}"
    store = Store.open(url)
    try:
        return load_dataset(store)
    finally:
        store.engine.dispose()


def test_the_dataset_holds_every_table_of_one_version(dataset):
    assert dataset.version >= 1
    for name in (*REFERENCE, *RECORDS):
        assert len(getattr(dataset, name)) > 0, name
    assert len(dataset.site_table.lon) == len(dataset.sites)


def test_a_missing_table_is_named(dataset):
    reference = {name: getattr(dataset, name) for name in REFERENCE if name != "areas"}
    records = {name: getattr(dataset, name) for name in RECORDS if name != "metrics"}
    with pytest.raises(ValueError, match="areas, metrics"):
        build_dataset(dataset.version, reference, records)


def test_assemble_map_draws_sites_only_or_every_overlay(dataset):
    base, only = maps.assemble_map(dataset, dataset.sites.head(1))
    assert isinstance(base, maps.OfflineMap)
    assert all(isinstance(layer, folium.FeatureGroup) for layer in only)
    _, every = maps.assemble_map(dataset, dataset.sites, dataset.alliances, ("370103001",))
    # the selection outline before the site layers, the alliances after them
    assert len(every) == len(only) + 2


@pytest.mark.parametrize(
    ("arguments", "message"),
    [({"theme": "night"}, "theme must be one of"), ({"lang": "fr"}, "lang must be one of")],
)
def test_bad_map_arguments_are_clear_errors(dataset, arguments, message):
    with pytest.raises(ValueError, match=message):
        maps.assemble_map(dataset, dataset.sites, basemap=Basemap("none"), **arguments)
