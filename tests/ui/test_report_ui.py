"""The report buttons on the pages (AppTest): present on the overview, subdistrict and program
pages, in the session's language; the PNG is not offered on a machine without a CJK font."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.map import image as mapimage

ROOT = Path(__file__).resolve().parents[2]
PAGES = ("app_pages/overview.py", "app_pages/subdistrict.py", "app_pages/program.py")


def run(page: str, **params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page != PAGES[0]:
        at.switch_page(page).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def buttons(at: AppTest) -> dict[str, bool]:
    """Label -> disabled, for the page's download buttons."""
    return {b.label: b.disabled for b in at.get("download_button")}


@pytest.mark.parametrize("page", PAGES)
def test_every_view_page_offers_the_brief_and_the_picture(page):
    at = run(page, street="370103021")
    assert buttons(at) == {"导出汇报材料": False, "导出地图图片": False}


def test_buttons_follow_the_language():
    at = run(PAGES[2], program="cross_village", lang="en")
    assert buttons(at) == {"Export briefing (Word)": False, "Export map picture (PNG)": False}


def test_without_a_cjk_font_the_picture_is_not_offered(monkeypatch):
    monkeypatch.setattr(mapimage, "CJK_FAMILIES", ("No Such Font SC",))
    mapimage.find_cjk_font.cache_clear()
    try:
        at = run(PAGES[0])
        assert buttons(at) == {"导出汇报材料": False, "导出地图图片": True}
        assert any("fonts-noto-cjk" in c.value for c in at.caption)
    finally:
        monkeypatch.undo()
        mapimage.find_cjk_font.cache_clear()
