"""Comparing normalised records with the store: what an import adds, changes or leaves.

And which rows were exported before someone else changed the record (stale).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from geo.data.validate import Issue
from geo.store.records import Change

_NUMERIC = {"lon", "lat", "value", "year", "end_year", "quarter", "target"}


def same(stored: dict, new: dict, columns: list[str]) -> bool:
    """Whether ``new`` says what ``stored`` holds.

    Parameters
    ----------
    stored, new
        A stored record and a normalised one (field -> value).
    columns
        The fields compared: ``lon``, ``lat`` (WGS-84 degrees), ``value``, ``year``,
        ``end_year``, ``quarter`` and ``target`` as numbers (equal within 1e-7; empty, None,
        NaN and NA are equal to each other only), the rest as text (None and ``""`` alike).

    Returns
    -------
    bool
        True if every field in ``columns`` agrees.
    """
    for column in columns:
        a, b = stored.get(column), new.get(column)
        if column in _NUMERIC:
            a, b = _number(a, float), _number(b, float)
            if a is None or b is None:
                if a is not b:
                    return False
            elif abs(a - b) > 1e-7:
                return False
        elif str(a or "") != str(b or ""):
            return False
    return True


def typed(entity: str, record: dict) -> dict:
    """A normalised record with the store's types.

    Parameters
    ----------
    entity
        ``sites``, ``metrics`` or ``alliances``.
    record
        A normalised record (text values).

    Returns
    -------
    dict
        A copy with ``year``, ``end_year`` and ``quarter`` as int (None if blank) and, for
        ``metrics``, ``value`` as float and ``target`` as float (None if blank).
    """
    out = dict(record)
    for column in ("year", "end_year", "quarter"):
        if column in out:
            out[column] = _number(out[column], int)
    if entity == "metrics":
        out["value"] = float(out["value"])
        if "target" in out:
            out["target"] = _number(out["target"], float)
    return out


def _number(value: object, kind: type) -> int | float | None:
    """``kind`` of a cell's text, None for a blank (or NaN/NA) one."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    text = str(value).strip()
    return kind(float(text)) if text else None


@dataclass
class Diff:
    """The changes for one entity, with counts and the stale rows' issues."""

    changes: list[Change] = field(default_factory=list)
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    issues: list[Issue] = field(default_factory=list)


def diff(
    entity: str,
    records: list[dict],
    numbers: list[tuple[str, int]],
    versions: list[int | None],
    stored: pd.DataFrame,
    columns: list[str],
    version_headers: dict[str, str],
) -> Diff:
    """What importing ``records`` changes in the store.

    Parameters
    ----------
    entity
        ``sites``, ``metrics`` or ``alliances``.
    records
        The normalised records, each with its ``id``.
    numbers
        (sheet label, row number) per record, for the messages.
    versions
        The ``version`` each row was exported with, or None for a row without one.
    stored
        The store's records of ``entity`` (with ``id`` and ``version``).
    columns
        The fields compared (:func:`same`).
    version_headers
        Sheet label -> the header of its version column, for the messages.

    Returns
    -------
    Diff
        Inserts for new ids, updates (expecting the stored version) for changed records,
        nothing for the same, with the counts; a changed row whose ``version`` is not the
        stored one is stale (someone changed the record since the export): it gets a
        ``stale_version`` issue instead of an update.
    """
    current = {r["id"]: r for r in stored.to_dict("records")}
    out = Diff()
    for record, (label, number), version in zip(records, numbers, versions, strict=True):
        record = typed(entity, record)
        old = current.get(record["id"])
        if old is None:
            out.changes.append(Change(entity, "insert", record))
            out.added += 1
        elif same(old, record, columns):
            out.unchanged += 1
        elif version is not None and version != old["version"]:
            header = version_headers.get(label, "version")
            out.issues.append(Issue(label, number, header, str(version), "stale_version"))
        else:
            out.changes.append(Change(entity, "update", record, old["version"]))
            out.changed += 1
    return out
