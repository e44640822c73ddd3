"""The map picture (geo/map/image.py): its size, its font, its labels, legend and caveats."""

from __future__ import annotations

import io
import itertools
import warnings

import numpy as np
import pytest
from matplotlib import font_manager
from matplotlib.font_manager import FontProperties
from PIL import Image

from geo.data.dataset import Dataset
from geo.data.filters import RecordFilter, filter_records
from geo.map import image as mapimage

DANGJIA = "370103021"
CJK = {chr(c) for c in range(0x4E00, 0xA000)}


@pytest.fixture(scope="module")
def data(dataset: Dataset) -> Dataset:
    """The Dataset of a fresh store (tests/conftest.py)."""
    return dataset


def render(data: Dataset, record_filter: RecordFilter | None = None, **kwargs):
    record_filter = record_filter or RecordFilter()
    sites = filter_records(data.sites, record_filter)
    alliances = filter_records(data.alliances, record_filter)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        image = mapimage.render_map_image(
            data, sites, alliances, record_filter.subdistricts, title="市中区点位分布示意图",
            subtitle="范围：全区", sources=["《执党建引领之笔，绘基层治理蓝图》济南报道，2024"],
            **kwargs,
        )  # fmt: skip
    glyphs = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert not glyphs, glyphs
    return image


def charmap(font: mapimage.CjkFont) -> set[str]:
    face = font_manager.get_font(font_manager.FontPath(font.path, font.index))
    return {chr(code) for code in face.get_charmap()}


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720), (1200, 1600)])
def test_the_png_has_the_size_asked(data, size):
    image = render(data, size=size)
    with Image.open(io.BytesIO(image.png)) as picture:
        assert picture.format == "PNG" and picture.size == size
        pixels = np.asarray(picture.convert("RGB"))
    assert len(np.unique(pixels.reshape(-1, 3), axis=0)) > 50  # a drawing, not a blank


def test_chinese_text_is_drawn_in_a_cjk_font_with_every_glyph(data):
    image = render(data)
    font = image.font
    assert font.family in mapimage.CJK_FAMILIES
    # the font matplotlib resolves for that family, with no fallback to its default
    found = font_manager.findfont(FontProperties(family=font.family), fallback_to_default=False)
    assert (str(found), getattr(found, "face_index", 0)) == (font.path, font.index)
    assert font_manager.get_font(found).family_name == font.family
    drawn = "".join(image.texts)
    for text in ("党家", "图例", "市中区区界", "北", "公里", "不是实际位置", "示意"):
        assert text in drawn
    glyphs = charmap(font)
    chinese = {ch for ch in drawn if ch in CJK}
    assert len(chinese) > 100
    assert chinese <= glyphs, f"no glyph for {sorted(chinese - glyphs)}"
    assert set(drawn) - {"\n"} <= glyphs


def test_the_glyph_check_would_catch_a_latin_font():
    """The same check fails for matplotlib's default font (it would draw boxes)."""
    dejavu = font_manager.findfont(FontProperties(family="DejaVu Sans"), fallback_to_default=False)
    face = font_manager.get_font(dejavu)
    assert ord("党") not in face.get_charmap()


def test_a_machine_without_cjk_font_gets_a_clear_error(data, monkeypatch):
    monkeypatch.setattr(mapimage, "CJK_FAMILIES", ("No Such Font SC",))
    mapimage.find_cjk_font.cache_clear()
    try:
        with pytest.raises(mapimage.FontMissingError, match="fonts-noto-cjk"):
            mapimage.render_map_image(data, data.sites)
    finally:
        monkeypatch.undo()
        mapimage.find_cjk_font.cache_clear()
    assert mapimage.find_cjk_font().family in mapimage.CJK_FAMILIES


@pytest.mark.parametrize("size", [(1920, 1080), (800, 600)])
def test_labels_do_not_overlap(data, size):
    image = render(data, size=size)
    names = {label.text for label in image.labels}
    assert {"党家", "陡沟", "十六里河"} <= names  # area names
    assert any(label.kind == "site" for label in image.labels)
    for first, second in itertools.combinations(image.labels, 2):
        a, b = first.box, second.box
        apart = a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
        assert apart, f"{first.text!r} overlaps {second.text!r}"
    width, height = size
    for label in image.labels:
        x0, y0, x1, y1 = label.box
        assert 0 <= x0 < x1 <= width and 0 <= y0 < y1 <= height


def test_a_subdistrict_view_names_its_sites(data):
    image = render(data, RecordFilter(subdistricts=(DANGJIA,)))
    sites = {label.text for label in image.labels if label.kind == "site"}
    assert sites == set(data.sites.loc[data.sites["subdistrict_code"] == DANGJIA, "name"])
    assert "党家" in {label.text for label in image.labels if label.kind == "area"}
    assert "所选街道" in image.legend and "联建范围（示意）" in image.legend


def test_legend_shows_the_programs_drawn_in_their_map_colours(data):
    record_filter = RecordFilter(programs=("consortium", "red_property"))
    image = render(data, record_filter)
    programs = [p for p in image.legend if p in set(data.programs["name_zh"])]
    assert programs == ["党建联合体", "红色物业"]
    assert "示意位置（非实际位置）" in image.legend and "街道范围（示意）" in image.legend
    # a site's colour is its first program's in the vocabulary's order, as on the live map
    sites = filter_records(data.sites, record_filter)
    colours = mapimage._program_colours(sites, data.programs)
    table = data.site_table
    bits = table.prog[table.rows_of(sites)]
    first = [int(np.log2(b & -b)) for b in bits.astype(np.int64)]
    assert colours == [data.programs["color"].iloc[i] for i in first]
    spring = sites.index[sites["name"] == "春元里社区"][0]
    assert colours[sites.index.get_loc(spring)] == "#882255"  # red_property comes first


def test_scale_bar_is_a_round_length_true_to_the_map(data):
    image = render(data, size=(1920, 1080))
    assert image.scale_m in (1000, 2000, 5000, 10000)
    # the district is about 30 km across, drawn over about 70 % of 1920 px
    metres_per_pixel = image.scale_m / image.scale_px
    assert 15 < metres_per_pixel < 40


def test_caveats_say_how_many_positions_are_indicative(data):
    image = render(data)
    drawn = "".join(image.texts)
    assert image.indicative == image.sites == 20
    assert "20 个点位都只知道所在街道或村/社区" in drawn
    assert "街道范围为示意" in drawn and "不作为行政区域界线的依据" in drawn
    english = render(data, lang="en")
    assert "All 20 sites are known only" in "".join(english.texts)


def test_an_empty_view_still_draws_the_district_and_says_so(data):
    image = render(data, RecordFilter(text="没有这个名字"))
    assert image.sites == 0
    assert "当前范围内没有点位" in "".join(image.texts)


@pytest.mark.parametrize(
    ("text", "size"),
    [("1920x1080", (1920, 1080)), (" 800 X 600 ", (800, 600)), ("1280×720", (1280, 720))],
)
def test_parse_size(text, size):
    assert mapimage.parse_size(text) == size


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("big", "宽x高"),
        ("1920", "宽x高"),
        ("-5x10", "宽x高"),
        ("100x100", "超出范围"),
        ("99999x10", "超出范围"),
        ("123456x10", "宽x高"),
    ],
)
def test_parse_size_rejects(text, message):
    with pytest.raises(ValueError, match=message):
        mapimage.parse_size(text)
