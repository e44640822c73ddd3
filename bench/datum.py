"""Datum conversion speed: ``python -m bench.datum [--points 100000] [--repeat 7] [--json]``.

Times the four conversions of :mod:`geo.data.datum` (numpy) at N random points over Shizhong
District against the implementation it replaced (``coordTransform``'s C batch functions for
the forward steps, the same fixed-point inverse), both measured in the same run as medians of
``--repeat`` runs, and prints the ratio old ÷ new (above 1: the numpy version is faster).
Without ``coordTransform`` installed (it has no wheels for ARM64 or CPython 3.13) only the
new times are printed. Also prints the largest difference between the two, in degrees.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable

import numpy as np

from geo.data import datum

#: Shizhong District's bounding box in WGS-84 degrees, a little widened.
WEST, EAST, SOUTH, NORTH = 116.80, 117.17, 36.47, 36.68


def _old_conversions() -> dict[str, Callable] | None:
    """The conversions as they were with ``coordTransform`` (None when it is not installed)."""
    try:
        import coordTransform
    except ImportError:
        return None

    def forward(func, lon, lat):
        out_lon, out_lat = func(lon.ravel(), lat.ravel())
        return np.asarray(out_lon, dtype=float), np.asarray(out_lat, dtype=float)

    def invert(func, lon, lat, tolerance=1e-10, max_iter=30):
        x_lon, x_lat = lon.copy(), lat.copy()
        for _ in range(max_iter):
            f_lon, f_lat = func(x_lon, x_lat)
            d_lon, d_lat = f_lon - lon, f_lat - lat
            x_lon, x_lat = x_lon - d_lon, x_lat - d_lat
            if max(np.abs(d_lon).max(), np.abs(d_lat).max()) < tolerance:
                break
        return x_lon, x_lat

    def to_gcj(lon, lat):
        return forward(coordTransform.wgs84_to_gcj02, lon, lat)

    def to_bd(lon, lat):
        return forward(coordTransform.gcj02_to_bd09, lon, lat)

    return {
        "wgs84_to_gcj02": to_gcj,
        "gcj02_to_wgs84": lambda lon, lat: invert(to_gcj, lon, lat),
        "wgs84_to_bd09": lambda lon, lat: to_bd(*to_gcj(lon, lat)),
        "bd09_to_wgs84": lambda lon, lat: invert(to_gcj, *invert(to_bd, lon, lat)),
    }


def _median_seconds(
    funcs: list[Callable], lon: np.ndarray, lat: np.ndarray, repeat: int
) -> list[float]:
    """Median seconds of each of ``funcs``, run in turn ``repeat`` times (interleaved, so that
    all of them see the same state of a shared machine)."""
    times: list[list[float]] = [[] for _ in funcs]
    for _ in range(repeat):
        for func, seconds in zip(funcs, times, strict=True):
            started = time.perf_counter()
            func(lon, lat)
            seconds.append(time.perf_counter() - started)
    return [statistics.median(seconds) for seconds in times]


def run(points: int = 100_000, repeat: int = 7, seed: int = 0) -> list[dict]:
    """One row per conversion: ``name``, ``new_s``, ``old_s``, ``ratio``, ``max_diff_deg``.

    ``old_s``, ``ratio`` and ``max_diff_deg`` are None without ``coordTransform``.
    """
    rng = np.random.default_rng(seed)
    lon = rng.uniform(WEST, EAST, points)
    lat = rng.uniform(SOUTH, NORTH, points)
    old = _old_conversions()
    rows = []
    for name in ("wgs84_to_gcj02", "gcj02_to_wgs84", "wgs84_to_bd09", "bd09_to_wgs84"):
        new_func = getattr(datum, name)
        row = {"name": name, "points": points, "old_s": None, "ratio": None, "max_diff_deg": None}
        if old is None:
            (row["new_s"],) = _median_seconds([new_func], lon, lat, repeat)
        else:
            row["old_s"], row["new_s"] = _median_seconds([old[name], new_func], lon, lat, repeat)
            row["ratio"] = row["old_s"] / row["new_s"]
            old_out, new_out = old[name](lon, lat), new_func(lon, lat)
            row["max_diff_deg"] = float(
                max(np.abs(old_out[0] - new_out[0]).max(), np.abs(old_out[1] - new_out[1]).max())
            )
        rows.append(row)
    return rows


def table_lines(rows: list[dict]) -> list[str]:
    """The rows as an aligned text table (milliseconds)."""
    lines = [
        f"{'conversion':<16} {'points':>8} {'old ms':>8} {'new ms':>8} {'old/new':>8} {'diff':>8}"
    ]
    for row in rows:
        old = "-" if row["old_s"] is None else f"{row['old_s'] * 1000:.1f}"
        ratio = "-" if row["ratio"] is None else f"{row['ratio']:.2f}"
        diff = "-" if row["max_diff_deg"] is None else f"{row['max_diff_deg']:.0e}"
        lines.append(
            f"{row['name']:<16} {row['points']:>8} {old:>8} {row['new_s'] * 1000:>8.1f} "
            f"{ratio:>8} {diff:>8}"
        )
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="one JSON object per conversion")
    args = parser.parse_args(argv)
    rows = run(args.points, args.repeat)
    if args.json:
        for row in rows:
            print(json.dumps(row))
    else:
        print("\n".join(table_lines(rows)))


if __name__ == "__main__":
    main()
