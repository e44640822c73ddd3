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
    "browser_filter_s",
    "pan_s",
    "zoom_s",
    "rss_growth_mb",
)
#: (key, limit, what) per number of sites; a ratio key is computed below.
TARGETS = {
    10_000: [
        ("payload_s", 0.2, "≤ 0.2 s"),
        ("marker_ref_speedup", 100.0, "≥ 100× (marker_ref_s ÷ payload_s)"),
        ("payload_bytes_per_site", 50.0, "≤ 50 B/site"),
        ("rerun_s", 0.5, "≤ 0.5 s (new filter value)"),
        ("rerun_seen_s", 0.2, "≤ 0.2 s (filter value seen before)"),
        ("browser_filter_s", 1.0, "≤ 1 s"),
        ("browser_paint_s", 4.0, "≤ 4 s (server warm)"),
        ("pan_s", 0.25, "≤ 250 ms"),
        ("zoom_s", 0.25, "≤ 250 ms"),
        ("rss_growth_mb", 50.0, "≤ 50 MB after 200 filter changes"),
    ],
    50_000: [
        ("rerun_s", 1.0, "≤ 1 s (new filter value)"),
        ("rerun_seen_s", 1.0, "≤ 1 s (filter value seen before)"),
        ("payload_bytes", 3_000_000, "≤ 3 MB"),
    ],
}
_AT_LEAST = {"marker_ref_speedup"}


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


def evaluate_targets(result: dict) -> list[dict]:
    checks = []
    for key, limit, what in TARGETS.get(result["sites"], []):
        value = result.get(key)
        if value is None:
            ok = None
        elif key in _AT_LEAST:
            ok = value >= limit
        else:
            ok = value <= limit
        checks.append({"metric": key, "value": value, "target": what, "pass": ok})
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

        # (a) payload, (d) bytes
        reps = args.reps or (1 if args.quick else 15 if n <= 10_000 else 5)
        first = measure.timed(lambda: measure.overview_payload(data), 1)[0]
        payload_s, samples, payload = measure.timed(lambda: measure.overview_payload(data), reps)
        result.update(
            payload_s=payload_s,
            site_table_s=table_s,  # once per data version (cached by the app)
            payload_min_s=min(samples),
            payload_first_s=first,
            payload_samples=samples,
            payload_steps_s={k: round(v, 4) for k, v in payload.steps.items()},
            payload_bytes=payload.nbytes,
            payload_bytes_per_site=payload.nbytes / n,
            payload_parts_bytes={
                k: len(payload.parts[k].encode("utf-8")) for k in measure.PAYLOAD_PARTS
            },
            site_fields_bytes=measure.site_field_bytes(payload.parts["feature_group"]),
        )
        log(f"  payload: {payload_s:.3f} s, {payload.nbytes:,} B ({payload.nbytes / n:.1f} B/site)")
        # (b) floor
        floor_s, _, floor = measure.timed(lambda: measure.floor_json(data.sites), max(reps, 3))
        result.update(floor_s=floor_s, floor_bytes=len(floor.encode("utf-8")))
        log(f"  floor: {floor_s:.4f} s, {len(floor):,} B")
        # (c) marker reference
        if n <= args.marker_max:
            marker_s, _, marker = measure.timed(lambda: measure.marker_reference(data), 1)
            result.update(
                marker_ref_s=marker_s,
                marker_ref_bytes=marker.nbytes,
                marker_ref_steps_s={k: round(v, 3) for k, v in marker.steps.items()},
                marker_ref_speedup=marker_s / payload_s,
            )
            log(f"  marker reference: {marker_s:.2f} s, {marker.nbytes:,} B")
        else:
            log(f"  marker reference: skipped above {args.marker_max:,} sites")
        if not args.quick:
            summary, table = measure.profile(lambda: measure.overview_payload(data))
            result["payload_profile_s"] = summary
            if args.profile:
                log("=== cProfile of the overview payload path ===")
                log(table)

        counts = data.sites["subdistrict_code"].value_counts()
        names = dict(zip(data.subdistricts["code"], data.subdistricts["name"], strict=True))
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
                    f"{reruns['rerun_s']:.3f} s, seen {reruns['rerun_seen_s']:.3f} s"
                )

        # (f) browser
        if not (args.quick or args.no_browser):
            from bench import browser
            from geo.labels import t

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
    result["targets"] = evaluate_targets(result)
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
    rows = [
        ("sites (synthetic)", result["sites"], ""),
        ("(a) payload_s: overview map payload, server", result["payload_s"], "s"),
        ("(b) floor_s: json.dumps of ids, lon/lat, kinds", result["floor_s"], "s"),
        ("(c) marker_ref_s: one folium.Marker+popup per site", result["marker_ref_s"], "s"),
        ("    payload vs marker reference", result.get("marker_ref_speedup"), "×"),
        ("(d) payload_bytes", result["payload_bytes"], "B"),
        ("    per site", result.get("payload_bytes_per_site"), "B"),
        ("(e) AppTest first run", result.get("first_run_s"), "s"),
        ("    rerun, nothing changed", result.get("rerun_noop_s"), "s"),
        ("    rerun_s: filter to a new subdistrict", result["rerun_s"], "s"),
        ("    rerun_seen_s: filter to a seen subdistrict", result["rerun_seen_s"], "s"),
        ("    back to no filter (seen)", result.get("rerun_unfiltered_seen_s"), "s"),
        ("(f) browser cold load → painted", result.get("browser_cold_paint_s"), "s"),
        ("    browser_paint_s: navigation → painted (warm)", result["browser_paint_s"], "s"),
        ("    browser_filter_s: filter → map updated", result["browser_filter_s"], "s"),
        ("    pan_s", result["pan_s"], "s"),
        ("    zoom_s", result["zoom_s"], "s"),
        ("    JS heap", result.get("js_heap_mb"), "MiB"),
        ("(g) rss_growth_mb after filter changes", result["rss_growth_mb"], "MiB"),
        ("    RSS before → after", result.get("rss_before_mb"), "MiB"),
        ("", result.get("rss_after_mb"), "MiB"),
    ]
    width = max(len(label) for label, _, _ in rows)
    lines = [f"{label:<{width}}  {_fmt(value):>14} {unit}" for label, value, unit in rows]
    lines += brief_bench.table_lines(result.get("brief"))
    if result["targets"]:
        lines += ["", f"targets at {result['sites']:,} sites:"]
        for check in result["targets"]:
            verdict = {True: "PASS", False: "FAIL", None: "n/a "}[check["pass"]]
            lines.append(
                f"  {verdict}  {check['metric']:<24} {_fmt(check['value']):>14}  {check['target']}"
            )
    else:
        lines += ["", "(targets are defined at 10,000 and 50,000 sites)"]
    info = result["machine"]
    lines += [
        "",
        f"machine: {info['cpu']}, {info['cores']} cores, {info['memory_gib']} GiB; "
        f"Python {info['python']}; {info['chromium']}; "
        f"load average {result['load_average_start'][0]:.2f} → {result['load_average_end'][0]:.2f}",
        f"code: {result['revision']}; {result['when']}; {result['elapsed_s']:.0f} s",
    ]
    return "\n".join(lines)


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
    parser.add_argument("--loads", type=int, default=3, help="warm browser page loads")
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
