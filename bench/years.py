"""A play of the year view through ten years: ``python -m bench.years --sites 10000``.

Writes a **synthetic** store (bench/synthetic.py) of ``--sites`` sites built over the ten years
:data:`FIRST` to :data:`LAST` (about one in twenty merged or closed one to five years later),
serves it (bench/server.py), opens the overview in Debian's Chromium at ``?year=FIRST``, presses
播放 and records, in the page (bench/js/years.js), for each year the play steps to: when the
URL first says that year and when the map has painted that year's sites (held, none pending,
then two animation frames of the map's frame). Prints one JSON object: the steps, the median
and the longest step's draw (URL's year → painted), the whole play (播放 pressed → the last
year painted), how long each year stayed on the map, and the ratio to the floor.

The floor is the same play on a map of :data:`FLOOR_SITES` sites: a store made the same way
(the same years and share closed) served by a second server of the same code in the same run,
the same page, view and steps. Chosen over the filter-change floor of bench/browser.py (a page
with nothing to draw) because a step is not a filter change on an empty page: it is a whole
run of the app (the year view's timer, the counts, the map's layers) followed by a drawing,
and only the layers and the drawing grow with the sites. And over narrowing the same store
to a hundred sites by subdistrict: the map then flies to that subdistrict at every run, a
cost the whole district's view never has. With everything else the same, the ratio says what
ten thousand sites cost each step over a small map, on whatever machine runs it.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from bench import synthetic
from bench.browser import (
    _SETTLED_JS,
    CHROMIUM,
    CHROMIUM_ARGS,
    Watch,
    _new_page,
    _wait_idle,
    probe_script,
    wait_for_sites,
)
from bench.server import free_port, serve
from geo.data import filters
from geo.data.filters import RecordFilter

#: The ten years played (the year view spans the sites' and figures' years: the store keeps
#: data/'s figures, all of 2024, inside these).
FIRST, LAST = 2017, 2026
#: Share of the sites merged or closed (撤并/停用) one to five years after they were built.
CLOSED_SHARE = 0.05
#: The sites of the floor's store.
FLOOR_SITES = 100
#: Per year: when the URL says it, when the map holds its sites, when it has painted.
_YEARS_JS = probe_script("years.js")
_PAINTED_JS = "(year) => { const s = (window.__szYears || {})[year]; return !!(s && s.painted); }"


def make_sites(n: int, seed: int = 0) -> pd.DataFrame:
    """``n`` synthetic sites built from :data:`FIRST` to :data:`LAST`, about
    :data:`CLOSED_SHARE` of them with an ``end_year`` one to five years after their ``year``
    (none after :data:`LAST`)."""
    sites = synthetic.make_sites(n, seed=seed, years=(FIRST, LAST))
    rng = np.random.default_rng(seed + 2)
    closed = rng.random(n) < CLOSED_SHARE
    ends = sites["year"].to_numpy(dtype=float) + rng.integers(1, 6, n)
    sites["end_year"] = pd.array(np.where(closed & (ends <= LAST), ends, np.nan), dtype="Int64")
    return sites


def shown_per_year(sites: pd.DataFrame, record_filter: RecordFilter) -> dict[str, int]:
    """Year (as the URL writes it) -> the sites ``record_filter`` shows in that year.

    Raises ValueError if two years in a row show as many sites: the page's recorder tells a
    year's map by its count (bench/js/years.js), so each step must change it.
    """
    shown = {
        str(year): len(filters.filter_records(sites, replace(record_filter, as_of=year)))
        for year in range(FIRST, LAST + 1)
    }
    counts = list(shown.values())
    if any(a == b for a, b in zip(counts, counts[1:], strict=False)):
        raise ValueError(f"two years in a row show as many sites: {shown}; try another --seed")
    return shown


def _link(base: str) -> str:
    return f"{base}/?{filters.PARAM_AS_OF}={FIRST}"


def play(browser, watch: Watch, url: str, expected: dict[str, int], timeout: float) -> dict:
    """Open ``url`` (at :data:`FIRST`), press 播放, wait until :data:`LAST` has painted and the
    play has stopped: the figures of :func:`_figures`."""
    context, page = _new_page(browser, watch)
    try:
        page.goto(url, wait_until="commit")
        wait_for_sites(page, expected[str(FIRST)], time.perf_counter(), timeout)
        page.wait_for_function(_SETTLED_JS, timeout=timeout * 1e3)
        _wait_idle(page, timeout)
        page.evaluate(_YEARS_JS, expected)
        sidebar = page.get_by_test_id("stSidebar")
        pressed = page.evaluate("() => performance.now()")
        sidebar.get_by_role("button", name="播放", exact=True).click()
        page.wait_for_function(_PAINTED_JS, arg=str(LAST), timeout=timeout * 1e3 * (LAST - FIRST))
        steps = page.evaluate("() => window.__szYears")
        # the play stops by itself after the last year: the button reads 播放 again
        sidebar.get_by_role("button", name="播放", exact=True).wait_for(timeout=timeout * 1e3)
    finally:
        context.close()
    return _figures(steps, pressed)


def _figures(steps: dict[str, dict], pressed: float) -> dict:
    """Seconds: each step's draw (URL's year → painted), the time between steps, how long each
    year stayed on the map (painted → the next year's URL), and the whole play."""
    years = [str(year) for year in range(FIRST + 1, LAST + 1)]
    draws = [(steps[y]["painted"] - steps[y]["url"]) / 1e3 for y in years]
    pairs = list(zip(years[:-1], years[1:], strict=True))
    intervals = [(steps[b]["url"] - steps[a]["url"]) / 1e3 for a, b in pairs]
    held = [(steps[b]["url"] - steps[a]["painted"]) / 1e3 for a, b in pairs]
    return {
        "steps": len(years),
        "step_draw_median_s": statistics.median(draws),
        "step_draw_max_s": max(draws),
        "step_draw_samples_s": [round(value, 3) for value in draws],
        "step_interval_median_s": statistics.median(intervals),
        "year_shown_min_s": min(held),
        "play_total_s": (steps[years[-1]]["painted"] - pressed) / 1e3,
    }


def run(n: int, seed: int = 0, timeout: float = 120.0, log=print) -> dict:
    """The play at ``n`` sites and its floor (:data:`FLOOR_SITES` sites), each from its own
    server, both running through the whole measurement."""
    from playwright.sync_api import sync_playwright

    sites, few = make_sites(n, seed), make_sites(FLOOR_SITES, seed)
    expected, expected_floor = (
        shown_per_year(sites, RecordFilter()),
        shown_per_year(few, RecordFilter()),
    )
    with tempfile.TemporaryDirectory(prefix="bench-years-") as folder:
        synthetic.write_store(Path(folder) / "full", sites)
        synthetic.write_store(Path(folder) / "floor", few)
        with (
            serve(Path(folder) / "full", free_port()) as server,
            serve(Path(folder) / "floor", free_port()) as small,
            sync_playwright() as playwright,
        ):
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            watch = Watch()
            try:
                log(f"  years: playing {FIRST}-{LAST} at {n:,} sites")
                full = play(browser, watch, _link(server.url), expected, timeout)
                log(f"  years: floor, the same play at {FLOOR_SITES} sites")
                floor = play(browser, watch, _link(small.url), expected_floor, timeout)
            finally:
                browser.close()
    return {
        "sites": n,
        "years": [FIRST, LAST],
        "shown_per_year": expected,
        **full,
        "floor_sites_per_year": expected_floor,
        "floor": floor,
        "step_draw_ratio": full["step_draw_median_s"] / floor["step_draw_median_s"],
        "play_total_ratio": full["play_total_s"] / floor["play_total_s"],
        "foreign_requests_aborted": len(watch.foreign),
        "browser_errors": watch.errors[:10],
    }


def main(argv: list[str] | None = None) -> int:
    """``python -m bench.years [--sites N] [--seed S] [--timeout SECONDS]``: prints JSON."""
    parser = argparse.ArgumentParser(prog="python -m bench.years", description=__doc__)
    parser.add_argument("--sites", type=int, default=10_000, help="synthetic sites (10000)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (0)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per wait (120)")
    args = parser.parse_args(argv)
    result = run(args.sites, args.seed, args.timeout, log=lambda line: print(line, file=sys.stderr))
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
