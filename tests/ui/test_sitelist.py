"""The map as text in pages (ui/sitelist.py): every visible site is reachable through 上一页 /
下一页, the list starts again at its first page when the filter shows other sites, and a site
chosen on the map brings its page up (its entry is where Escape goes back to).

AppTest on the overview, its store holding synthetic sites (bench/synthetic.py); the list is
mounted by its hidden button, as the browser's script does once the map has painted."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from bench import synthetic
from geo.text.labels import t
from ui.sitelist import PAGE_SIZE, entry_key, list_key

ROOT = Path(__file__).resolve().parents[2]
MAP_KEY = "overview_map"
N_SITES = 2 * PAGE_SIZE + 20
SITES = synthetic.make_sites(N_SITES, seed=28)
PREV, NEXT = f"{list_key(MAP_KEY)}__prev", f"{list_key(MAP_KEY)}__next"


@pytest.fixture
def at(app_state: Path) -> AppTest:
    """The overview on :data:`SITES`, its list mounted."""
    synthetic.write_store(app_state, SITES)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.button(key="sz_overview_list__go").click().run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def entries(at: AppTest) -> list[str]:
    """The keys of the list's entries, in order."""
    prefix = entry_key(MAP_KEY, "x").rsplit("_", 1)[0] + "_"
    return [b.key for b in at.button if b.key and b.key.startswith(prefix)]


def keys(sites: pd.DataFrame) -> list[str]:
    return [entry_key(MAP_KEY, site_id) for site_id in sites["id"]]


def page_caption(at: AppTest) -> str:
    found = [c.value for c in at.caption if c.value.startswith("第 ") and "页" in c.value]
    assert len(found) == 1, [c.value for c in at.caption]
    return found[0]


def test_every_site_is_reached_page_by_page(at: AppTest) -> None:
    """Three pages of 50, 50 and 20 entries, each site once; 上一页 is off on the first page,
    下一页 on the last; the caption says where the reader is."""
    seen = []
    for page in range(3):
        listed = entries(at)
        first = page * PAGE_SIZE + 1
        assert listed == keys(SITES.iloc[first - 1 : first - 1 + PAGE_SIZE]), page
        last = first + len(listed) - 1
        assert page_caption(at) == t(
            "site_list_page", page=page + 1, pages=3, first=first, last=last
        )
        assert at.button(key=PREV).disabled is (page == 0)
        assert at.button(key=NEXT).disabled is (page == 2)
        seen += listed
        if page < 2:
            at.button(key=NEXT).click().run()
    assert sorted(seen) == sorted(keys(SITES)) and len(seen) == N_SITES
    at.button(key=PREV).click().run()
    assert entries(at) == keys(SITES.iloc[PAGE_SIZE : 2 * PAGE_SIZE])


def test_a_filter_showing_other_sites_starts_at_the_first_page(at: AppTest) -> None:
    at.button(key=NEXT).click().run()
    assert entries(at)[0] == keys(SITES)[PAGE_SIZE]
    # subdistricts that still hold more than a page of sites, not all of them
    counts = SITES["subdistrict_code"].value_counts()
    codes = list(counts.index[: int((counts.cumsum() <= PAGE_SIZE + 10).sum()) + 1])
    shown = SITES[SITES["subdistrict_code"].isin(codes)]
    assert PAGE_SIZE < len(shown) < N_SITES
    at.multiselect(key="f_street").set_value(codes).run()
    at.button(key="sz_overview_list__go").click().run()  # the list waits for the map again
    assert entries(at) == keys(shown.head(PAGE_SIZE))
    assert page_caption(at).startswith("第 1/2 页")


def test_a_site_chosen_on_the_map_brings_its_page(at: AppTest) -> None:
    """A site chosen (as a click on its marker does) on the last page: the list shows that page
    with its entry; the reader can still turn away from it."""
    chosen = SITES["id"].iloc[-1]
    at.session_state[f"{MAP_KEY}__site"] = chosen
    at.run()
    assert entry_key(MAP_KEY, chosen) in entries(at)
    assert page_caption(at).startswith("第 3/3 页")
    at.button(key=PREV).click().run()
    assert page_caption(at).startswith("第 2/3 页")
