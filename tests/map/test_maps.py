"""geo.map.leaflet: the base map is stable, layers hold the filtered sites, text is escaped,
offline."""

from __future__ import annotations

import html
import json
import re

import numpy as np
import pandas as pd
import pytest
from streamlit_folium import _get_map_string, generate_leaflet_string

from geo.data import datum, io, sitetable
from geo.data.filters import RecordFilter, filter_records
from geo.intake.boundaries import load_configured_areas
from geo.map import leaflet as maps
from geo.map import sitelayer
from geo.text import vocab

PAYLOAD = re.compile(r"var d = (\{.*?\}), group")


@pytest.fixture(scope="module")
def data():
    return {
        "outline": io.load_outline(),
        "areas": load_configured_areas(),
        "subdistricts": io.load_subdistricts(),
        "programs": io.load_programs(),
        "sites": io.load_sites(),
        "alliances": io.load_alliances(),
    }


def base(data, **kwargs):
    return maps.build_base_map(
        data["outline"], data["areas"], data["subdistricts"], data["programs"], **kwargs
    )


def as_in_script(text: str) -> str:
    """``text`` as folium writes it into GeoJSON data (ASCII JSON, ``&<>`` as escapes)."""
    escaped = json.dumps(text)[1:-1]
    return escaped.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def payloads(groups) -> dict[str, dict]:
    """Decoded SiteLayer payload per layer name (empty layers have none)."""
    found = {}
    for group in groups:
        text = generate_leaflet_string(group)
        match = PAYLOAD.search(text)
        found[group.layer_name] = json.loads(match.group(1)) if match else None
    return found


def test_base_map_is_identical_across_builds(data):
    """streamlit-folium keys the map by its JS: equal JS means no remount between reruns."""
    first = _get_map_string(base(data))
    second = _get_map_string(base(data))
    assert first == second
    assert _get_map_string(base(data, lang="en")) != first


def test_base_map_has_outline_areas_and_schematic_label(data):
    script = _get_map_string(base(data))
    assert script.count('"code":"3701030') >= 17 or script.count('"code": "3701030') >= 17
    assert "示意" in script
    assert "370103021" in script


def test_site_layers_one_per_kind_with_the_filtered_ids(data):
    chosen = filter_records(data["sites"], RecordFilter(subdistricts=("370103021",)))
    groups = maps.build_site_layers(chosen, data["subdistricts"], data["programs"])
    assert len(groups) == len(vocab.KINDS)
    found = payloads(groups)
    village = next(v for k, v in found.items() if k.startswith("村"))
    assert sorted(village["id"]) == [f"v-370103021{n}" for n in range(209, 214)]
    assert sum(v is not None for v in found.values()) == 1  # the other kinds are empty
    assert len(sitelayer.decode_records(village)) == len(village["id"]) == village["n"]


def test_every_kind_layer_counts_its_sites(data):
    groups = maps.build_site_layers(data["sites"], data["subdistricts"], data["programs"])
    found = payloads(groups)
    total = sum(len(v["id"]) for v in found.values() if v)
    assert total == len(data["sites"]) == 20
    for name, payload in found.items():
        count = int(re.search(r"\((\d+)\)$", name).group(1))
        assert count == (len(payload["id"]) if payload else 0)


def test_empty_filter_still_gives_every_layer(data):
    none = data["sites"].iloc[0:0]
    groups = maps.build_site_layers(none, data["subdistricts"], data["programs"])
    assert len(groups) == len(vocab.KINDS)
    assert all(v is None for v in payloads(groups).values())


def test_record_text_is_escaped_in_the_script(data):
    sites = data["sites"].head(1).copy()
    evil = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    sites["name"] = evil
    sites["source"] = "</script><script>alert(3)</script>"
    groups = maps.build_site_layers(sites, data["subdistricts"], data["programs"])
    text = "".join(generate_leaflet_string(g) for g in groups)
    assert "<script>" not in text and "</script>" not in text and "<img" not in text
    payload = next(v for v in payloads(groups).values() if v)
    assert payload["name"] == [evil]  # the browser gets the text back exactly, as data


def test_tooltips_are_built_as_text_nodes():
    """The site layer's code never assigns HTML: only textContent and text nodes."""
    script = maps.asset_path(f"{maps.STATIC_URL}/sitelayer.js").read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in script, sink
    assert "textContent" in script and "createTextNode" in script
    assert "innerHTML" not in sitelayer._SITE_LAYER + sitelayer._NO_SITES


def test_record_text_is_never_a_server_side_template(data):
    """Names reach the map's scripts; none may be evaluated as a Jinja template on the server
    (branca compiles rendered scripts unless the element renders raw)."""
    probe = "{{ 7*7 }}{% if true %}yes{% endif %}"
    alliances = data["alliances"].copy()
    alliances["name"] = probe
    areas = data["areas"].copy()
    areas["name"] = probe
    subdistricts = data["subdistricts"].copy()
    subdistricts["short_name"] = probe
    fmap = maps.build_base_map(data["outline"], areas, subdistricts, data["programs"])
    groups = [maps.build_alliance_layer(alliances, data["sites"])]
    page = maps.standalone_html(fmap, groups)  # renders the whole figure, as the export does
    literal = [json.dumps(probe)[1:-1], as_in_script(probe), html.escape(probe)]
    assert sum(page.count(text) for text in set(literal)) >= 3  # areas, labels, alliances
    assert "49yes" not in page


def test_area_labels_are_text(data):
    """An area's name reaches the script as JSON data (no raw markup) and its tooltip is built
    with textContent, so "<b>x</b>" shows as those characters."""
    areas = data["areas"].copy()
    areas.loc[areas.index[0], "name"] = "<b>x</b>"
    fmap = maps.build_base_map(data["outline"], areas, data["subdistricts"], data["programs"])
    script = _get_map_string(fmap)
    assert "<b>x</b>" not in script
    assert as_in_script("<b>x</b>") in script
    areas = maps.static_text(maps.MAP_SCRIPTS["sz_areas"])  # the areas and the outline
    labels = maps.static_text(maps.MAP_SCRIPTS["sz_labels"])
    assert "div.textContent = feature.properties.label" in areas
    assert "innerHTML" not in areas + labels


def test_offline_assets_are_local_files(data):
    fmap = base(data)
    links = [url for _, url in fmap.default_js + fmap.default_css]
    assert links, "the map needs Leaflet"
    for url in links:
        assert url.startswith("/app/static/"), url
        assert maps.asset_path(url).is_file(), url


def test_standalone_html_needs_no_network(data):
    groups = maps.build_site_layers(data["sites"], data["subdistricts"], data["programs"])
    page = maps.standalone_html(base(data), groups)
    assert not re.search(r"<script[^>]+src=", page)
    assert not re.search(r"<link[^>]+href=", page)
    assert "L.szSites" in page and "KDBush" in page and "leaflet" in page.lower()


def test_spread_positions_fans_out_shared_points_only():
    lon = np.array([117.0, 117.0, 117.0, 116.9])
    lat = np.array([36.6, 36.6, 36.6, 36.5])
    spread = np.array([True, True, True, False])
    new_lon, new_lat = sitetable.spread_positions(lon, lat, spread)
    points = set(zip(new_lon[:3].round(7), new_lat[:3].round(7), strict=True))
    assert len(points) == 3  # no two left on top of each other
    assert (new_lon[3], new_lat[3]) == (116.9, 36.5)
    assert np.hypot(new_lon[:3] - 117.0, new_lat[:3] - 36.6).max() < 0.01  # stays near (< 1 km)


def test_amap_view_moves_every_overlay_by_the_gcj02_offset(data):
    sites = data["sites"]
    wgs = payloads(maps.build_site_layers(sites, data["subdistricts"], data["programs"]))
    gcj = payloads(
        maps.build_site_layers(
            sites, data["subdistricts"], data["programs"], basemap_datum=datum.GCJ02
        )
    )
    drawn = {name: payload for name, payload in wgs.items() if payload is not None}
    # the shipped sites are of several kinds: the check must see some (not pass on none)
    assert len(drawn) >= 3 and set(drawn) == {n for n, p in gcj.items() if p is not None}
    assert sum(len(sitelayer.decode_records(p)) for p in drawn.values()) == len(sites)
    for name, payload in drawn.items():
        a, b = sitelayer.decode_records(payload), sitelayer.decode_records(gcj[name])
        dlon, dlat = (b["lon"] - a["lon"]) / 1e5, (b["lat"] - a["lat"]) / 1e5
        assert np.all((dlon > 0.0050) & (dlon < 0.0065)), dlon
        assert np.all((dlat > -0.0002) & (dlat < 0.0006)), dlat


def test_alliance_layer_joins_the_members(data):
    group = maps.build_alliance_layer(data["alliances"], data["sites"])
    text = generate_leaflet_string(group)
    assert "al-yufuquanyuan" in text and "al-hongmengxingye" in text
    assert as_in_script("推断") in text  # inferred membership is said


def test_large_selections_send_every_site_and_the_aggregation_rule(data):
    """Above AGGREGATE_ABOVE sites the payload still holds every site (zoomed in, the browser
    draws them), with what it needs to draw one circle per subdistrict while too many are in
    view: the threshold, each subdistrict's seat and code."""
    from bench import synthetic

    many = synthetic.make_sites(sitelayer.AGGREGATE_ABOVE + 500, seed=1)
    found = payloads(maps.build_site_layers(many, data["subdistricts"], data["programs"]))
    sent = [p for p in found.values() if p]
    assert sum(len(sitelayer.decode_records(p)) for p in sent) == len(many)
    rows = np.concatenate([sitelayer.decode_records(p)["row"] for p in sent])
    assert sorted(rows.tolist()) == list(range(len(many)))  # each site once
    for payload in sent:
        agg = payload["agg"]
        assert agg["above"] == sitelayer.AGGREGATE_ABOVE
        assert len(agg["seats"]) == len(agg["codes"]) == len(data["subdistricts"]) + 1
        assert agg["codes"][:-1] == data["subdistricts"]["code"].tolist()
        seat = data["subdistricts"].iloc[0]
        assert agg["seats"][0] == [round(seat["seat_lat"], 6), round(seat["seat_lon"], 6)]
    assert len({p["agg"]["kind"] for p in sent}) == len(sent)  # one offset per kind


@pytest.mark.parametrize(
    ("what", "grow"),
    [
        ("programs", lambda s, d, p: (s, d, pd.concat([p] * 3, ignore_index=True))),
        ("subdistricts", lambda s, d, p: (s, pd.concat([d] * 15, ignore_index=True), p)),
    ],
)
def test_limits_of_the_binary_site_records_are_clear_errors(what, grow):
    """33 programs or 255 subdistricts would wrap or be cut silently in the binary records."""
    sites, subdistricts, programs = io.load_sites(), io.load_subdistricts(), io.load_programs()
    assert len(programs) * 3 > sitetable.MAX_PROGRAMS
    assert len(subdistricts) * 15 > sitetable.MAX_SUBDISTRICTS
    with pytest.raises(ValueError, match=f"at most .* {what}"):
        sitetable.prepare_sites(*grow(sites, subdistricts, programs))
    table = sitetable.prepare_sites(sites, subdistricts, programs)  # the real vocabularies fit
    assert len(table.prog) == len(sites)


def test_labels_are_placed_without_overlap_and_the_core_button_fits_the_small_areas(data):
    html = base(data).get_root().render()
    assert "sz-label-anchor" in html and "sz-leader" in html  # placed by script, leader lines
    assert "sz-core-button" in html and "城区" in html and "全区" in html
    sizes = dict(zip(data["areas"]["code"], maps.area_km2(data["areas"]), strict=True))
    core = {c for c, km2 in sizes.items() if km2 <= maps.CORE_MAX_KM2}
    names = data["subdistricts"].set_index("code")["short_name"]
    assert {"魏家庄", "大观园", "泺源", "杆石桥", "四里村", "舜玉路", "舜耕"} <= set(
        names[list(core)]
    )
    assert {"党家", "陡沟", "兴隆", "十六里河"}.isdisjoint(names[list(core)])
    assert 0.6 < sizes["370103006"] < 0.9  # 魏家庄, the smallest, against a projected area


def test_the_scope_layer_shades_the_district_in_a_program_colour(data):
    group = maps.build_scope_layer(data["outline"], "#CC3311", "项目范围：全区")
    fmap = base(data)
    group.add_to(fmap)
    html = fmap.get_root().render()
    assert '"fillColor": "#CC3311"' in html and '"fillOpacity": 0.35' in html
    with pytest.raises(ValueError, match="colour must be #RRGGBB"):
        maps.build_scope_layer(data["outline"], "red;}</style>", "x")


def test_site_popups_cite_readably_when_given_the_sources(data):
    sources = io.load_sources()
    groups = sitelayer.build_site_layers(
        data["sites"], data["subdistricts"], data["programs"], sources=sources
    )
    shown = [p for p in payloads(groups).values() if p]
    cited = {s for p in shown for s in p["sources"]}
    assert cited and not any(s.startswith("article-2024") for s in cited)
    assert "《执党建引领之笔，绘基层治理蓝图》济南报道，2024（聚力攻坚）" in cited
