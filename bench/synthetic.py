"""Synthetic datasets for the benchmark: N sites over the district's units, plus metrics.

Everything made here is **synthetic** and says so: ids start with ``syn-``, ``source`` is
``synthetic (bench)``, descriptions read "合成数据（基准测试），非真实记录", and the records only
ever go into a temporary store (:func:`write_store`), never into ``data/`` or the app's own
state folder.

Each site belongs to a random unit (village or community) and lies uniformly at random inside
its subdistrict's area (clipped to the district outline); kind, programs, year and location
precision are drawn at random. The same ``seed`` gives the same data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import sqlalchemy as sa

from geo.config import DATA_DIR
from geo.data import io
from geo.store.records import Store
from geo.store.schema import meta_table, metrics_table, sites_table
from geo.text import vocab

SOURCE = "synthetic (bench)"
ID_PREFIX = "syn-"
USER = "bench"
DESCRIPTION = "合成数据（基准测试），非真实记录 · synthetic benchmark record, not real"
#: The file name the app opens in ``$SHIZHONG_STATE_DIR``.
STORE_FILE = "shizhong.sqlite"
YEARS = (2018, 2026)
#: Share of sites whose location is "exact"; the rest are "approximate".
EXACT_SHARE = 0.2

#: A short word per kind, for names of a realistic length (6-10 CJK characters).
_KIND_WORD = {
    "village": "村点",
    "community": "网格",
    "service_center": "党群服务站",
    "station": "暖心驿站",
    "demo_site": "示范点",
    "industry": "产业点",
}


@dataclass(frozen=True)
class Reference:
    """The real reference data the synthetic records refer to."""

    units: pd.DataFrame
    subdistricts: pd.DataFrame
    programs: pd.DataFrame
    areas: gpd.GeoDataFrame
    outline: gpd.GeoDataFrame

    @classmethod
    def load(cls, data_dir: Path = DATA_DIR) -> Reference:
        return cls(
            units=io.load_units(data_dir),
            subdistricts=io.load_subdistricts(data_dir),
            programs=io.load_programs(data_dir),
            areas=io.load_areas(),
            outline=io.load_outline(data_dir),
        )


def _points_inside(
    shape, count: int, rng: np.random.Generator, batch: int = 4096
) -> tuple[np.ndarray, np.ndarray]:
    """``count`` points uniformly at random inside ``shape`` (rejection sampling, vectorised)."""
    west, south, east, north = shape.bounds
    shapely.prepare(shape)
    lon_parts, lat_parts, found = [], [], 0
    while found < count:
        size = max(batch, 2 * (count - found))
        lon = rng.uniform(west, east, size)
        lat = rng.uniform(south, north, size)
        keep = shapely.contains_xy(shape, lon, lat)
        lon_parts.append(lon[keep])
        lat_parts.append(lat[keep])
        found += int(keep.sum())
    return np.concatenate(lon_parts)[:count], np.concatenate(lat_parts)[:count]


def make_sites(
    n: int,
    seed: int = 0,
    reference: Reference | None = None,
    years: tuple[int, int] = YEARS,
) -> pd.DataFrame:
    """``n`` synthetic sites with the columns of ``data/sites.csv`` (``io.SITE_COLUMNS``).

    ``year`` is drawn uniformly from ``years`` (first and last, both included) as a nullable
    integer; ``end_year`` is empty (no site merged or closed); ``lon``/``lat`` floats
    (WGS-84), every other column text.
    """
    ref = reference or Reference.load()
    rng = np.random.default_rng(seed)
    units = ref.units.reset_index(drop=True)
    pick = rng.integers(0, len(units), n)
    unit_code = units["code"].to_numpy()[pick]
    street = units["subdistrict_code"].to_numpy()[pick]
    short = units["short_name"].to_numpy()[pick]
    district = ref.outline.geometry.union_all()
    shapes = {
        code: shape.intersection(district)
        for code, shape in zip(ref.areas["code"], ref.areas.geometry, strict=True)
    }
    lon, lat = np.empty(n), np.empty(n)
    for code in np.unique(street):
        where = np.flatnonzero(street == code)
        lon[where], lat[where] = _points_inside(shapes[code], len(where), rng)
    kinds = np.asarray(vocab.KINDS)[rng.integers(0, len(vocab.KINDS), n)]
    keys = ref.programs["key"].to_numpy()
    counts = rng.choice([1, 2, 3], size=n, p=[0.6, 0.3, 0.1])
    programs = [";".join(rng.choice(keys, size=k, replace=False)) for k in counts]
    exact = rng.random(n) < EXACT_SHARE
    ids = [f"{ID_PREFIX}{i:06d}" for i in range(n)]
    names = [
        f"{s}{_KIND_WORD[k]}{i % 97 + 1}" for i, (s, k) in enumerate(zip(short, kinds, strict=True))
    ]
    return pd.DataFrame(
        {
            "id": ids,
            "name": names,
            "kind": kinds,
            "subdistrict_code": street,
            "unit_code": unit_code,
            "programs": programs,
            "year": pd.array(rng.integers(years[0], years[1] + 1, n), dtype="Int64"),
            "description": DESCRIPTION,
            "source": SOURCE,
            "lon": np.round(lon, 6),
            "lat": np.round(lat, 6),
            "location_precision": np.where(exact, "exact", "approximate"),
            "inferred": False,
            "end_year": pd.array([pd.NA] * n, dtype="Int64"),
        }
    )[io.SITE_COLUMNS]


def make_metrics(seed: int = 0, reference: Reference | None = None) -> pd.DataFrame:
    """Synthetic reported figures: two per subdistrict and four district-wide ones."""
    ref = reference or Reference.load()
    rng = np.random.default_rng(seed + 1)
    keys = ref.programs["key"].tolist()
    rows = []
    scopes = [("district", "370103")] * 4 + [
        ("subdistrict", code) for code in ref.subdistricts["code"] for _ in range(2)
    ]
    for i, (scope_type, scope_code) in enumerate(scopes):
        qualifier = ("exact", "at_least", "approx")[i % 3]
        unit = ("个", "人", "%")[i % 3]
        rows.append(
            {
                "id": f"{ID_PREFIX}m-{i:04d}",
                "name_zh": f"合成指标{i + 1}",
                "name_en": f"Synthetic figure {i + 1}",
                "value": float(rng.integers(1, 101 if unit == "%" else 500)),  # a share: <= 100
                "unit": unit,
                "qualifier": qualifier,
                "scope_type": scope_type,
                "scope_code": scope_code,
                "program": keys[i % len(keys)],
                "year": int(rng.integers(YEARS[0], YEARS[1] + 1)),
                "period": "year",
                "source": SOURCE,
            }
        )
    frame = pd.DataFrame(rows)
    # yearly figures without a quarter or a target (as io.load_metrics reads such a file)
    frame["quarter"] = pd.array([pd.NA] * len(frame), dtype="Int64")
    frame["target"] = np.nan
    frame["target_source"] = ""
    frame["better"] = "up"
    frame = frame[io.METRIC_COLUMNS]
    frame["year"] = frame["year"].astype("Int64")
    return frame


def as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame as the all-text table a CSV reads into (what ``geo.data.validate`` checks)."""
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if column in ("year", "end_year", "quarter"):
            out[column] = ["" if pd.isna(v) else str(int(v)) for v in values]
        else:  # an empty number (a figure without a target) is an empty cell
            out[column] = ["" if pd.isna(v) else str(v) for v in values]
    return out


def _records(frame: pd.DataFrame, stamp: str) -> list[dict]:
    records = frame.astype(object).where(frame.notna(), None).to_dict("records")
    for record in records:
        record.update(version=1, updated_at=stamp, updated_by=USER)
    return records


def write_store(state_dir: Path, sites: pd.DataFrame, metrics: pd.DataFrame | None = None) -> Path:
    """A store in ``state_dir`` (named as the app expects) holding ``sites`` (and ``metrics``).

    The store is seeded from ``data/`` first (alliances stay), then its sites (and metrics)
    are replaced by a bulk insert and its data version is bumped. Returns the SQLite file.
    """
    state_dir = Path(state_dir)
    state_dir.mkdir(parents=True, exist_ok=True)
    path = state_dir / STORE_FILE
    store = Store.open(f"sqlite:///{path}")
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    with store.engine.begin() as conn:
        conn.execute(sites_table.delete())
        conn.execute(sites_table.insert(), _records(sites, stamp))
        if metrics is not None:
            conn.execute(metrics_table.delete())
            conn.execute(metrics_table.insert(), _records(metrics, stamp))
        conn.execute(
            meta_table.update()
            .where(meta_table.c.key == "data_version")
            .values(value=sa.cast(sa.cast(meta_table.c.value, sa.Integer) + 1, sa.Text))
        )
    store.engine.dispose()
    return path
