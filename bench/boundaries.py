"""Loading an official boundary file: ``python -m bench.boundaries [--spacing 20 5 1] [--json]``.

For each spacing, writes a **synthetic** "bureau" file in a temporary folder: the shipped
(schematic) areas as a GBK shapefile without ``.cpg`` in a ``.zip``, eastings in Gauss-Kruger
zone 39 under a ``.prj`` that says CM 117E (the reader must detect the encoding and correct the
zone), densified to a vertex every N metres with metre-scale wiggles (a smooth function of the
position, so shared borders stay shared). Then measures, as medians of ``--repeat`` runs:

- ``read_s``: the floor, pyogrio reading the same shapefile as it is (no detection, no CRS);
- ``check_s``: :func:`geo.intake.boundaries.check_boundary_file`, the report (``--dry-run``'s work);
- ``load_s``: the report and the one transaction into a fresh SQLite store (``python -m
  geo areas FILE`` without the process start);
- ``dataset_s``: the dataset with the stored areas (simplified for the map once per version);
- ``map_s`` / ``map_mb``: building the base map and the size of its script.

Prints a table, then (``--json``) one JSON object per spacing.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import shapely

from geo.config import DATA_DIR, AreasSource
from geo.data import io
from geo.intake.boundaries import check_boundary_file
from geo.intake.boundary_load import load_boundary_file
from geo.load import load_dataset
from geo.map import leaflet as maps
from geo.store.records import Store


def _wiggle(xy: np.ndarray) -> np.ndarray:
    x, y = xy[:, 0], xy[:, 1]
    return xy + np.c_[1.5 * np.sin(y / 9.0) + 0.5 * np.sin(y / 2.3), 1.5 * np.sin(x / 11.0)]


def write_file(folder: Path, spacing_m: float) -> tuple[Path, Path, int]:
    """(the .zip, the .shp inside it as written, vertices) for one spacing."""
    areas = io.load_areas(AreasSource(DATA_DIR / "subdistrict_areas_schematic.geojson"))
    frame = gpd.GeoDataFrame(
        {"XZQDM": areas["code"] + "000", "XZQMC": areas["name"]},
        geometry=areas.geometry.to_numpy(),
        crs="EPSG:4490",
    ).to_crs("EPSG:4527")
    geometry = shapely.transform(shapely.segmentize(frame.geometry.to_numpy(), spacing_m), _wiggle)
    frame = frame.set_geometry(geometry)
    parts = folder / f"s{spacing_m:g}"
    parts.mkdir()
    shp = parts / "街道界线.shp"
    frame.to_file(shp, encoding="gbk")
    shp.with_suffix(".cpg").unlink()
    frame.to_crs("EPSG:4548").iloc[:1].to_file(parts / "cm.shp")
    (parts / "cm.prj").replace(shp.with_suffix(".prj"))  # the .prj says CM 117E
    archive = folder / f"街道界线_{spacing_m:g}m.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
        for part in sorted(parts.glob("街道界线.*")):
            bundle.write(part, part.name)
    return archive, shp, int(shapely.get_num_coordinates(geometry).sum())


def _median(func, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def measure(spacing_m: float, repeat: int) -> dict:
    subdistricts, outline, sites = io.load_subdistricts(), io.load_outline(), io.load_sites()
    with tempfile.TemporaryDirectory(prefix="bench-boundaries-") as tmp:
        folder = Path(tmp)
        archive, shp, vertices = write_file(folder, spacing_m)
        read_s, _ = _median(lambda: pyogrio.read_dataframe(shp, encoding="gbk"), repeat)
        check_s, report = _median(
            lambda: check_boundary_file(archive, subdistricts, outline, sites), repeat
        )
        assert report.ok and len(report.areas) == 17, [f.describe("en") for f in report.errors]

        stores = [Store.open(f"sqlite:///{folder}/s{i}.sqlite") for i in range(repeat)]

        def load() -> Store:  # each run into a fresh store (made beforehand, not timed)
            store = stores.pop()
            assert load_boundary_file(archive, store, "bench").inserted == 17
            return store

        load_s, store = _median(load, repeat)
        dataset_s, data = _median(lambda: load_dataset(store), repeat)
        store.engine.dispose()

        def base_map() -> str:
            fmap = maps.build_base_map(data.outline, data.areas, data.subdistricts, data.programs)
            return fmap.get_root().render()

        map_s, script = _median(base_map, repeat)
        drawn = int(shapely.get_num_coordinates(data.areas.geometry.to_numpy()).sum())
        return {
            "spacing_m": spacing_m,
            "vertices": vertices,
            "zip_kb": round(archive.stat().st_size / 1024),
            "read_s": round(read_s, 3),
            "check_s": round(check_s, 3),
            "check_vs_read": round(check_s / read_s, 1),
            "load_s": round(load_s, 3),
            "dataset_s": round(dataset_s, 3),
            "drawn_vertices": drawn,
            "map_s": round(map_s, 3),
            "map_mb": round(len(script.encode()) / 1e6, 2),
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spacing", type=float, nargs="+", default=[20.0, 5.0, 1.0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="also print one JSON object each")
    args = parser.parse_args(argv)
    rows = [measure(spacing, max(args.repeat, 1)) for spacing in args.spacing]
    keys = list(rows[0])
    print("  ".join(f"{k:>13}" for k in keys))
    for row in rows:
        print("  ".join(f"{row[k]:>13}" for k in keys))
    if args.json:
        for row in rows:
            print(json.dumps(row))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
