"""Comparing normalised records with the store: what an import adds, changes or leaves, and
which rows were exported before someone else changed the record (stale)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from geo.store import Change
from geo.validate import Issue

_NUMERIC = {"lon", "lat", "value", "year"}


def same(stored: dict, new: dict, columns: list[str]) -> bool:
    """Whether ``new`` says what ``stored`` holds (numbers to 1e-7, text as text)."""
    for column in columns:
        a, b = stored.get(column), new.get(column)
        if column in _NUMERIC:
            a = None if a is None or a == "" or a != a else float(a)
            b = None if b is None or b == "" or b != b else float(b)
            if a is None or b is None:
                if a is not b:
                    return False
            elif abs(a - b) > 1e-7:
                return False
        elif str(a or "") != str(b or ""):
            return False
    return True


def typed(entity: str, record: dict) -> dict:
    """A normalised record with the store's types (year as int, a figure's value as float)."""
    out = dict(record)
    if "year" in out:
        out["year"] = int(out["year"]) if str(out.get("year", "")).strip() else None
    if entity == "metrics":
        out["value"] = float(out["value"])
    return out


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
    """Inserts for new ids, updates for changed records, nothing for the same; a row whose
    ``version`` is not the stored one is stale (someone changed it since the export).

    ``numbers`` are (sheet label, row number) per record, for the messages.
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
