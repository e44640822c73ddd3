"""``python -m bench``: the map dashboard's benchmark on synthetic data (see bench/__init__.py).

Progress goes to stderr; ``--json`` prints one JSON object on stdout, otherwise a table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from bench import brief as brief_bench

PROJECT_DIR = Path(__file__).resolve().parents[1]
#: Keys ``--json`` always prints (``null`` when a part was skipped).
KEYS = (
    "sites",
    "payload_s",
    "floor_s",
    "marker_ref_s",
    "payload_bytes",
    "rerun_s",
    "rerun_seen_s",
    "browser_paint_s",
    "browser_frame_s",
    "bare_frame_s",
    "bare_paint_s",
    "browser_filter_s",
    "pan_s",
    "zoom_s",
    "rss_growth_mb",
)


@dataclass(frozen=True)
class Target:
    """``figure`` ÷ ``floor`` (both measured in the same run) must stay within ``limit``."""

    figure: str
    floor: str | None  # None: ``figure`` must be true
    limit: float
    what: str
    at_least: bool = False


#: The targets per number of sites, each a ratio to a floor measured in the same run, so the
#: verdict does not depend on the machine. Where issue 16 gave an absolute time, the limit is
#: that time over the floor as first measured here (2026-12-01): the page with nothing to draw
#: painted ~0.33 s after its frame (1.0 s → 3×, 2 s → 6×); a pan or zoom with no site takes
#: two frames, ~31 ms (50 ms → 1.6×, 100 ms → 3.2×). Reruns: the sites may at most double the
#: page's own cost (stricter than the issue's 1 s at 100k, ~4.5× a rerun with nothing to draw).
#: Issue 28: the page's frame and paint ≤ 1.3× a bare Streamlit page's with one empty map, a
#: filter change ≤ 1.3× the same change with nothing to draw, paint after the frame steady
#: (the slowest of 10 loads ≤ 1.3× their median), the first visit ≤ 1.3× a warm one.
_PAGE = [
    Target("browser_frame_s", "bare_frame_s", 1.3, "page's frame ÷ a bare page's"),
    Target("browser_paint_s", "bare_paint_s", 1.3, "page painted ÷ a bare page's map"),
    Target(
        "paint_after_frame_max_s",
        "paint_after_frame_median_s",
        1.3,
        "paint after the frame: slowest of 10 loads ÷ median",
    ),  # fmt: skip
]
TARGETS = {
    10_000: [
        Target("payload_s", "floor_s", 3.0, "payload ≤ 3× json.dumps of ids, lon/lat, kinds"),
        Target(
            "marker_ref_s",
            "payload_s",
            100.0,
            "one folium.Marker per site ≥ 100× slower",
            at_least=True,
        ),  # fmt: skip
        Target("payload_bytes", "floor_bytes", 1.0, "bytes ≤ the json.dumps floor's"),
        Target("rerun_s", "rerun_empty_s", 2.0, "rerun, new subdistrict"),
        Target("rerun_seen_s", "rerun_empty_s", 2.0, "rerun, seen subdistrict"),
        Target(
            "paint_after_frame_s",
            "empty_paint_after_frame_s",
            3.0,
            "map painted after its frame (≈ 1.0 s)",
        ),  # fmt: skip
        Target("browser_filter_s", "filter_floor_s", 1.3, "filter → map updated"),
        Target("pan_s", "pan_floor_s", 1.6, "pan (≈ 50 ms)"),
        Target("zoom_s", "zoom_floor_s", 1.6, "zoom (≈ 50 ms)"),
        Target("browser_cold_paint_s", "browser_paint_s", 1.3, "first visit after a start"),
        *_PAGE,
        Target("rss_growth_mb", "rss_before_mb", 0.15, "memory after 200 filter changes"),
    ],
    100_000: [
        Target("payload_s", "floor_s", 3.0, "payload ≤ 3× json.dumps of ids, lon/lat, kinds"),
        Target("payload_bytes", "floor_bytes", 1.0, "bytes ≤ the json.dumps floor's"),
        Target("rerun_s", "rerun_empty_s", 2.0, "rerun, new subdistrict (≈ 1 s: 4.5×)"),
        Target(
            "paint_after_frame_s",
            "empty_paint_after_frame_s",
            6.0,
            "map painted after its frame (≈ 2 s)",
        ),  # fmt: skip
        Target("pan_s", "pan_floor_s", 3.2, "pan, whole district (≈ 100 ms)"),
        Target("zoom_s", "zoom_floor_s", 3.2, "zoom, whole district (≈ 100 ms)"),
        Target("pan_detail_s", "pan_floor_s", 3.2, "pan zoomed in among the sites (≈ 100 ms)"),
        Target("zoom_detail_s", "zoom_floor_s", 3.2, "zoom zoomed in among the sites"),
        Target("points_when_zoomed_in", None, 1, "zoomed in, the sites themselves are drawn"),
        Target("browser_filter_s", "filter_floor_s", 1.3, "filter → map updated"),
        Target("browser_cold_paint_s", "browser_paint_s", 1.3, "first visit after a start"),
        *_PAGE,
    ],
}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def machine() -> dict:
    """Where the figures came from."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal:")
    )
    try:
        chromium = subprocess.run(
            ["/usr/bin/chromium", "--version"], capture_output=True, text=True, timeout=30
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        chromium = None
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(memory_kb / 2**20, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "packages": {
            name: _version(name)
            for name in (
                "streamlit",
                "folium",
                "streamlit-folium",
                "branca",
                "pandas",
                "playwright",
            )
        },
        "chromium": chromium,
    }


def revision() -> str | None:
    """The code measured: ``git describe`` of the project (``-dirty`` with local changes), or
    ``$BENCH_REVISION`` when the project is not a git checkout (e.g. an exported snapshot)."""
    try:
        done = subprocess.run(
            ["git", "-C", str(PROJECT_DIR), "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        done = None
    if done is not None and done.returncode == 0 and done.stdout.strip():
        return done.stdout.strip()
    return os.environ.get("BENCH_REVISION")


def _worker(args: list[str], state_dir: Path, timeout: float) -> dict | None:
    """Run ``python -m bench.apptest ARGS`` in a fresh process; its JSON, or None on failure."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["SHIZHONG_STATE_DIR"] = str(state_dir)
    env.setdefault("PYTHONWARNINGS", "ignore")
    try:
        done = subprocess.run(
            [sys.executable, "-m", "bench.apptest", *args],
            cwd=PROJECT_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=None,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        log(f"  bench.apptest {args[0]}: gave up after {timeout:.0f} s")
        return None
    if done.returncode != 0:
        log(f"  bench.apptest {args[0]}: exit code {done.returncode}")
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])


def derive(result: dict) -> None:
    """Figures computed from others (in place)."""
    n = result["sites"]
    if result.get("payload_bytes") is not None:
        result["payload_bytes_per_site"] = result["payload_bytes"] / n
    if result.get("marker_ref_s") is not None:
        result["marker_ref_speedup"] = result["marker_ref_s"] / result["payload_s"]


def evaluate_targets(result: dict) -> list[dict]:
    """Each target of this number of sites: figure, floor, ratio, limit and verdict."""
    checks = []
    for target in TARGETS.get(result["sites"], []):
        value = result.get(target.figure)
        floor = result.get(target.floor) if target.floor else None
        if target.floor is None:
            ratio, ok = None, None if value is None else bool(value)
        elif value is None or not floor:
            ratio, ok = None, None
        else:
            ratio = value / floor
            ok = ratio >= target.limit if target.at_least else ratio <= target.limit
        checks.append(
            {
                "metric": target.figure,
                "value": value,
                "floor_metric": target.floor,
                "floor": floor,
                "ratio": ratio,
                "limit": target.limit,
                "at_least": target.at_least,
                "target": target.what,
                "pass": ok,
            }
        )
    return checks


def run(args) -> dict:
    from bench import measure, synthetic

    n = args.sites
    started = time.perf_counter()
    result: dict = {key: None for key in KEYS}
    result.update(
        sites=n,
        synthetic=True,
        seed=args.seed,
        quick=args.quick,
        when=datetime.now(UTC).isoformat(timespec="seconds"),
        revision=revision(),
        machine=machine(),
        load_average_start=os.getloadavg(),
    )
    with tempfile.TemporaryDirectory(prefix="shizhong-bench-") as tmp:
        state_dir = Path(tmp)
        log(f"bench: {n:,} synthetic sites (seed {args.seed}) in {state_dir}")
        reference = synthetic.Reference.load()
        sites = synthetic.make_sites(n, args.seed, reference)
        path = synthetic.write_store(state_dir, sites, synthetic.make_metrics(args.seed, reference))
        data, table_s = measure.read_dataset(f"sqlite:///{path}")
        assert len(data.sites) == n and data.sites["id"].str.startswith("syn-").all()

        # (a) payload: the server's work for the map in one rerun, through st_folium itself
        reps = args.reps or (1 if args.quick else 15 if n <= 10_000 else 5)
        first = measure.timed(lambda: measure.overview_payload(data), 1)[0]
        # (a) and (b) interleaved, one of each in turn, so that both see the same load
        timings = measure.interleaved(
            {
                "payload": lambda: measure.overview_payload(data),
                "floor": lambda: measure.floor_json(data.sites),
            },
            max(reps, 3),
        )
        (payload_s, samples, payload), (floor_s, floor_samples, floor) = (
            timings["payload"],
            timings["floor"],
        )
        # (d) bytes: what the component sends, from a script run in AppTest
        sent = measure.payload_bytes(f"sqlite:///{path}")
        result.update(
            payload_s=payload_s,
            site_table_s=table_s,  # once per data version (cached by the app)
            payload_min_s=min(samples),
            payload_first_s=first,
            payload_samples=samples,
            payload_steps_s={k: round(v, 4) for k, v in payload.steps.items()},
            payload_bytes=sent["bytes"],
            payload_parts_bytes=sent["parts"],
            site_fields_bytes=measure.site_field_bytes(sent["feature_group"]),
        )
        log(f"  payload: {payload_s:.3f} s, {sent['bytes']:,} B ({sent['bytes'] / n:.1f} B/site)")
        result.update(
            floor_s=floor_s, floor_samples=floor_samples, floor_bytes=len(floor.encode("utf-8"))
        )
        log(f"  floor: {floor_s:.4f} s, {len(floor):,} B")
        # (c) marker reference
        if n <= args.marker_max:
            marker_s, _, marker = measure.timed(lambda: measure.marker_reference(data), 1)
            marker_bytes = measure.payload_bytes(f"sqlite:///{path}", "markers")["bytes"]
            result.update(
                marker_ref_s=marker_s,
                marker_ref_bytes=marker_bytes,
                marker_ref_steps_s={k: round(v, 3) for k, v in marker.steps.items()},
            )
            log(f"  marker reference: {marker_s:.2f} s, {marker_bytes:,} B")
        else:
            log(f"  marker reference: skipped above {args.marker_max:,} sites")
        if not args.quick:
            summary, table = measure.profile(lambda: measure.overview_payload(data))
            result["payload_profile_s"] = summary
            if args.profile:
                log("=== cProfile of the overview payload path ===")
                log(table)

        counts = data.sites["subdistrict_code"].value_counts()
        from geo.data.gazetteer import code_names

        names = code_names(data.subdistricts)
        biggest = counts.index.tolist()

        # (e) AppTest
        if not (args.quick or args.no_apptest):
            log("  AppTest: first run, reruns, filter changes (fresh process)")
            worker = ["reruns", "--streets", ",".join(biggest[:5]), "--timeout", "300"]
            worker += ["--profile", "--profile-street", biggest[5]] if args.profile else []
            reruns = _worker(worker, state_dir, timeout=args.timeout)
            if reruns:
                result.update(reruns)
                result["rerun_streets"] = {c: int(counts[c]) for c in biggest[:5]}
                log(
                    f"  AppTest: first {reruns['first_run_s']:.2f} s, new value "
                    f"{reruns['rerun_s']:.3f} s, seen {reruns['rerun_seen_s']:.3f} s, "
                    f"nothing to draw {reruns['rerun_empty_s']:.3f} s"
                )

        # (f) browser
        if not (args.quick or args.no_browser):
            from bench import browser
            from geo.text.labels import t

            streets = [(c, names[c], int(counts[c])) for c in biggest[: args.loads]]
            log(f"  browser: {n:,} sites; filters to {', '.join(s[1] for s in streets)}")
            try:
                result.update(
                    browser.run(
                        state_dir,
                        total=n,
                        streets=streets,
                        street_label=t("filter_street", "zh"),
                        loads=args.loads,
                        timeout=max(60.0, n / 1000 * 3),
                        screenshot_dir=args.screenshots,
                        log=log,
                        paint_loads=args.paint_loads,
                    )
                )
            except Exception as error:  # report the rest even if the browser part fails
                log(f"  browser: failed: {error!r}")
                result["browser_error"] = repr(error)

        # (g) memory
        if not (args.quick or args.no_memory):
            log(f"  memory: {args.changes} filter changes in one AppTest session")
            memory = _worker(
                ["memory", "--changes", str(args.changes), "--budget", str(args.timeout - 60)],
                state_dir,
                timeout=args.timeout,
            )
            if memory:
                result.update(memory)
                log(
                    f"  memory: {memory['rss_before_mb']:.0f} -> {memory['rss_after_mb']:.0f} MiB "
                    f"after {memory['changes']} changes ({memory['changes_s']:.0f} s)"
                )
        if not args.quick:  # (h) the Word brief and the map picture: bench/brief.py
            result["brief"] = brief_bench.run(data, log=log)
    result["load_average_end"] = os.getloadavg()
    result["elapsed_s"] = time.perf_counter() - started
    derive(result)
    result["targets"] = evaluate_targets(result)
    result["ratios"] = {
        f"{c['metric']}/{c['floor_metric']}": c["ratio"] for c in result["targets"] if c["floor"]
    }
    return result


def _fmt(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.4f}" if abs(value) < 10 else f"{value:,.1f}"
    return str(value)


def table(result: dict) -> str:
    g = result.get
    rows = [
        ("sites (synthetic)", result["sites"], ""),
        ("(a) payload_s: overview map, server (build + st_folium)", result["payload_s"], "s"),
        ("(b) floor_s: json.dumps of ids, lon/lat, kinds", result["floor_s"], "s"),
        ("(c) marker_ref_s: one folium.Marker+popup per site", result["marker_ref_s"], "s"),
        ("(d) payload_bytes (component arguments)", result["payload_bytes"], "B"),
        ("    floor_bytes (json.dumps floor)", g("floor_bytes"), "B"),
        ("    per site", g("payload_bytes_per_site"), "B"),
        ("(e) AppTest first run", g("first_run_s"), "s"),
        ("    rerun, nothing changed", g("rerun_noop_s"), "s"),
        ("    rerun_s: filter to a new subdistrict", result["rerun_s"], "s"),
        ("    rerun_seen_s: filter to a seen subdistrict", result["rerun_seen_s"], "s"),
        ("    back to no filter (seen)", g("rerun_unfiltered_seen_s"), "s"),
        ("    rerun_empty_s: filter change, nothing to draw", g("rerun_empty_s"), "s"),
        ("(f) browser cold load → painted", g("browser_cold_paint_s"), "s"),
        ("    browser_paint_s: navigation → painted (warm)", result["browser_paint_s"], "s"),
        ("    browser_frame_s: navigation → map frame", g("browser_frame_s"), "s"),
        ("    bare_frame_s: bare page, navigation → map frame", g("bare_frame_s"), "s"),
        ("    bare_paint_s: bare page, navigation → painted", g("bare_paint_s"), "s"),
        (
            "    paint after frame, 10 loads: median / max",
            _pair(g("paint_after_frame_median_s"), g("paint_after_frame_max_s")),
            "s",
        ),
        ("    paint_after_frame_s", g("paint_after_frame_s"), "s"),
        ("    empty_paint_after_frame_s (nothing to draw)", g("empty_paint_after_frame_s"), "s"),
        ("    browser_filter_s: filter → map updated", result["browser_filter_s"], "s"),
        ("    filter_floor_s (nothing to draw)", g("filter_floor_s"), "s"),
        ("    pan_s / zoom_s", _pair(result["pan_s"], result["zoom_s"]), "s"),
        ("    pan / zoom floor (no site)", _pair(g("pan_floor_s"), g("zoom_floor_s")), "s"),
        ("    first view drawn as", g("first_view_mode"), ""),
        (
            "    pan / zoom zoomed in, sites drawn",
            _pair(g("pan_detail_s"), g("zoom_detail_s")),
            "s",
        ),
        ("    JS heap", g("js_heap_mb"), "MiB"),
        ("(g) rss_growth_mb after filter changes", result["rss_growth_mb"], "MiB"),
        ("    RSS before → after", _pair(g("rss_before_mb"), g("rss_after_mb")), "MiB"),
    ]
    width = max(len(label) for label, _, _ in rows)
    lines = [f"{label:<{width}}  {_fmt(value):>16} {unit}" for label, value, unit in rows]
    lines += brief_bench.table_lines(result.get("brief"))
    if result["targets"]:
        lines += ["", f"targets at {result['sites']:,} sites (figure ÷ floor, same run):"]
        for c in result["targets"]:
            verdict = {True: "PASS", False: "FAIL", None: "n/a "}[c["pass"]]
            if c["floor_metric"] is None:
                lines.append(
                    f"  {verdict}  {c['metric']:<22} {_fmt(c['value']):>10}  {c['target']}"
                )
                continue
            sign = "≥" if c["at_least"] else "≤"
            lines.append(
                f"  {verdict}  {c['metric']:<22} {_fmt(c['value']):>10} ÷ "
                f"{c['floor_metric']:<26} {_fmt(c['floor']):>10} = {_fmt(c['ratio']):>8}  "
                f"{sign} {c['limit']:g}  ({c['target']})"
            )
    else:
        lines += ["", "(targets are defined at 10,000 and 100,000 sites)"]
    info = result["machine"]
    lines += [
        "",
        f"machine: {info['cpu']}, {info['cores']} cores, {info['memory_gib']} GiB; "
        f"Python {info['python']}; {info['chromium']}; "
        f"load average {result['load_average_start'][0]:.2f} → {result['load_average_end'][0]:.2f}",
        f"code: {result['revision']}; {result['when']}; {result['elapsed_s']:.0f} s",
    ]
    return "\n".join(lines)


def _pair(a, b) -> str:
    return f"{_fmt(a)} / {_fmt(b)}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description="Benchmark the map dashboard on synthetic data."
    )
    parser.add_argument("--sites", type=int, default=10_000, help="number of synthetic sites")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    parser.add_argument(
        "--quick", action="store_true", help="payload, floor and marker reference only"
    )
    parser.add_argument("--reps", type=int, default=0, help="payload repetitions (0: auto)")
    parser.add_argument("--loads", type=int, default=5, help="warm browser page loads")
    parser.add_argument(
        "--paint-loads",
        type=int,
        default=10,
        help="more page loads, each beside a bare page's (its floor and paint's spread)",
    )
    parser.add_argument("--changes", type=int, default=200, help="filter changes for memory")
    parser.add_argument(
        "--marker-max", type=int, default=10_000, help="largest N for the marker reference"
    )
    parser.add_argument("--no-apptest", action="store_true")
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--no-memory", action="store_true")
    parser.add_argument("--profile", action="store_true", help="cProfile tables to stderr")
    parser.add_argument("--screenshots", type=Path, default=None, help="folder for screenshots")
    parser.add_argument(
        "--timeout", type=float, default=1200.0, help="seconds per AppTest worker process"
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)
    if args.sites < 100:
        parser.error("--sites must be at least 100")
    result = run(args)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, default=str))
    else:
        print(table(result))
    failed = [c for c in result["targets"] if c["pass"] is False]
    return 1 if args.strict and failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
