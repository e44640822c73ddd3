"""ui/data.py: one dataset per store version for the process, shared read-only."""

from __future__ import annotations

import numpy as np
import pytest

from ui.data import load_dataset


def test_every_run_shares_the_process_dataset_and_cannot_write_into_it() -> None:
    first, second = load_dataset(), load_dataset()
    assert first is second  # not a copy unpickled per run
    table = first.site_table
    assert isinstance(table.lon, np.ndarray) and len(table.lon) == len(first.sites)
    with pytest.raises(ValueError, match="read-only"):
        table.lon[0] = 0.0
    visible = first.sites[first.sites["kind"] == "village"]
    visible["name"] = "x"  # a derived frame: copy-on-write keeps the shared one as it was
    assert not first.sites["name"].eq("x").any()
