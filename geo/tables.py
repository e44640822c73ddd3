"""Records as people read them: headers in their language, names instead of codes, readable
citations; the codes kept as columns of their own (for machines) at the end."""

from __future__ import annotations

import pandas as pd

from geo import citations, io
from geo.labels import field_label, kind_label, localized, precision_label, t


def _names(codes: pd.Series, table: dict[str, str]) -> list[str]:
    return [table.get(c, c) if c else "" for c in codes.fillna("").astype(str)]


def _programs(values: pd.Series, programs: pd.DataFrame, lang: str) -> list[str]:
    names = dict(zip(programs["key"], programs[localized("name", lang)], strict=True))
    separator = "、" if lang == "zh" else "; "
    return [separator.join(names.get(p, p) for p in io.split_list(v)) for v in values.fillna("")]


def sites_for_people(
    sites: pd.DataFrame,
    subdistricts: pd.DataFrame,
    units: pd.DataFrame,
    programs: pd.DataFrame,
    sources: pd.DataFrame,
    lang: str = "zh",
) -> pd.DataFrame:
    """``sites`` (store columns, optionally ``placement``) with people's headers and names.

    Parameters
    ----------
    sites
        Site records; ``lon``/``lat`` are WGS-84 degrees.
    subdistricts, units, programs, sources
        The gazetteer, vocabulary and documents the codes and source references name.
    lang
        ``zh`` or ``en``.

    Returns
    -------
    pandas.DataFrame
        Name, kind, subdistrict, village/community, programs, year, precision, (how it is
        placed), longitude, latitude, source (a readable citation), description; then the
        id and the codes.
    """
    streets = dict(zip(subdistricts["code"], subdistricts["name"], strict=True))
    unit_names = dict(zip(units["code"], units["short_name"], strict=True))
    out = {
        field_label("name", lang): sites["name"].to_numpy(),
        field_label("kind", lang): [kind_label(k, lang) for k in sites["kind"]],
        field_label("subdistrict", lang): _names(sites["subdistrict_code"], streets),
        field_label("unit", lang): _names(sites["unit_code"], unit_names),
        field_label("programs", lang): _programs(sites["programs"], programs, lang),
        field_label("year", lang): sites["year"].to_numpy(),
        field_label("location_precision", lang): [
            precision_label(p, lang) for p in sites["location_precision"]
        ],
    }
    if "placement" in sites:
        out[t("col_placement", lang)] = [t(f"placement_{p}", lang) for p in sites["placement"]]
    out |= {
        field_label("lon", lang): sites["lon"].to_numpy(),
        field_label("lat", lang): sites["lat"].to_numpy(),
        field_label("source", lang): citations.cite_column(sites["source"], sources, lang),
        field_label("description", lang): sites["description"].to_numpy(),
    }
    if "inferred" in sites:
        out[t("field_inferred", lang)] = [
            t("inferred_yes" if bool(v) else "inferred_no", lang) for v in sites["inferred"]
        ]
    out |= {
        t("col_id", lang): sites["id"].to_numpy(),
        t("col_subdistrict_code", lang): sites["subdistrict_code"].to_numpy(),
        t("col_unit_code", lang): sites["unit_code"].to_numpy(),
        t("col_program_keys", lang): sites["programs"].to_numpy(),
    }
    return pd.DataFrame(out, index=sites.index)


def units_for_people(
    units: pd.DataFrame, subdistricts: pd.DataFrame, sources: pd.DataFrame, lang: str = "zh"
) -> pd.DataFrame:
    """Villages and communities with their placed position (if any), for people."""
    streets = dict(zip(subdistricts["code"], subdistricts["name"], strict=True))
    placed = units["lon"].notna() if "lon" in units else pd.Series(False, index=units.index)
    return pd.DataFrame(
        {
            field_label("name", lang): units["short_name"].to_numpy(),
            field_label("kind", lang): [
                kind_label("village" if k == "village" else "community", lang)
                for k in units["unit_type"]
            ],
            field_label("subdistrict", lang): _names(units["subdistrict_code"], streets),
            t("col_placed", lang): [t("yes" if p else "no", lang) for p in placed],
            field_label("lon", lang): units.get("lon", pd.Series(index=units.index)).to_numpy(),
            field_label("lat", lang): units.get("lat", pd.Series(index=units.index)).to_numpy(),
            field_label("location_precision", lang): [
                precision_label(p, lang) if p else ""
                for p in units.get("location_precision", pd.Series("", index=units.index))
            ],
            field_label("source", lang): [
                text if was_placed else ""
                for text, was_placed in zip(
                    citations.cite_column(
                        units.get("location_source", pd.Series("", index=units.index)),
                        sources,
                        lang,
                    ),
                    placed,
                    strict=True,
                )
            ],
            t("col_unit_code", lang): units["code"].to_numpy(),
        },
        index=units.index,
    )
