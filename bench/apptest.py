"""AppTest workers, each run in a fresh process by ``bench.__main__`` (``python -m bench.apptest``).

``reruns``: the first run of the overview, reruns with nothing changed, filter changes to
subdistricts not seen before, each followed by the floor (the text filter changed to match no
site: the page's own cost, with nothing to draw), back to ones seen before, and back to no
filter. Also the bytes of the map component's arguments, as the page sends them.
``memory``: the process's resident memory before and after ``--changes`` filter changes in
one session (cycling through the 17 subdistricts and a few programs), "before" being after the
first run and one warm-up pass over the subdistricts.

The caller sets ``SHIZHONG_STATE_DIR`` to the synthetic store. One JSON object goes to stdout.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io as _io
import json
import pstats
import statistics
import sys
import threading
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
K_STREET, K_PROGRAM, K_TEXT = "f_street", "f_program", "f_text"
#: A text filter no site matches (synthetic names are "<unit><kind word><n>").
NO_MATCH = "没有这个点位"


def rss_mb() -> tuple[float, float]:
    """(VmRSS, VmHWM) of this process in MiB, from /proc/self/status."""
    values = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0]) / 1024
    return values["VmRSS"], values["VmHWM"]


def _preimport() -> None:
    """The modules a live server has imported before its first session."""
    import folium  # noqa: F401
    import plotly.graph_objects  # noqa: F401
    import streamlit_folium  # noqa: F401

    import geo.map.leaflet  # noqa: F401
    import geo.reports.charts  # noqa: F401
    import ui.context  # noqa: F401
    import ui.widgets  # noqa: F401


def _app(timeout: float):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_data.clear()
    st.cache_resource.clear()
    return AppTest.from_file(str(PROJECT_DIR / "app.py"), default_timeout=timeout)


def _run(at, label: str) -> float:
    start = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - start
    if at.exception:
        raise RuntimeError(f"{label}: {[e.message for e in at.exception]}")
    return elapsed


def _site_count(at) -> int:
    from geo.text.labels import t

    label = t("count_sites")
    return int(next(m.value for m in at.metric if m.label == label))


def _set(at, street: list[str] | None = None, program: list[str] | None = None) -> None:
    if street is not None:
        at.multiselect(key=K_STREET).set_value(street)
    if program is not None:
        at.multiselect(key=K_PROGRAM).set_value(program)


class _ThreadProfile:
    """cProfile of the script threads AppTest starts (and of this thread) while active."""

    def __init__(self) -> None:
        self.profiler = cProfile.Profile()

    def _start_in_thread(self, *_args) -> None:
        sys.setprofile(None)
        try:
            self.profiler.enable()
        except ValueError:  # another profiler is active in this thread
            pass

    def __enter__(self) -> _ThreadProfile:
        threading.setprofile(self._start_in_thread)
        return self

    def __exit__(self, *_exc) -> None:
        threading.setprofile(None)
        self.profiler.disable()

    def table(self, top: int = 40) -> str:
        out = _io.StringIO()
        stats = pstats.Stats(self.profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(top)
        stats.sort_stats("tottime").print_stats(top)
        return out.getvalue()


def _map_bytes(at) -> int | None:
    """Bytes of the JSON arguments of the page's st_folium component."""
    found = [c.proto for c in at.get("component_instance") if "st_folium" in c.proto.component_name]
    return len(found[0].json_args.encode("utf-8")) if len(found) == 1 else None


def reruns(args) -> dict:
    _preimport()
    chosen = args.streets.split(",")
    at = _app(args.timeout)
    first = _run(at, "first run")
    sites = _site_count(at)
    app_bytes = _map_bytes(at)
    noop = [_run(at, "rerun") for _ in range(3)]
    # subdistricts not seen before, then the same ones again (seen), then no filter (seen);
    # each change to a subdistrict is followed by the floor, under the same load: the text
    # filter changed to match no site (a filter change with nothing to draw)
    new, seen, empty = [], [], []
    for code in chosen:
        _set(at, street=[code])
        new.append(_run(at, f"filter {code}"))
        at.text_input(key=K_TEXT).input(NO_MATCH)
        empty.append(_run(at, f"filter {code}, text matching nothing"))
        if _site_count(at) != 0:
            raise RuntimeError(f"the text filter {NO_MATCH!r} should match no site")
        at.text_input(key=K_TEXT).input("")
        _run(at, "text filter cleared")
    filtered = _site_count(at)
    for code in chosen:
        _set(at, street=[code])
        seen.append(_run(at, f"filter {code} again"))
        at.text_input(key=K_TEXT).input(NO_MATCH)
        empty.append(_run(at, f"filter {code} again, text matching nothing"))
        at.text_input(key=K_TEXT).input("")
        _run(at, "text filter cleared")
    _set(at, street=[])
    back_all = _run(at, "filter cleared")
    result = {
        "first_run_s": first,
        "sites_shown": sites,
        "rerun_noop_s": statistics.median(noop),
        "rerun_s": statistics.median(new),
        "rerun_new_samples": new,
        "rerun_seen_s": statistics.median(seen),
        "rerun_seen_samples": seen,
        "rerun_unfiltered_seen_s": back_all,
        "last_filtered_sites": filtered,
        "rerun_empty_s": statistics.median(empty),
        "rerun_empty_samples": empty,
        "app_payload_bytes": app_bytes,
    }
    if args.profile:
        _set(at, street=[args.profile_street or chosen[0]])
        with _ThreadProfile() as prof:
            _run(at, "profiled filter change")
        _set(at, street=[])
        with _ThreadProfile() as prof_all:
            _run(at, "profiled unfiltered rerun")
        print("=== AppTest: rerun after a filter change (new subdistrict) ===", file=sys.stderr)
        print(prof.table(), file=sys.stderr)
        print("=== AppTest: rerun back to no filter (seen) ===", file=sys.stderr)
        print(prof_all.table(), file=sys.stderr)
    return result


def memory(args) -> dict:
    from geo.data import io

    _preimport()
    codes = io.load_subdistricts()["code"].tolist()
    programs = io.load_programs()["key"].tolist()[:4]
    at = _app(args.timeout)
    _run(at, "first run")
    gc.collect()
    first, _ = rss_mb()
    # warm-up, not counted: one pass over the subdistricts (lazy imports, one-time allocations)
    for code in codes:
        _set(at, street=[code])
        _run(at, f"warm-up {code}")
    _set(at, street=[])
    _run(at, "warm-up, no filter")
    gc.collect()
    before, _ = rss_mb()
    start = time.perf_counter()
    samples = []
    done = 0
    for i in range(args.changes):
        if time.perf_counter() - start > args.budget:
            break
        street = [codes[i % len(codes)]]
        # every third change also switches the program filter (cycling, with "all")
        program = [programs[(i // 3) % len(programs)]] if i % 3 == 2 else []
        _set(at, street=street, program=program)
        _run(at, f"change {i}")
        done += 1
        if (i + 1) % 50 == 0:
            samples.append(round(rss_mb()[0], 1))
    elapsed = time.perf_counter() - start
    gc.collect()
    after, peak = rss_mb()
    return {
        "rss_first_run_mb": first,
        "rss_before_mb": before,
        "rss_after_mb": after,
        "rss_peak_mb": peak,
        "rss_growth_mb": after - before,
        "rss_samples_mb": samples,
        "changes": done,
        "changes_s": elapsed,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.apptest")
    parser.add_argument("mode", choices=("reruns", "memory"))
    parser.add_argument("--timeout", type=float, default=180.0, help="per AppTest run, seconds")
    parser.add_argument("--streets", default="370103019", help="subdistricts to filter to (new)")
    parser.add_argument("--profile-street", default="", help="a subdistrict not in --streets")
    parser.add_argument("--changes", type=int, default=200)
    parser.add_argument("--budget", type=float, default=900.0, help="seconds for the changes")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args(argv)
    result = reruns(args) if args.mode == "reruns" else memory(args)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
