"""ui/warm.py in this process: what warming loads is left out of later collections."""

from __future__ import annotations

import gc
import sys

from ui import warm


def test_warming_freezes_what_it_loaded_out_of_later_collections() -> None:
    gc.unfreeze()
    try:
        assert gc.get_freeze_count() == 0
        steps = warm.warm()
        assert {"imports", "overview", "freeze", "total"} <= set(steps)
        frozen = gc.get_freeze_count()
        assert frozen > 10_000  # the imported modules and the cached data, at the least
        tracked = {id(each) for each in gc.get_objects()}  # what a full collection walks
        for name in ("folium", "geopandas", "ui.widgets"):
            assert id(sys.modules[name]) not in tracked, name
        later = [object()]  # what sessions make afterwards is collected as before
        assert any(each is later for each in gc.get_objects())
    finally:
        gc.unfreeze()
