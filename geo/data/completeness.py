"""How completely the records are placed, per subdistrict, and what is still to place.

Per subdistrict: the villages/communities placed, the sites located exactly, by their
village/community, or only to their subdistrict's seat, and the share of sites verified on the
spot (核实) in the last 12 months.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from geo.text.labels import t

#: Site placements (geo.data.dataset.place_sites) counted apart.
_OWN, _UNIT, _SEAT = "own", "unit", "seat"


#: A verification counts for this long (months): a site not visited since is to verify again.
VERIFIED_MONTHS = 12


def verified_recently(sites: pd.DataFrame, today: date | None = None) -> pd.Series:
    """Whether each site was verified in the last :data:`VERIFIED_MONTHS` months.

    Parameters
    ----------
    sites
        The dataset's sites; ``verified_on`` (``YYYY-MM-DD``, empty if never; see
        :func:`geo.data.dataset.with_verifications`). Without the column, none is.
    today
        The day to count back from; None for today.

    Returns
    -------
    pandas.Series of bool
        Indexed like ``sites``.
    """
    if "verified_on" not in sites:
        return pd.Series(False, index=sites.index)
    since = pd.Timestamp(today or date.today()) - pd.DateOffset(months=VERIFIED_MONTHS)
    when = pd.to_datetime(sites["verified_on"].replace("", None), errors="coerce")
    return (when >= since).fillna(False).astype(bool)


def verified_share(sites: pd.DataFrame, today: date | None = None) -> tuple[int, int]:
    """How many of ``sites`` were verified in the last 12 months, of how many.

    Parameters
    ----------
    sites
        As :func:`verified_recently`.
    today
        The day to count back from; None for today.

    Returns
    -------
    tuple of (int, int)
        ``(verified, total)``.
    """
    return int(verified_recently(sites, today).sum()), len(sites)


def _share(verified: int, total: int, lang: str) -> str:
    return t("share_of", lang, v=verified, n=total, p=f"{verified / total:.0%}") if total else "–"


def to_verify(sites: pd.DataFrame, today: date | None = None) -> pd.DataFrame:
    """The sites not verified in the last 12 months, longest unverified first (never first).

    Parameters
    ----------
    sites
        As :func:`verified_recently` (``id``, ``name``, ``subdistrict_code``).
    today
        The day to count back from; None for today.

    Returns
    -------
    pandas.DataFrame
        ``id``, ``name``, ``subdistrict_code``, ``verified_on`` (empty if never).
    """
    columns = ["id", "name", "subdistrict_code", "verified_on"]
    left = sites[~verified_recently(sites, today)]
    left = left.assign(verified_on=left.get("verified_on", pd.Series("", index=left.index)))
    return left[columns].sort_values("verified_on", kind="stable").reset_index(drop=True)


def location_completeness(
    sites: pd.DataFrame,
    units: pd.DataFrame,
    subdistricts: pd.DataFrame,
    lang: str = "zh",
    today: date | None = None,
) -> pd.DataFrame:
    """The placement table: one row per subdistrict and a district total.

    Parameters
    ----------
    sites
        The dataset's sites (with ``placement`` and ``subdistrict_code``; see
        :func:`geo.data.dataset.place_sites`).
    units
        The dataset's units (``subdistrict_code``; ``lon`` NaN where not placed).
    subdistricts
        The gazetteer (``code``, ``name``), in its order.
    lang
        ``"zh"`` or ``"en"``: the language of the headers and of the total's name (another
        value raises ValueError).
    today
        The day the 12 months of verification count back from; None for today.

    Returns
    -------
    pandas.DataFrame
        Headers in ``lang``: the subdistrict's name; units placed of all (``"p / n"``); sites
        with their own coordinates; placed by their unit; only at a seat; sites verified in
        the last 12 months of all (``"v / n（p%）"``); the 9-digit code (``""`` for the
        total). Sites whose ``subdistrict_code`` is not a subdistrict (the
        district's) get a row of their own before the total.
    """
    placed = units.assign(placed=units["lon"].notna())
    recent = sites.assign(recent=verified_recently(sites, today))
    verified = recent.groupby("subdistrict_code")["recent"].agg(["sum", "size"])
    unit_counts = placed.groupby("subdistrict_code")["placed"].agg(["sum", "size"])
    site_counts = (
        sites.groupby(["subdistrict_code", "placement"]).size().unstack(fill_value=0)
        if len(sites)
        else pd.DataFrame()
    )
    rows = []
    known = set(subdistricts["code"])
    others = [c for c in site_counts.index if c not in known] if len(site_counts) else []
    streets = list(zip(subdistricts["code"], subdistricts["name"], strict=True))
    if others:  # sites of the whole district (no subdistrict): a row of their own
        streets += [(code, t("district_wide", lang)) for code in others]
    for code, name in streets:
        counts = site_counts.loc[code] if code in site_counts.index else {}
        rows.append(
            {
                "code": code,
                "name": name,
                "units_placed": int(unit_counts["sum"].get(code, 0)),
                "units": int(unit_counts["size"].get(code, 0)),
                _OWN: int(counts.get(_OWN, 0)),
                _UNIT: int(counts.get(_UNIT, 0)),
                _SEAT: int(counts.get(_SEAT, 0)),
                "verified": int(verified["sum"].get(code, 0)),
                "sites": int(verified["size"].get(code, 0)),
            }
        )
    frame = pd.DataFrame(rows)
    total = {"code": "", "name": t("total", lang)} | {
        c: int(frame[c].sum())
        for c in ("units_placed", "units", _OWN, _UNIT, _SEAT, "verified", "sites")
    }
    frame = pd.concat([frame, pd.DataFrame([total])], ignore_index=True)
    return pd.DataFrame(
        {
            t("field_subdistrict", lang): frame["name"],
            t("completeness_units", lang): [
                f"{p} / {n}" for p, n in zip(frame["units_placed"], frame["units"], strict=True)
            ],
            t("completeness_own", lang): frame[_OWN],
            t("completeness_by_unit", lang): frame[_UNIT],
            t("completeness_seat", lang): frame[_SEAT],
            t("completeness_verified", lang): [
                _share(v, n, lang) for v, n in zip(frame["verified"], frame["sites"], strict=True)
            ],
            t("col_subdistrict_code", lang): frame["code"],
        }
    )


def to_place(sites: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """What is still to place, in the order of ``units`` and then of ``sites``.

    Parameters
    ----------
    sites
        The dataset's sites (``placement``: those at ``seat`` count; without the column, none).
    units
        The dataset's units (``lon`` NaN where not placed).

    Returns
    -------
    pandas.DataFrame
        Columns ``what`` (``unit`` or ``site``), ``id`` (12-digit unit code or site id),
        ``name`` (a unit's short name), ``subdistrict_code``: every unit without a position,
        then every site drawn only at its subdistrict's (or the district's) seat.
    """
    open_units = units[units["lon"].isna()]
    open_sites = sites[sites["placement"] == _SEAT] if "placement" in sites else sites.iloc[0:0]
    return pd.concat(
        [
            pd.DataFrame(
                {
                    "what": "unit",
                    "id": open_units["code"],
                    "name": open_units["short_name"],
                    "subdistrict_code": open_units["subdistrict_code"],
                }
            ),
            pd.DataFrame(
                {
                    "what": "site",
                    "id": open_sites["id"],
                    "name": open_sites["name"],
                    "subdistrict_code": open_sites["subdistrict_code"],
                }
            ),
        ],
        ignore_index=True,
    )
