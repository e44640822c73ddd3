"""Benchmark of the Word brief and the map picture: ``python -m bench.brief [--sites N] [--json]``.

Times, on this machine, one brief (the view, its map picture, the .docx) of the whole district
at the shipped data and at N synthetic sites (:mod:`bench.synthetic`, in a temporary store,
never ``data/``), and the 1920×1080 picture alone; each against a floor measured in the same
run: an empty python-docx document saved plus a bare matplotlib figure of the same size saved
as PNG (what any brief costs before it holds anything). ``python -m bench`` prints the same
figures beside its own (:func:`run`, :func:`table_lines`).

Targets: ≤ 3 s at the shipped data, ≤ 15 s at 10,000 sites.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

TARGETS = {"brief_shipped_s": 3.0, "brief_synthetic_s": 15.0}


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _median(work: Callable[[], object], reps: int) -> tuple[float, float]:
    """Median wall-clock and CPU seconds of ``work`` (CPU time shows a busy machine's share)."""
    wall, cpu = [], []
    for _ in range(reps):
        started, started_cpu = time.perf_counter(), time.process_time()
        work()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return statistics.median(wall), statistics.median(cpu)


def floor() -> None:
    """An empty .docx saved and a bare 1800×1700 figure saved as PNG (the brief's picture)."""
    from docx import Document
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    Document().save(io.BytesIO())
    figure = Figure(figsize=(18, 17), dpi=100)
    FigureCanvasAgg(figure).print_png(io.BytesIO())


def whole_brief(data) -> bytes:
    """What the overview's 导出汇报材料 button does for the whole district."""
    from geo.data.filters import RecordFilter
    from geo.reports import brief, pageviews

    view = pageviews.overview_view(data, RecordFilter())
    return brief.build_brief(data, view, "zh", pageviews.render_view_image(data, view))


def picture(data) -> bytes:
    """What 导出地图图片 does: the 1920×1080 picture of the whole district."""
    from geo.data.filters import RecordFilter
    from geo.reports import pageviews

    view = pageviews.overview_view(data, RecordFilter())
    return pageviews.render_view_image(
        data, view, size=(1920, 1080), layout=None, text_size=1.0
    ).png


def _load(url: str):
    from geo.load import load_dataset
    from geo.store.records import Store

    store = Store.open(url)
    try:
        return load_dataset(store)
    finally:
        store.engine.dispose()


def run(synthetic=None, sites: int = 10_000, reps: int = 3, log=_log) -> dict:
    """The figures: seconds (medians of ``reps``) and ratios to the floor.

    ``synthetic`` is a dataset of synthetic sites already made (``python -m bench`` passes its
    own); otherwise ``sites`` synthetic sites are made in a temporary store.
    """
    from bench import synthetic as synth

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="shizhong-bench-brief-") as tmp:
        shipped = _load(f"sqlite:///{Path(tmp) / 'shipped.sqlite'}")
        if synthetic is None:
            log(f"  brief: {sites:,} synthetic sites in a temporary store")
            reference = synth.Reference.load()
            path = synth.write_store(Path(tmp) / "syn", synth.make_sites(sites, 0, reference))
            synthetic = _load(f"sqlite:///{path}")
        assert synthetic.sites["id"].str.startswith(synth.ID_PREFIX).all()
        whole_brief(shipped)  # warm: fonts found, modules imported
        result = {"brief_synthetic_sites": len(synthetic.sites)}
        for key, work in (
            ("brief_floor", floor),
            ("brief_shipped", lambda: whole_brief(shipped)),
            ("picture_shipped", lambda: picture(shipped)),
            ("brief_synthetic", lambda: whole_brief(synthetic)),
            ("picture_synthetic", lambda: picture(synthetic)),
        ):
            result[f"{key}_s"], result[f"{key}_cpu_s"] = _median(work, reps)
        result["brief_bytes"] = len(whole_brief(shipped))
        result["brief_synthetic_bytes"] = len(whole_brief(synthetic))
    floor_s = result["brief_floor_s"]
    for key in ("brief_shipped", "picture_shipped", "brief_synthetic", "picture_synthetic"):
        result[f"{key}_vs_floor"] = result[f"{key}_s"] / floor_s
    result["brief_targets"] = [
        {
            "metric": key,
            "value": result[key],
            "target": f"≤ {limit:g} s",
            "pass": result[key] <= limit,
        }
        for key, limit in TARGETS.items()
    ]
    result["brief_elapsed_s"] = time.perf_counter() - started
    log(
        f"  brief: shipped {result['brief_shipped_s']:.2f} s, "
        f"{result['brief_synthetic_sites']:,} sites {result['brief_synthetic_s']:.2f} s "
        f"(floor {floor_s:.3f} s)"
    )
    return result


def table_lines(result: dict | None) -> list[str]:
    """The figures as lines of ``python -m bench``'s table (nothing if they were not measured)."""
    if not result:
        return []
    n = result["brief_synthetic_sites"]
    rows = [
        ("(h) brief_floor_s: empty .docx + bare figure saved", result["brief_floor_s"], "s", None),
        ("    brief_shipped_s: 汇报材料, whole district, shipped", result["brief_shipped_s"], "s",
         result["brief_shipped_vs_floor"]),
        ("    picture_shipped_s: 1920×1080 PNG, shipped", result["picture_shipped_s"], "s",
         result["picture_shipped_vs_floor"]),
        (f"    brief_synthetic_s: 汇报材料 at {n:,} sites", result["brief_synthetic_s"], "s",
         result["brief_synthetic_vs_floor"]),
        (f"    picture_synthetic_s: PNG at {n:,} sites", result["picture_synthetic_s"], "s",
         result["picture_synthetic_vs_floor"]),
        ("    brief_bytes (shipped / synthetic)", result["brief_bytes"], "B", None),
        ("", result["brief_synthetic_bytes"], "B", None),
    ]  # fmt: skip
    lines = [
        f"{label:<52}  {value:>10,.3f} {unit}" + (f"  ({ratio:.1f}× floor)" if ratio else "")
        if isinstance(value, float)
        else f"{label:<52}  {value:>10,} {unit}"
        for label, value, unit, ratio in rows
    ]
    lines.append(
        "    CPU s (floor / shipped / synthetic): "
        + " / ".join(
            f"{result[f'{key}_cpu_s']:.3f}"
            for key in ("brief_floor", "brief_shipped", "brief_synthetic")
        )
    )
    for check in result["brief_targets"]:
        verdict = "PASS" if check["pass"] else "FAIL"
        lines.append(
            f"  {verdict}  {check['metric']:<24} {check['value']:>10.3f}  {check['target']}"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.brief", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--sites", type=int, default=10_000, help="number of synthetic sites")
    parser.add_argument("--reps", type=int, default=3, help="repetitions (medians are shown)")
    parser.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    args = parser.parse_args(argv)
    result = run(sites=args.sites, reps=args.reps)
    print(json.dumps(result, ensure_ascii=False) if args.json else "\n".join(table_lines(result)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
