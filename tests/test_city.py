"""bench.city: a small synthetic city, its files, its validity, and the app running on it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from bench import city
from geo import config
from geo.data import io
from geo.load import validate_dataset

ROOT = Path(__file__).resolve().parents[1]
N_SUBDISTRICTS, N_UNITS, N_SITES, SEED = 20, 300, 2000, 3
DATA_FILES = (
    "subdistricts.csv",
    "units.csv",
    "district_outline.geojson",
    "subdistrict_areas_schematic.geojson",
    "sites.csv",
    "alliances.csv",
    "metrics.csv",
    "programs.csv",
    "sources.csv",
    "events.csv",
    "five_models.csv",
)


#: Settings that would point a fresh app process elsewhere than the synthetic city.
_FOREIGN = config.REDIRECTING


def _generate(out: Path, seed: int = SEED) -> Path:
    assert city.main([str(out), *_sizes(), "--seed", str(seed)]) == 0
    return out


def _sizes() -> list[str]:
    return [
        "--subdistricts",
        str(N_SUBDISTRICTS),
        "--units",
        str(N_UNITS),
        "--sites",
        str(N_SITES),
    ]


@pytest.fixture(scope="module")
def city_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _generate(tmp_path_factory.mktemp("city") / "out")


def _env(data_dir: Path, state_dir: Path) -> dict[str, str]:
    """The environment of a fresh app process on ``data_dir`` with an empty state folder."""
    env = {k: v for k, v in os.environ.items() if k not in _FOREIGN}
    env.update(
        SHIZHONG_DATA_DIR=str(data_dir),
        SHIZHONG_STATE_DIR=str(state_dir),
        PYTHONWARNINGS="ignore",
    )
    return env


def _python(code: str, env: dict[str, str], timeout: float = 120) -> dict:
    """Run ``code`` in a fresh interpreter in the project; the JSON of its last stdout line."""
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- the files ------------------------------------------------------------------------------


def test_complete_data_directory(city_dir: Path) -> None:
    for name in (*DATA_FILES, "README.md"):
        assert (city_dir / name).is_file(), name
    readme = (city_dir / "README.md").read_text(encoding="utf-8")
    assert readme.startswith(city.MARKER) and "合成数据" in readme
    real = ROOT / "data"
    for name in city.COPIED:
        assert (city_dir / name).read_bytes() == (real / name).read_bytes()
    for name in DATA_FILES:  # same columns as the shipped file
        if name.endswith(".csv"):
            assert list(pd.read_csv(city_dir / name, nrows=0).columns) == list(
                pd.read_csv(real / name, nrows=0).columns
            ), name


def test_counts_and_codes(city_dir: Path) -> None:
    streets = io.load_subdistricts(city_dir)
    units = io.load_units(city_dir)
    sites = io.load_sites(city_dir / "sites.csv")
    assert (len(streets), len(units), len(sites)) == (N_SUBDISTRICTS, N_UNITS, N_SITES)
    assert streets["code"].str.fullmatch(r"9901\d{5}").all()
    assert streets["code"].is_unique and streets["name"].str.startswith("合成街道").all()
    assert (streets["code_12"] == streets["code"] + "000").all()
    assert (streets["n_communities"] + streets["n_villages"]).sum() == N_UNITS
    assert units["code"].str.fullmatch(r"9901\d{8}").all() and units["code"].is_unique
    assert (units["code"].str[:9] == units["subdistrict_code"]).all()
    suffix = units["code"].str[9:].astype(int)
    community = units["unit_type"] == "community"
    assert suffix[community].between(1, 199).all() and suffix[~community].between(200, 399).all()
    assert units.loc[community, "short_name"].str.fullmatch(r"合成社区\d{4}").all()
    assert units.loc[~community, "short_name"].str.fullmatch(r"合成村\d{4}").all()
    per_street = units.groupby("subdistrict_code")["unit_type"].value_counts().unstack(fill_value=0)
    counted = streets.set_index("code")[["n_communities", "n_villages"]]
    assert (per_street.reindex(counted.index).fillna(0).to_numpy() == counted.to_numpy()).all()
    assert sites["id"].str.fullmatch(r"city-\d{7}").all() and sites["id"].is_unique
    parent = dict(zip(units["code"], units["subdistrict_code"], strict=True))
    assert (sites["unit_code"].map(parent) == sites["subdistrict_code"]).all()
    assert sites["year"].between(2018, 2026).all()
    assert (sites["location_precision"] == "approximate").mean() > 0.7
    outline = io.load_outline(city_dir)
    assert outline["code"].tolist() == [city.CITY_CODE]
    west, south, east, north = outline.total_bounds
    assert 116.6 <= west < east <= 117.6 and 36.3 <= south < north <= 37.0


def test_sites_inside_outline_and_own_area(city_dir: Path) -> None:
    sites = io.load_sites(city_dir / "sites.csv")
    outline = io.load_outline(city_dir).geometry.union_all()
    areas = gpd.read_file(city_dir / "subdistrict_areas_schematic.geojson")
    assert areas["schematic"].all() and sorted(areas["code"]) == sorted(
        io.load_subdistricts(city_dir)["code"]
    )
    lon, lat = sites["lon"].to_numpy(), sites["lat"].to_numpy()
    assert shapely.contains_xy(outline, lon, lat).all()
    own = areas.set_index("code").geometry.loc[sites["subdistrict_code"]].to_numpy()
    assert shapely.contains_xy(own, lon, lat).all()
    # sites known only to their subdistrict sit at its seat
    streets = io.load_subdistricts(city_dir).set_index("code")
    at_seat = sites[sites["location_precision"] == "subdistrict"]
    assert len(at_seat)
    seat = streets.loc[at_seat["subdistrict_code"]]
    assert np.allclose(at_seat["lon"], seat["seat_lon"]) and np.allclose(
        at_seat["lat"], seat["seat_lat"]
    )


def test_every_generated_record_is_marked_synthetic(city_dir: Path) -> None:
    for name in ("subdistricts.csv", "units.csv", "sites.csv", "metrics.csv", "alliances.csv"):
        table = pd.read_csv(city_dir / name, dtype=str, keep_default_na=False)
        assert len(table) and (table["source"] == city.SOURCE).all(), name
    for name in ("district_outline.geojson", "subdistrict_areas_schematic.geojson"):
        assert (gpd.read_file(city_dir / name)["source"] == city.SOURCE).all(), name
    sources = io.load_sources(city_dir).set_index("key")
    assert sources.at[city.SOURCE, "citation"] == "synthetic, generated by bench/city.py"
    assert set(io.load_sources(ROOT / "data")["key"]) < set(sources.index)
    metrics = io.load_metrics(city_dir / "metrics.csv")
    assert set(metrics["scope_type"]) == {"district", "subdistrict"}
    assert set(metrics["program"]) == set(io.load_programs(city_dir)["key"])
    assert len(io.load_alliances(city_dir / "alliances.csv")) >= 2


def test_validates(city_dir: Path) -> None:
    report = validate_dataset(city_dir)
    assert report.errors == [], [str(i) for i in report.errors[:10]]
    assert report.warnings == [], [str(i) for i in report.warnings[:10]]
    assert report.counts["sites"] == N_SITES and report.counts["subdistricts"] == N_SUBDISTRICTS


def test_deterministic_with_seed(city_dir: Path, tmp_path: Path) -> None:
    again = _generate(tmp_path / "again")
    for name in (*DATA_FILES, "README.md"):
        assert (again / name).read_bytes() == (city_dir / name).read_bytes(), name
    other = _generate(tmp_path / "other", seed=SEED + 1)
    assert (other / "sites.csv").read_bytes() != (city_dir / "sites.csv").read_bytes()
    # regenerating into its own folder is allowed (the README marks it as made here)
    _generate(again)


# --- refusals -------------------------------------------------------------------------------


def test_cli_refuses_the_project_data_folder() -> None:
    before = sorted((p.name, p.stat().st_mtime_ns) for p in (ROOT / "data").iterdir())
    done = subprocess.run(
        [sys.executable, "-m", "bench.city", "data", "--sites", "10"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    assert "data folder" in done.stderr and not done.stdout
    assert city.main([str(ROOT / "data" / "city")]) == 2
    assert before == sorted((p.name, p.stat().st_mtime_ns) for p in (ROOT / "data").iterdir())


def test_refuses_foreign_folder_and_bad_sizes(tmp_path: Path, capsys) -> None:
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine", encoding="utf-8")
    assert city.main([str(foreign)]) == 2
    assert "not made by bench.city" in capsys.readouterr().err
    assert city.main([str(tmp_path / "a"), "--subdistricts", "256"]) == 2
    assert "one byte" in capsys.readouterr().err
    assert city.main([str(tmp_path / "b"), "--subdistricts", "2", "--units", "799"]) == 2
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


# --- the app on it --------------------------------------------------------------------------


def test_library_loads_it(city_dir: Path, tmp_path: Path) -> None:
    code = (
        "import json\n"
        "from geo import config\nfrom geo.data import io\n"
        "print(json.dumps({\n"
        "    'dir': str(config.DATA_DIR),\n"
        "    'subdistricts': len(io.load_subdistricts()),\n"
        "    'units': len(io.load_units()),\n"
        "    'sites': len(io.load_sites()),\n"
        "    'areas': len(io.load_areas()),\n"
        "    'outline': io.load_outline()['code'].tolist(),\n"
        "}))\n"
    )
    out = _python(code, _env(city_dir, tmp_path / "state"))
    assert out == {
        "dir": str(city_dir),
        "subdistricts": N_SUBDISTRICTS,
        "units": N_UNITS,
        "sites": N_SITES,
        "areas": N_SUBDISTRICTS,
        "outline": [city.CITY_CODE],
    }


def test_app_runs_on_it(city_dir: Path, tmp_path: Path) -> None:
    code = (
        "import json\n"
        "from streamlit.testing.v1 import AppTest\n"
        "from geo.text.labels import t\n"
        "at = AppTest.from_file('app.py', default_timeout=120)\n"
        "at.run()\n"
        "print(json.dumps({'exceptions': [e.message for e in at.exception],\n"
        "                  'sites': next((m.value for m in at.metric\n"
        "                                 if m.label == t('count_sites')), None)}))\n"
    )
    out = _python(code, _env(city_dir, tmp_path / "state"), timeout=180)
    assert out["exceptions"] == []
    assert int(str(out["sites"]).replace(",", "")) == N_SITES
