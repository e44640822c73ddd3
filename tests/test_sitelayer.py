"""geo.sitelayer: arguments the binary site layers cannot use are clear errors."""

from __future__ import annotations

import pytest

from geo import io, sitelayer


def test_an_unknown_kind_is_a_clear_error():
    sites, subdistricts, programs = io.load_sites(), io.load_subdistricts(), io.load_programs()
    with pytest.raises(ValueError, match=r"kinds must be among village, .*; got \['stations'\]"):
        sitelayer.build_site_layers(sites, subdistricts, programs, kinds=("station", "stations"))
    layers = sitelayer.build_site_layers(sites, subdistricts, programs, kinds=("station",))
    assert len(layers) == 1
