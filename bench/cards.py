"""The figure cards' cost when figures hold many periods (#29): ``python -m bench.cards``.

Two stores hold the same synthetic figures (``bench.synthetic.make_metrics``: 38 figures):
one period each (the cards as they were before periods: the floor), and ``--periods`` years
each with a target in the last. Printed, as JSON:

- ``compare_s``: :func:`geo.data.kpi.reported_metrics` (choose and compare) on each, median of
  ``--repeat`` calls in this process;
- ``render_s``: a Streamlit run (AppTest, a fresh process per store) of a page holding the
  filter frame and every figure as a card (``ui.widgets.reported_kpis`` with no limit), median
  of ``--repeat`` reruns after the first;
- each figure's ratio to its floor (the same call on one period per figure, same run).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

PROJECT_DIR = Path(__file__).resolve().parents[1]
PAGE = """
import streamlit as st
from ui import widgets
from ui.context import setup
ctx = setup()
widgets.reported_kpis(ctx)
"""


def with_periods(base: pd.DataFrame, periods: int, first: int = 2015) -> pd.DataFrame:
    """Each figure of ``base`` over ``periods`` years (values rising by 5% a year, a share
    capped at 100), the last year with a target 10% above its value."""
    rows = []
    for figure in base.to_dict("records"):
        for n in range(periods):
            value = figure["value"] * 1.05 ** (n - periods + 1)
            row = {**figure, "id": f"{figure['id']}-{first + n}", "year": first + n}
            row["value"] = round(min(value, 100.0) if figure["unit"] == "%" else value, 2)
            if n == periods - 1:
                row.update(target=round(row["value"] * 1.1, 2), target_source=figure["source"])
            rows.append(row)
    frame = pd.DataFrame(rows)
    frame["year"] = frame["year"].astype("Int64")
    frame["quarter"] = pd.array([pd.NA] * len(frame), dtype="Int64")
    return frame


def _render_worker(repeat: int) -> dict:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_string(PAGE, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    cards = len(at.metric)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
    return {"render_s": statistics.median(times), "cards": cards}


def _render(state: Path, repeat: int) -> dict:
    env = {**os.environ, "SHIZHONG_STATE_DIR": str(state)}
    done = subprocess.run(
        [sys.executable, "-m", "bench.cards", "--worker", "--repeat", str(repeat)],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _compare_s(metrics: pd.DataFrame, repeat: int) -> float:
    from geo.data import io, kpi
    from geo.data.filters import RecordFilter

    units, sites, alliances = io.load_units(), io.load_sites(), io.load_alliances()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        kpi.reported_metrics(metrics, RecordFilter(), units, sites, alliances)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run(periods: int, repeat: int) -> dict:
    """Both stores, both measurements, the ratios."""
    from bench import synthetic

    base = synthetic.make_metrics()
    sites = synthetic.make_sites(100)
    out: dict = {"figures": len(base), "periods": periods}
    for label, metrics in (
        ("floor", with_periods(base, 1)),
        ("periods", with_periods(base, periods)),
    ):
        with tempfile.TemporaryDirectory() as folder:
            synthetic.write_store(Path(folder), sites, metrics)
            rendered = _render(Path(folder), repeat)
        out[label] = {"rows": len(metrics), "compare_s": _compare_s(metrics, repeat), **rendered}
    for key in ("compare_s", "render_s"):
        out[f"{key}_ratio"] = round(out["periods"][key] / out["floor"][key], 2)
    out["trend_cards"] = out["periods"]["cards"]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--periods", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(_render_worker(args.repeat)))
        return 0
    np.set_printoptions(precision=3)
    print(json.dumps(run(args.periods, args.repeat), ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
