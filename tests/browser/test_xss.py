"""Record text is data, never markup: XSS payloads in every text field, in a real browser.

One store holds a set of payloads in every user-provided text field: the name, description and
source of sites; the Chinese and English names, unit and source of metrics; the name,
description, membership note and source of alliances. Each payload that could run sets its own
flag (``window.__xss_N``). The app is served once (``streamlit run``) and every page that shows
records is opened in headless Debian Chromium (foreign requests aborted, console and page errors
collected, as in ``test_browser.py``): the overview (map tooltips and popups of every payload
site, the alliance and area tooltips, the detail panel), the overview filtered to the payloads'
program (the reported KPIs, their help tooltips), the records table, the program and
subdistrict profiles, and the big screen.

After each page: no flag is set in the page or in any of its frames, no element carries an
injected handler or script, there is no unexpected console or page error, and the payloads are
shown literally (character for character: no ``49`` for ``{{7*7}}``, no ``<b>`` for
``&lt;b&gt;``, no link for a Markdown link). Screenshots: ``test-artifacts/xss-*.png``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect
from shapely.geometry import Point

from geo.data import io
from geo.data.kpi import format_value
from geo.intake.boundaries import load_configured_areas
from geo.store.records import Store
from geo.text.labels import t
from geo.text.vocab import KINDS
from tests.browser.support import (
    ARTIFACTS,
    WAIT_MS,
    Watched,
    centre_on,
    hover,
    probe_script,
    wait_for_map,
    wait_idle,
)

#: True once a Markdown element of the page's main area holds exactly the text ``row``.
_ROW_SHOWN_JS = """(row) => [...document.querySelectorAll(
  '[data-testid="stMain"] [data-testid="stMarkdownContainer"]')]
  .some((e) => e.textContent === row)"""

LANG = "zh"  # the app's default language: the pages show ``name_zh``
PROGRAM = "cadre_exchange"  # the payloads' program: no seeded site has it
DANGJIA = "370103021"
QILISHAN = "370103009"  # no site at all: its area is hovered on a clear spot
MEMBERS = "370103021210;370103021211"  # two 党家 villages with site records

#: Each payload that could run sets its own flag (in the document it lands in, or its parent);
#: the last three cannot run but must be shown exactly as typed.
PAYLOADS = (
    '<img src=x onerror="window.__xss_1=1">',
    "<script>window.__xss_2=1</script>",
    '<svg onload="window.__xss_3=1">',
    '"><iframe srcdoc="<script>parent.__xss_4=1</script>">',
    "javascript:window.__xss_5=1",
    "[link](javascript:window.__xss_6=1)",  # Markdown link
    '![img](x" onerror="window.__xss_7=1)',  # Markdown image
    "</script><script>window.__xss_8=1</script>",
    '<details open ontoggle="window.__xss_9=1">x</details>',
    "<!--<script>window.__xss_10=1//-->",  # inside a <script>: swallows its end tag
    "{{7*7}}",  # template injection (Jinja, Vue, Angular): must not become 49
    "${7*7}",  # JavaScript template literal
    "&lt;b&gt;",  # must stay these 9 characters (not decoded to <b>)
)
N = len(PAYLOADS)
#: One subdistrict per payload site (党家 first: its profile page shows that site).
SITE_AREAS = (
    DANGJIA,
    "370103022",
    "370103002",
    "370103003",
    "370103004",
    "370103006",
    "370103008",
    "370103010",
    "370103012",
    "370103014",
    "370103015",
    "370103016",
    "370103017",
)
SITE_IDS = tuple(f"xss-site-{k:02d}" for k in range(N))
#: Sorted after the seeded alliances: drawn last, so the topmost under the mouse.
ALLIANCE_IDS = tuple(f"al-zxss-{k:02d}" for k in range(N))
#: Sorted before the seeded ``m-secondment``: the big screen shows the first three.
METRIC_IDS = tuple(f"m-0xss-{k:02d}" for k in range(N))
ALLIANCE_METRIC = "m-0xss-alliance"  # scoped to an alliance in 党家: on its profile page

SEEDED_SITES = io.load_sites()
SEATS = io.load_subdistricts().set_index("code")
#: Payload sites sit ~300 m east and ~200 m south of their subdistrict's seat: inside its
#: area, apart from the seat's own (indicative, fanned-out) sites. (lon, lat) degrees.
SITE_OFFSET = (0.003, -0.002)


def metric_fields(k: int) -> dict:
    """Metric ``k``: its names carry payload ``k``, its unit and source the next two."""
    return {
        "name_zh": PAYLOADS[k],
        "name_en": PAYLOADS[k],
        "unit": PAYLOADS[(k + 1) % N],
        "source": PAYLOADS[(k + 2) % N],
        "value": 100 + k,  # never 49
    }


ALLIANCE_METRIC_FIELDS = {
    "name_zh": f"{PAYLOADS[6]} {PAYLOADS[0]}",  # not the name of another metric
    "name_en": f"{PAYLOADS[6]} {PAYLOADS[0]}",
    "unit": PAYLOADS[0],
    "source": PAYLOADS[5],
    "value": 200,
}


# --- the store and the server ---------------------------------------------------------------


def seed_payloads(state: Path) -> None:
    """The seeded store plus one site, metric and alliance per payload, saved as an editor
    would (full records, ``Store.save``)."""
    areas = load_configured_areas().set_index("code")
    for site_id, code in zip(SITE_IDS, SITE_AREAS, strict=True):
        lat, lon = site_latlon(site_id)
        assert areas.loc[code].geometry.contains(Point(lon, lat)), f"{site_id} not in {code}"
    store = Store.open(f"sqlite:///{state}/shizhong.sqlite")
    site = SEEDED_SITES.iloc[0].to_dict()
    metric = io.load_metrics().set_index("id").loc["m-secondment"].to_dict()
    alliance = io.load_alliances().iloc[0].to_dict()
    assert metric["program"] == PROGRAM and metric["scope_type"] == "district"
    for k, payload in enumerate(PAYLOADS):
        lat, lon = site_latlon(SITE_IDS[k])
        store.save(
            "sites",
            site
            | {
                "id": SITE_IDS[k],
                "name": payload,
                "description": payload,
                "source": payload,
                "kind": KINDS[k % len(KINDS)],  # spread over the map's layers
                "subdistrict_code": SITE_AREAS[k],
                "unit_code": "",
                "programs": PROGRAM,
                "year": 2024,
                "lon": lon,
                "lat": lat,
                "location_precision": "exact",
            },
            "xss-test",
        )
        store.save("metrics", metric | {"id": METRIC_IDS[k]} | metric_fields(k), "xss-test")
        store.save(
            "alliances",
            alliance
            | {
                "id": ALLIANCE_IDS[k],
                "name": payload,
                "kind": "joint_committee",
                "subdistrict_code": DANGJIA,
                "member_codes": MEMBERS,
                "inferred_codes": "",
                "programs": PROGRAM,
                "description": payload,
                "membership_note": payload,
                "source": payload,
            },
            "xss-test",
        )
    store.save(
        "metrics",
        metric
        | {"id": ALLIANCE_METRIC, "scope_type": "alliance", "scope_code": ALLIANCE_IDS[0]}
        | ALLIANCE_METRIC_FIELDS,
        "xss-test",
    )
    store.engine.dispose()


@pytest.fixture(scope="module")
def server_state(server_state: Path) -> Path:
    """The served app's state folder (conftest.py), its store seeded with the payloads."""
    seed_payloads(server_state)
    return server_state


# --- what "nothing ran" means -----------------------------------------------------------------

#: In one document: the flags set, and elements that carry a payload as live markup (an
#: injected handler, ``srcdoc``, ``javascript:`` URL, or a script that is only a payload;
#: a script inserted with innerHTML never runs, so the flags alone would miss it).
_INJECTED_JS = probe_script("injected.js")


def assert_nothing_ran(watched: Watched, deep_link: bool) -> None:
    """No flag and no live payload in any frame; no unexpected console or page error."""
    page = watched.page
    page.wait_for_timeout(400)  # an injected onerror/onload/ontoggle would have fired by now
    found = {}
    for frame in page.frames:
        try:
            result = frame.evaluate(_INJECTED_JS)
        except Exception as error:  # a frame detached meanwhile has nothing left to run
            if "detached" in str(error).lower() or "destroyed" in str(error).lower():
                continue
            raise
        if result["flags"] or result["live"]:
            found[frame.url[:120]] = result
    assert not found, f"payloads ran or were injected as markup: {found}"
    shown = page.get_by_test_id("stException").all_inner_texts()
    assert not shown, f"the app shows exceptions: {shown}"
    assert deep_link or not watched.tolerated, f"unexpected 404 probes: {watched.tolerated}"
    assert not watched.foreign, f"requests outside 127.0.0.1 (aborted): {watched.foreign}"
    assert not watched.console_errors, f"console errors: {watched.console_errors}"
    assert not watched.page_errors, f"page errors: {watched.page_errors}"


def assert_literal(problems: list[str], where: str) -> None:
    assert not problems, f"{where}: record text not shown literally:\n" + "\n".join(problems)


# --- the map ------------------------------------------------------------------------------

#: Opens the tooltip and then the popup of each site in ``ids`` (as a hover and a click
#: would) and reads back their DOM: title text, rows' text, and the tags used.
_SITE_CONTENT_JS = probe_script("site-content.js")

#: Opens the tooltip of each alliance in ``ids`` (folium's GeoJsonTooltip on its GeoJson).
_ALLIANCE_CONTENT_JS = probe_script("alliance-content.js")

#: Only these elements may be built for record text in a tooltip or popup.
_SITE_TAGS = {"DIV", "B", "SPAN"}
_ALLIANCE_TAGS = {"DIV", "TABLE", "TBODY", "TR", "TD"}


def check_site_popups(frame, ids: tuple[str, ...]) -> list[str]:
    """Problems with the tooltips and popups of the payload sites ``ids`` on ``frame``'s map."""
    problems = []
    contents = frame.evaluate(_SITE_CONTENT_JS, list(ids))
    source_row = f"{t('source', LANG)}: "
    for site_id in ids:
        payload = PAYLOADS[SITE_IDS.index(site_id)]
        shown = contents.get(site_id)
        if shown is None:
            problems.append(f"site {site_id}: no marker on the map")
            continue
        for what in ("tooltip", "popup"):
            box = shown[what]
            if box is None:
                problems.append(f"site {site_id} {what}: not opened")
                continue
            if box["title"] != payload:  # the name, exactly: no 49, no decoded entity
                problems.append(f"site {site_id} {what} name: {box['title']!r} != {payload!r}")
            if source_row + payload not in box["rows"]:
                problems.append(f"site {site_id} {what} source: {payload!r} not in {box['rows']}")
            if not set(box["tags"]) <= _SITE_TAGS:
                problems.append(f"site {site_id} {what}: markup {box['tags']} in {box['text']!r}")
    return problems


def check_alliance_tooltips(frame, ids: tuple[str, ...]) -> list[str]:
    """Problems with the hull tooltips of the payload alliances ``ids`` on ``frame``'s map."""
    problems = []
    contents = frame.evaluate(_ALLIANCE_CONTENT_JS, list(ids))
    for alliance_id in ids:
        payload = PAYLOADS[ALLIANCE_IDS.index(alliance_id)]
        shown = contents.get(alliance_id)
        if shown is None:
            problems.append(f"alliance {alliance_id}: no hull with a tooltip on the map")
            continue
        # "<name> · 成员 2 · 示意…": the name exactly, the member count, the schematic note
        expected = f"{payload} · {t('field_members', LANG)} 2 · {t('alliance_schematic', LANG)}"
        if shown["text"] != expected:
            problems.append(f"alliance {alliance_id} tooltip: {shown['text']!r} != {expected!r}")
        if not set(shown["tags"]) <= _ALLIANCE_TAGS:
            problems.append(f"alliance {alliance_id} tooltip: markup {shown['tags']}")
    return problems


def site_latlon(site_id: str) -> tuple[float, float]:
    """Where payload site ``site_id`` is stored (exact: drawn there, not fanned out)."""
    seat = SEATS.loc[SITE_AREAS[SITE_IDS.index(site_id)]]
    return float(seat["seat_lat"]) + SITE_OFFSET[1], float(seat["seat_lon"]) + SITE_OFFSET[0]


# --- Streamlit elements ---------------------------------------------------------------------


def metric_problems(
    page, expected: dict[str, tuple[str, str, str]], hover_help: bool = True
) -> list[str]:
    """Each reported KPI ``id -> (label, value, help)``: shown exactly, no markup.

    ``st.metric`` takes Markdown in its label, value and help; record text must come out as
    the same characters. The help is read by hovering its icon, as a user would (about a
    second each, so ``hover_help=False`` skips it where the same widget was checked already).
    """
    problems = []
    metrics = page.get_by_test_id("stMetric")
    shown = {}
    for i in range(metrics.count()):
        metric = metrics.nth(i)
        label = metric.get_by_test_id("stMetricLabel").get_by_test_id("stMarkdownContainer")
        shown[label.text_content().strip()] = metric
    for name, (label, value, help_text) in expected.items():
        metric = shown.get(label)
        if metric is None:
            problems.append(f"KPI {name}: no metric labelled {label!r} (labels: {list(shown)})")
            continue
        value_box = metric.get_by_test_id("stMetricValue")
        got = value_box.text_content().strip()
        if got != value:
            problems.append(f"KPI {name} value (unit): {got!r} != {value!r}")
        tags = metric.locator("[data-testid=stMarkdownContainer] *").evaluate_all(
            "(els) => els.map((e) => e.tagName)"
        )
        if set(tags) - {"P"}:
            problems.append(f"KPI {name}: markup {sorted(set(tags))} in label or value")
        if not hover_help:
            continue
        metric.get_by_test_id("stTooltipHoverTarget").hover()
        tip = page.get_by_test_id("stTooltipContent")
        expect(tip).to_be_visible()
        got_help = tip.text_content().strip()
        if got_help != help_text:
            problems.append(f"KPI {name} help (period, source): {got_help!r} != {help_text!r}")
        help_tags = tip.locator("*").evaluate_all("(els) => els.map((e) => e.tagName)")
        if set(help_tags) - {"DIV", "P"}:
            problems.append(f"KPI {name} help: markup {sorted(set(help_tags))}")
        page.mouse.move(1, 1)
        expect(tip).to_have_count(0)
    return problems


def expected_metric(fields: dict) -> tuple[str, str, str]:
    value = format_value(fields["value"], fields["unit"], "exact")
    # the period of m-secondment, the record they copy; a typed source is shown as typed
    period = t("period_year", LANG, year=2024)
    help_text = f"{period} · {t('source', LANG)}: {fields['source']}"
    return fields["name_zh"], value, help_text


def payload_metrics() -> dict[str, tuple[str, str, str]]:
    """Every payload metric of the program (the district-wide ones and the alliance's)."""
    expected = {mid: expected_metric(metric_fields(k)) for k, mid in enumerate(METRIC_IDS)}
    return expected | {ALLIANCE_METRIC: expected_metric(ALLIANCE_METRIC_FIELDS)}


def table_cells(page) -> list[dict[str, str]]:
    """The rows of the page's ``st.dataframe``s, from glide-data-grid's accessibility table.

    The grid paints its cells on a canvas (not in innerText); its hidden ARIA table holds the
    text of the rows and columns in view, as the grid got it, which is what it paints. A grid
    fills that table once it is drawn, so each is scrolled into view and waited for.
    """
    grids = page.get_by_test_id("stDataFrame")
    for i in range(grids.count()):
        grids.nth(i).scroll_into_view_if_needed()
        expect(grids.nth(i).locator("table[role=grid] td").first).to_be_attached()
    return grids.locator("table[role=grid]").evaluate_all(probe_script("table-rows.js"))


def markup_in(locator) -> list[str]:
    """Elements that record text could have become inside ``locator``'s elements (Streamlit's
    own "link to heading" anchor of a heading excepted)."""
    return locator.locator(
        ":is(img, script, svg, iframe, a, details, b, object, embed)"
    ).evaluate_all(
        """(els) => els
          .filter((e) => !e.closest('a[aria-label="Link to heading"]'))
          .map((e) => e.outerHTML.slice(0, 120))"""
    )


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))


# --- tests --------------------------------------------------------------------------------


def test_overview_map_tooltips_popups_and_details(app_url: str, new_watched) -> None:
    watched = new_watched()
    page = watched.page
    page.goto(app_url + "/")
    wait_for_map(page, sites=len(SEEDED_SITES) + N, areas=17)
    wait_idle(page)
    frame = wait_for_map(page, sites=len(SEEDED_SITES) + N, areas=17).frame
    frame.frame_element().scroll_into_view_if_needed()

    problems = check_site_popups(frame, SITE_IDS)
    problems += check_alliance_tooltips(frame, ALLIANCE_IDS)

    # real hovers: an area (七里山, clear of sites and hulls), then the alliances' hull
    expect(frame.locator(".leaflet-tooltip, .leaflet-popup")).to_have_count(0)  # closed above
    areas = load_configured_areas()
    spot = areas.loc[areas["code"] == QILISHAN].geometry.iloc[0].representative_point()
    hover(page, frame, spot.y, spot.x, 14, frame.locator(".leaflet-tooltip", has_text="七里山街道"))
    # a point on the hull (or line) at the zoom it is hovered at, from the feature's own
    # coordinates: Leaflet's getCenter() works on the drawn shape, whose points are rounded to
    # whole pixels at the current zoom, and a line's hover tolerance is half its width
    # (1.25 px), so a centre taken at zoom 14 can miss the line at zoom 17 by a few pixels
    hull = frame.evaluate(
        probe_script("hull-point.js"),
        [ALLIANCE_IDS[-1], 17],
    )
    assert hull is not None, "no hull for the payload alliances"
    members = f" · {t('field_members', LANG)} 2 · {t('alliance_schematic', LANG)}"
    hovered = frame.locator(".leaflet-tooltip", has_text=members)
    hover(page, frame, hull[0], hull[1], 17, hovered)
    text = hovered.text_content().strip()
    if text != PAYLOADS[-1] + members:  # the topmost hull: the last payload alliance drawn
        problems.append(f"hovered hull tooltip: {text!r} != {PAYLOADS[-1] + members!r}")
    if markup_in(hovered):
        problems.append(f"hovered hull tooltip: markup {markup_in(hovered)}")

    # a click on each payload site shows its name, source and description in the detail panel
    main = page.get_by_test_id("stMain")
    for site_id, payload in zip(SITE_IDS, PAYLOADS, strict=True):
        lat, lon = site_latlon(site_id)
        frame = wait_for_map(page, sites=len(SEEDED_SITES) + N, areas=17).frame
        page.mouse.click(*centre_on(page, frame, lat, lon, 16))
        heading = main.locator("h4")  # the panel's title: the site's name
        try:
            expect(heading).to_have_text(payload, use_inner_text=True, timeout=WAIT_MS)
        except AssertionError:
            shown = heading.all_inner_texts()
            problems.append(f"detail panel of {site_id}: name {shown} != {payload!r}")
            continue
        wait_idle(page)
        for label in ("source", "field_description"):
            # the panel's rows, once drawn (the overview draws what may wait until the map has
            # painted in a run of its own): the text exactly as the record holds it
            row = f"{t(label, LANG)}: {payload}"
            try:
                page.wait_for_function(_ROW_SHOWN_JS, arg=row, timeout=WAIT_MS)
            except PlaywrightTimeout:
                problems.append(f"detail panel of {site_id}: no {row!r}")
        panel = heading.locator("xpath=ancestor::div[@data-testid='stVerticalBlock'][1]")
        markup = markup_in(panel.get_by_test_id("stMarkdownContainer"))
        if markup:
            problems.append(f"detail panel of {site_id}: markup {markup}")
    screenshot(page, "xss-overview.png")  # the last site's popup and details
    assert_nothing_ran(watched, deep_link=False)
    assert_literal(problems, "overview")


def test_overview_kpis_show_payload_metrics(app_url: str, new_watched) -> None:
    watched = new_watched()
    page = watched.page
    page.goto(f"{app_url}/?program={PROGRAM}")
    wait_for_map(page, sites=N, areas=17)
    wait_idle(page)
    frame = wait_for_map(page, sites=N, areas=17).frame
    # the headline figures are cards; every figure is one click away, in the popover
    page.get_by_role("button", name=re.compile(r"^全部上报指标")).click()
    expect(page.get_by_test_id("stPopoverBody").get_by_test_id("stMetric").first).to_be_visible()
    problems = metric_problems(page, payload_metrics())
    problems += check_site_popups(frame, SITE_IDS)
    problems += check_alliance_tooltips(frame, ALLIANCE_IDS)
    assert_nothing_ran(watched, deep_link=False)
    assert_literal(problems, f"overview ?program={PROGRAM}")


def test_records_table(app_url: str, new_watched) -> None:
    watched = new_watched()
    page = watched.page
    # filtered to the payloads' program, so their rows are the ones in the grid's view
    page.goto(f"{app_url}/records?program={PROGRAM}")
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible()  # the records first
    wait_idle(page)
    # the table is for people (Chinese headers; the ids at the far right, out of the view):
    # each payload site is found by its name, which is its payload
    name_col, description_col = t("field_name", LANG), t("field_description", LANG)
    rows = {row.get(name_col): row for row in table_cells(page)}
    problems = []
    for site_id, payload in zip(SITE_IDS, PAYLOADS, strict=True):
        row = rows.get(payload)
        if row is None:
            problems.append(f"records {site_id}: not among the rows in the grid's view")
            continue
        if row.get(description_col) != payload and description_col in row:
            problems.append(f"records {site_id} description: {row.get(description_col)!r}")
        if "__markup" in row:
            problems.append(f"records {site_id}: markup in a cell: {row['__markup']!r}")
    assert_nothing_ran(watched, deep_link=True)
    assert_literal(problems, "records")


def test_program_page(app_url: str, new_watched) -> None:
    watched = new_watched()
    page = watched.page
    page.goto(f"{app_url}/program?program={PROGRAM}")
    page.get_by_test_id("stMetric").first.wait_for()
    wait_for_map(page, sites=N, areas=17)
    wait_idle(page)
    frame = wait_for_map(page, sites=N, areas=17).frame
    # the same reported_kpis widget as on the overview, whose help tooltips were read there
    page.get_by_role("button", name=re.compile(r"^全部上报指标")).click()
    expect(page.get_by_test_id("stPopoverBody").get_by_test_id("stMetric").first).to_be_visible()
    problems = metric_problems(page, payload_metrics(), hover_help=False)
    problems += check_site_popups(frame, SITE_IDS)
    problems += check_alliance_tooltips(frame, ALLIANCE_IDS)
    # the sites table: name and source (it has no description column)
    name_col, source_col = t("field_name", LANG), t("source", LANG)
    rows = table_cells(page)
    names = [row.get(name_col) for row in rows]
    for row in rows:
        if row.get(name_col) in PAYLOADS and row.get(source_col) != row.get(name_col):
            problems.append(f"program table source: {row.get(source_col)!r}")
        if "__markup" in row:
            problems.append(f"program table: markup in a cell: {row['__markup']!r}")
    # only payload sites have this program: every row in view must show one, exactly
    if len(names) < 10 or not set(names) <= set(PAYLOADS):
        problems.append(f"program table: names {names} are not the payloads")
    assert_nothing_ran(watched, deep_link=True)
    assert_literal(problems, f"/program?program={PROGRAM}")


def test_subdistrict_page(app_url: str, new_watched) -> None:
    watched = new_watched()
    page = watched.page
    page.goto(f"{app_url}/subdistrict?street={DANGJIA}")
    page.get_by_test_id("stDataFrame").first.wait_for()
    in_dangjia = int((SEEDED_SITES["subdistrict_code"] == DANGJIA).sum()) + 1
    wait_for_map(page, sites=in_dangjia, areas=17)
    wait_idle(page)
    frame = wait_for_map(page, sites=in_dangjia, areas=17).frame
    # the figures' cards drawn before they are read (once, CI read none: labels [])
    expect(page.locator('[data-testid="stMetric"]').first).to_be_visible()
    problems = metric_problems(page, {ALLIANCE_METRIC: expected_metric(ALLIANCE_METRIC_FIELDS)})
    problems += check_site_popups(frame, SITE_IDS[:1])
    problems += check_alliance_tooltips(frame, ALLIANCE_IDS)
    name_col, source_col = t("field_name", LANG), t("source", LANG)
    rows = [row for row in table_cells(page) if row.get(name_col) == PAYLOADS[0]]
    if len(rows) != 1 or rows[0].get(source_col) != PAYLOADS[0]:
        problems.append(f"subdistrict sites table: payload row {rows}")
    assert_nothing_ran(watched, deep_link=True)
    assert_literal(problems, f"/subdistrict?street={DANGJIA}")


def test_big_screen(app_url: str, new_watched) -> None:
    watched = new_watched()
    page = watched.page
    page.goto(f"{app_url}/present?embed=true&program={PROGRAM}&tour=0")
    page.wait_for_selector(".sz-tile", timeout=WAIT_MS)
    wait_for_map(page, sites=N, areas=17)
    wait_idle(page)
    frame = wait_for_map(page, sites=N, areas=17).frame
    problems = check_site_popups(frame, SITE_IDS)

    # the first three reported metrics are the payload ones (ids sort first)
    tiles = page.locator(".sz-tile:not(.counted)")
    expect(tiles).to_have_count(3)
    for k in range(3):
        fields = metric_fields(k)
        tile = tiles.nth(k)
        shown = {
            part: tile.locator(f".sz-{part}").text_content() for part in ("value", "label", "note")
        }
        wanted = {
            "value": format_value(fields["value"], fields["unit"], "exact"),
            "label": fields["name_zh"],
            "note": f"{t('period_year', LANG, year=2024)} · {t('source', LANG)} {fields['source']}",
        }
        if shown != wanted:
            problems.append(f"big screen tile {k}: {shown} != {wanted}")
    names = "、".join([*PAYLOADS[:8], "…"])
    sites_line = page.locator(".sz-spot .sz-sites").text_content()
    wanted_line = f"{t('present_sites', LANG)}: {names}"
    if sites_line != wanted_line:
        problems.append(f"big screen site names: {sites_line!r} != {wanted_line!r}")
    markup = markup_in(page.locator(".sz-spot, .sz-tiles"))
    if markup:
        problems.append(f"big screen: markup in spotlight or tiles: {markup}")
    screenshot(page, "xss-present.png")
    assert_nothing_ran(watched, deep_link=True)
    assert_literal(problems, "big screen")
