"""geo.map.sitelayer: arguments the binary site layers cannot use are clear errors."""

from __future__ import annotations

import json

import pytest

from geo.data import io
from geo.map import sitelayer


def test_an_unknown_kind_is_a_clear_error():
    sites, subdistricts, programs = io.load_sites(), io.load_subdistricts(), io.load_programs()
    with pytest.raises(ValueError, match=r"kinds must be among village, .*; got \['stations'\]"):
        sitelayer.build_site_layers(sites, subdistricts, programs, kinds=("station", "stations"))
    layers = sitelayer.build_site_layers(sites, subdistricts, programs, kinds=("station",))
    assert len(layers) == 1


def _cited(layers) -> list[str]:
    """The citations the layers' payloads carry (each payload is the JSON of its script)."""
    payloads = [
        json.loads(child.payload)
        for layer in layers
        for child in layer._children.values()
        if hasattr(child, "payload")
    ]
    return sorted({text for p in payloads for text in p["sources"]})


def test_citations_kept_per_version_follow_the_source_table():
    """The citations are made once per data version and language, but never from another
    source table: one with a new short title gives the new title, under the same version."""
    sites, subdistricts, programs = io.load_sites(), io.load_subdistricts(), io.load_programs()
    sources = io.load_sources()
    first = sitelayer.build_site_layers(sites, subdistricts, programs, version=7, sources=sources)
    assert any("执党建引领之笔" in text for text in _cited(first))
    assert _cited(first) == _cited(
        sitelayer.build_site_layers(sites, subdistricts, programs, version=7, sources=sources)
    )
    renamed = sources.copy()
    renamed.loc[renamed["key"] == "article-2024", "short_zh"] = "《改过的标题》2024"
    second = sitelayer.build_site_layers(sites, subdistricts, programs, version=7, sources=renamed)
    assert any("改过的标题" in text for text in _cited(second))
    assert not any("执党建引领之笔" in text for text in _cited(second))
    english = sitelayer.build_site_layers(
        sites, subdistricts, programs, "en", version=7, sources=sources
    )
    assert _cited(english) != _cited(first)
