"""Boundary files that could harm the server cost only their own reading: a zip bomb, a
polygon of millions of vertices, a file that kills its reader or takes too long. Each is
refused with a clear Chinese report (the command line exits 1 without a traceback), the store
is left as it was, nothing stays behind in the temporary folders, and the server's (the
command line's) own memory stays at its baseline: the cheap checks run first, from the zip's
directory and the file's bytes, and GDAL reads in a child process with limits
(:mod:`geo.isolation`).

The files are built here, streamed to disk (a 470 MB member is never held in memory); the
boundary helpers come from ``tests/intake/test_boundaries.py``. Limits are lowered through
:class:`geo.isolation.ParseLimits` or its environment variables where that keeps a test small.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest
import shapely

from geo import config
from geo.intake.boundary_load import load_boundary_file
from geo.isolation import LIMIT_ENV, ParseLimits
from geo.store.records import Store
from tests.intake import test_boundaries
from tests.intake.test_boundaries import (
    PROJECT_DIR,
    boundaries_tab,
    official,
    shapefile_parts,
    stored_areas,
    uploader,
    write,
)

#: Its fixture: the "official" polygons (the Manage page's state folder, ``app_state``, is
#: tests/conftest.py's).
reference = test_boundaries.reference

MB = 2**20
#: The command line under ``python -c``, printing its own peak RSS (not its children's) last:
#: ``VmHWM``, and ``ru_maxrss`` of RUSAGE_SELF, which on Linux also holds the RSS of the process
#: it was forked from (the test runner's, carried over exec).
PEAK_RSS = (
    "import re, resource, sys\n"
    "from geo.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "status = open('/proc/self/status').read()\n"
    "print('vm_hwm_kb=' + re.search(r'VmHWM:\\s*(\\d+)', status).group(1))\n"
    "print(f'ru_maxrss_kb={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}')\n"
    "sys.exit(code)\n"
)
#: The command line's peak RSS on a hostile file stays within this of its own on a small bad
#: file (~220 MB, importing geopandas and GDAL; the 470 MB bomb took 1.2 GB before the checks).
#: The baseline is measured in the same session: how much of a library's pages are mapped
#: depends on what the page cache holds.
PARENT_RSS_MARGIN_MB = 64


# --- building the files ----------------------------------------------------------------------


def bomb(path: Path, size: int, compression: int = zipfile.ZIP_BZIP2) -> Path:
    """A zip holding ``size`` bytes of GeoJSON that is almost all white space, streamed in."""
    path.parent.mkdir(parents=True, exist_ok=True)
    head, foot = b'{"type": "FeatureCollection", "features": [', b"]}"
    block = b" " * MB
    with zipfile.ZipFile(path, "w", compression, compresslevel=9) as bundle:
        with bundle.open("街道.geojson", "w", force_zip64=True) as member:
            member.write(head)
            left = size - len(head) - len(foot)
            while left > 0:
                member.write(block[: min(left, MB)])
                left -= MB
            member.write(foot)
    return path


def ring_geojson(path: Path, vertices: int) -> Path:
    """One subdistrict as one polygon of ``vertices`` vertices (the closing one included) in
    the district, written in pieces."""
    path.parent.mkdir(parents=True, exist_ok=True)
    angles = np.linspace(0.0, 2 * np.pi, vertices - 1, endpoint=False)
    with path.open("w", encoding="utf-8") as out:
        out.write(
            '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
            '{"XZQDM": "370103002", "XZQMC": "大观园街道"}, "geometry": '
            '{"type": "Polygon", "coordinates": [['
        )
        for start in range(0, len(angles), 100_000):
            part = angles[start : start + 100_000]
            lon, lat = 116.99 + 0.01 * np.cos(part), 36.65 + 0.01 * np.sin(part)
            out.write(",".join(f"[{x:.7f},{y:.7f}]" for x, y in zip(lon, lat, strict=True)))
            out.write(",")
        out.write(f"[{116.99 + 0.01:.7f},{36.65:.7f}]]]}}}}]}}")
    return path


@pytest.fixture(scope="module")
def two_million(tmp_path_factory) -> Path:
    """A polygon of 2,000,000 vertices (50 MB of GeoJSON), alone in its folder."""
    return ring_geojson(tmp_path_factory.mktemp("dense") / "大观园.geojson", 2_000_000)


@pytest.fixture(scope="module")
def one_million(tmp_path_factory) -> Path:
    """A polygon of 999,999 vertices, under the default cap (GDAL's reading takes ~500 MB)."""
    return ring_geojson(tmp_path_factory.mktemp("million") / "大观园.geojson", 999_999)


# --- running the loader and the command line -------------------------------------------------


@pytest.fixture
def temporary(tmp_path, monkeypatch) -> Path:
    """An empty temporary folder this process uses; it must be empty again after a load."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def snapshot(store: Store) -> tuple:
    """The store's data version, audit trail and areas, to compare before and after."""
    areas = store.read("areas")
    return store.data_version(), len(store.audit_log(10_000)), areas.to_dict("records")


def refused(path: Path, tmp_path: Path, temporary: Path, **options) -> list[str]:
    """Load ``path`` into a fresh store: the errors in Chinese, after checking that nothing
    was stored and nothing left in the temporary folder or beside the file."""
    store = Store.open(f"sqlite:///{tmp_path}/s.sqlite")
    before, beside = snapshot(store), sorted(path.parent.iterdir())
    result = load_boundary_file(path, store, "editor", **options)
    assert not result.ok and not result.applied and not result.changes
    assert snapshot(store) == before
    assert list(temporary.iterdir()) == [] and sorted(path.parent.iterdir()) == beside
    english = [f.describe("en") for f in result.report.errors]
    assert all(e.isascii() or "：" not in e for e in english), english
    store.engine.dispose()
    return [f.describe("zh") for f in result.report.errors]


def run_cli(tmp_path: Path, path: Path, **limits: str) -> tuple[str, float, float]:
    """``python -m geo areas PATH`` on a fresh store with ``limits`` (environment variables):
    (its error output, its own peak RSS in MB, seconds), after checking that it exited 1
    without a traceback, said so last, and wrote nothing: the store as it was, the temporary
    folder empty, nothing beside the file."""
    state, scratch = tmp_path / "state", tmp_path / "scratch"
    state.mkdir()
    scratch.mkdir()
    Store.open(f"sqlite:///{state / 'shizhong.sqlite'}").engine.dispose()
    before, files, beside = (
        stored_areas(state),
        sorted(state.iterdir()),
        sorted(path.parent.iterdir()),
    )
    variables = {variable for variable, _default in LIMIT_ENV.values()}
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in config.REDIRECTING and k not in variables and k != "SHIZHONG_LANG"
    }
    env.update(SHIZHONG_STATE_DIR=str(state), PYTHONIOENCODING="utf-8", TMPDIR=str(scratch))
    env.update(limits)
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", PEAK_RSS, "areas", str(path)],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )
    seconds = time.perf_counter() - start
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.stderr.strip().endswith(f"{path.name}：1 处错误，未写入任何数据")
    assert stored_areas(state) == before and sorted(state.iterdir()) == files
    assert list(scratch.iterdir()) == [] and sorted(path.parent.iterdir()) == beside
    peak = int(re.search(r"vm_hwm_kb=(\d+)", result.stdout).group(1)) / 1024
    maxrss = int(re.search(r"ru_maxrss_kb=(\d+)", result.stdout).group(1)) / 1024
    print(
        f"\n{path.name} {limits}: peak RSS {peak:.0f} MB (ru_maxrss {maxrss:.0f}), {seconds:.1f} s"
    )
    return result.stderr, peak, seconds


@pytest.fixture(scope="module")
def baseline_mb(tmp_path_factory) -> float:
    """The command line's peak RSS on a small bad file (a zip without a boundary file)."""
    folder = tmp_path_factory.mktemp("baseline")
    path = folder / "in" / "readme.zip"
    path.parent.mkdir()
    with zipfile.ZipFile(path, "w") as bundle:
        bundle.writestr("说明.txt", "边界见附件")
    said, peak, _seconds = run_cli(folder, path)
    assert "压缩包 readme.zip 中没有边界文件" in said
    return peak


def assert_light(peak: float, baseline: float) -> None:
    assert peak < baseline + PARENT_RSS_MARGIN_MB, (peak, baseline)


# --- archives: refused from their directory, before anything is unpacked ---------------------


def test_a_1_kb_bzip2_zip_of_470_mb_is_refused_from_its_directory(tmp_path, baseline_mb):
    started = time.perf_counter()
    path = bomb(tmp_path / "in" / "bomb.zip", 470 * MB)
    assert path.stat().st_size < 2048, path.stat().st_size
    built = time.perf_counter() - started
    said, peak, seconds = run_cli(tmp_path, path)
    assert "压缩包 bomb.zip 解压后共 470 MB，超过上限 300 MB，未解压。" in said
    assert_light(peak, baseline_mb)
    assert seconds < 30, (seconds, built)


def test_a_bomb_under_the_size_limit_is_refused_by_its_compression_ratio(tmp_path, temporary):
    path = bomb(tmp_path / "in" / "streets.zip", 20 * MB, zipfile.ZIP_DEFLATED)
    errors = refused(path, tmp_path, temporary)
    assert len(errors) == 1 and "压缩包 streets.zip 中的 街道.geojson 压缩比为" in errors[0]
    ratio = int(re.search(r"压缩比为 ([\d,]+) 倍", errors[0]).group(1).replace(",", ""))
    assert ratio > 200 and "超过上限 200 倍（疑为“压缩炸弹”），未解压。" in errors[0]


def test_the_unpacked_size_and_the_ratio_are_settings(tmp_path, baseline_mb):
    path = bomb(tmp_path / "in" / "streets.zip", 20 * MB, zipfile.ZIP_DEFLATED)
    said, peak, _seconds = run_cli(
        tmp_path, path, SHIZHONG_MAX_UNPACKED_MB="10", SHIZHONG_MAX_RATIO="100000"
    )
    assert "压缩包 streets.zip 解压后共 20 MB，超过上限 10 MB，未解压。" in said
    assert_light(peak, baseline_mb)


def test_a_zip_of_too_many_members_is_refused_before_its_directory_is_read(tmp_path, temporary):
    path = tmp_path / "in" / "many.zip"
    path.parent.mkdir()
    with zipfile.ZipFile(path, "w") as bundle:
        for number in range(10_001):
            bundle.writestr(f"{number}.txt", b"")
    errors = refused(path, tmp_path, temporary)
    assert errors == ["压缩包 many.zip 含 10,001 个文件，超过上限 10,000 个，未解压。"]


def test_a_bureau_zip_passes_the_checks(tmp_path, reference, temporary):
    shp = write(official(reference, crs="EPSG:4527"), tmp_path / "src" / "街道.shp")
    path = tmp_path / "in" / "街道.zip"
    path.parent.mkdir()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bundle:
        for part in shapefile_parts(shp):
            bundle.write(part, part.name)
    store = Store.open(f"sqlite:///{tmp_path}/s.sqlite")
    limits = ParseLimits(max_unpacked_mb=1, max_ratio=20, max_vertices=1_000)
    assert load_boundary_file(path, store, "editor", limits=limits).inserted == 17
    assert list(temporary.iterdir()) == []
    store.engine.dispose()


# --- vertices: counted from the bytes before GDAL parses them --------------------------------


def dense(areas, spacing_m: float = 50.0):
    """The official areas with a vertex every ``spacing_m`` metres (5,470 vertices at 50 m)."""
    frame = official(areas, crs="EPSG:4527")
    frame = frame.set_geometry(shapely.segmentize(frame.geometry.to_numpy(), spacing_m))
    return frame.to_crs("EPSG:4490")


@pytest.mark.parametrize("kind", ["geojson", "shp", "zip", "kml", "gpkg"])
def test_a_file_over_the_vertex_cap_is_refused_saying_how_many(
    kind, tmp_path, reference, temporary
):
    frame = dense(reference)
    count = int(shapely.get_num_coordinates(frame.geometry.to_numpy()).sum())
    assert count == 5_470
    folder = tmp_path / "in"
    if kind in ("shp", "zip"):
        path = write(frame, tmp_path / "src" / "街道.shp")
        if kind == "zip":
            path = folder / "街道.zip"
            folder.mkdir()
            with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bundle:
                for part in shapefile_parts(tmp_path / "src" / "街道.shp"):
                    bundle.write(part, f"成果/{part.name}")
        else:
            folder = path.parent
    else:
        driver = {"geojson": "GeoJSON", "kml": "KML", "gpkg": "GPKG"}[kind]
        path = write(frame, folder / f"街道.{kind}", driver=driver)
    errors = refused(path, tmp_path, temporary, limits=ParseLimits(max_vertices=5_000))
    assert len(errors) == 1, errors
    assert errors[0].startswith("边界文件共有 5,470 个顶点，超过上限 5,000 个（")
    assert errors[0].endswith("），未读取。请简化边界后重新导出。")
    store = Store.open(f"sqlite:///{tmp_path}/ok.sqlite")  # one vertex more is allowed: it reads
    result = load_boundary_file(path, store, "editor", limits=ParseLimits(max_vertices=5_470))
    assert result.ok and result.inserted == 17, [f.describe() for f in result.report.findings]
    assert list(temporary.iterdir()) == []
    store.engine.dispose()


def test_2_000_000_vertices_at_the_default_cap_are_refused_not_called_malformed(
    tmp_path, two_million, baseline_mb
):
    said, peak, seconds = run_cli(tmp_path, two_million)
    assert (
        "边界文件共有 2,000,000 个顶点，超过上限 1,000,000 个（大观园.geojson），未读取。" in said
    )
    assert "格式不对或已损坏" not in said
    assert_light(peak, baseline_mb)
    assert seconds < 20, seconds


def test_gdal_refusing_a_feature_over_its_200_mb_limit_says_too_large(
    tmp_path, two_million, temporary
):
    """With our cap raised and memory to spare, GDAL's own limit for one GeoJSON object
    (OGR_GEOJSON_MAX_OBJ_SIZE) refuses the polygon: that is "too large", not "damaged"."""
    limits = ParseLimits(memory_mb=2048, max_vertices=3_000_000)
    errors = refused(two_million, tmp_path, temporary, limits=limits)
    assert errors == [
        "文件 大观园.geojson 中有要素过大，超过读取程序单个要素 200 MB 的上限，无法读取"
        "（文件并未损坏）。请简化边界后重新导出。"
    ]


# --- a reader that dies or runs too long costs only itself ------------------------------------


def test_a_reader_out_of_memory_dies_alone_and_its_unpacked_folder_goes(
    tmp_path, one_million, baseline_mb
):
    """GDAL needs ~500 MB for this GeoJSON; with 600 MB (the libraries take ~430 MB of address
    space) its child dies, of a MemoryError or a segmentation fault in GDAL's JSON parser.
    It dies after unpacking the zip: the folder it unpacked into is removed all the same."""
    path = tmp_path / "in" / "大观园.zip"
    path.parent.mkdir()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bundle:
        bundle.write(one_million, one_million.name)
    said, peak, _seconds = run_cli(tmp_path, path, SHIZHONG_PARSE_MEMORY_MB="600")
    died = (
        "读取文件 大观园.zip 所需内存超过上限 600 MB（文件过大或格式异常），已停止读取。",
        "读取文件 大观园.zip 时读取程序异常退出（文件过大或格式异常），已停止读取。",
    )
    assert any(words in said for words in died), said
    assert_light(peak, baseline_mb)


def test_a_reader_over_its_time_is_stopped(tmp_path, one_million, temporary):
    errors = refused(one_million, tmp_path, temporary, limits=ParseLimits(seconds=1))
    assert errors == ["读取文件 大观园.geojson 超过时限 1 秒（文件过大或格式异常），已停止读取。"]


# --- the Manage page -------------------------------------------------------------------------


def test_the_manage_page_says_why_a_bomb_is_refused(app_state, tmp_path):
    path = bomb(tmp_path / "streets.zip", 20 * MB, zipfile.ZIP_DEFLATED)
    at = boundaries_tab()
    uploader(at).set_value([(path.name, path.read_bytes(), "application/zip")]).run()
    assert not at.exception, [e.message for e in at.exception]
    shown = " ".join(e.value.replace("\\", "") for e in at.error)  # Markdown escapes removed
    assert "压缩包 streets.zip 中的 街道.geojson 压缩比为" in shown, shown
    assert "未写入任何数据" in shown
    assert not any(b.label == "确认载入边界" for b in at.button)
    assert Store.open().read_areas().empty
