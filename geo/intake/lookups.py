"""Everything a ledger cell may name, mapped to the stored code (any case, Chinese or English).

Kinds, precisions and the figures' vocabularies from the labels; subdistricts,
villages/communities and programs from the one gazetteer (:mod:`geo.data.gazetteer`), which the
URL's
filters and the boundary loader use too.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

from geo.config import DATA_DIR
from geo.data import io, validate
from geo.data.gazetteer import Gazetteer, code_names
from geo.reports.sheets import ALLIANCE_KIND_LABELS, PRECISION_SHORT, QUALIFIER_LABELS, SCOPE_LABELS
from geo.text import vocab
from geo.text.labels import KIND_LABELS, PRECISION_LABELS

#: How ledgers name kinds of site, beyond the labels (a ledger's wording, not new kinds).
KIND_WORDS = {
    "village": ("行政村", "村委会", "村党支部"),
    "community": ("居委会", "社区居委会", "社区党委", "社区党支部"),
    "service_center": ("党群服务站", "党群服务中心（站）", "党群活动中心", "党群服务阵地"),
    "station": (
        "驿站",
        "新就业群体驿站",
        "骑手驿站",
        "快递小哥驿站",
        "户外劳动者驿站",
        "爱心驿站",
        "暖心驿站（新就业群体）",
    ),
    "demo_site": ("党建示范点", "示范基地", "党建示范基地"),
    "industry": ("产业基地", "产业项目", "产业"),
}


def key_of(text: str) -> str:
    """How cell text is compared.

    Parameters
    ----------
    text
        A cell (converted with ``str``).

    Returns
    -------
    str
        NFKC-normalised (full-width as half-width), lower case, runs of spaces as one,
        stripped.
    """
    return " ".join(unicodedata.normalize("NFKC", str(text)).split()).lower()


def _table(pairs) -> dict[str, str]:
    return {key_of(k): v for k, v in pairs if str(k).strip()}


class NameTable:
    """A vocabulary answered by the gazetteer: ``get(text)`` as a dict's, for any form of a name."""

    def __init__(self, find) -> None:
        self._find = find

    def get(self, text: str, default=None):
        """What ``text`` names, or ``default``.

        Parameters
        ----------
        text
            A cell's text (any form the gazetteer knows).
        default
            Returned when it names nothing.

        Returns
        -------
        object
            The code (or codes), else ``default``.
        """
        return self._find(text) or default

    def __contains__(self, text: object) -> bool:
        return bool(self._find(text))

    def __getitem__(self, text: str):
        found = self._find(text)
        if not found:
            raise KeyError(text)
        return found


@dataclass(frozen=True)
class Lookups:
    """Vocabularies, the gazetteer and the subdistricts' estimated seats.

    Each vocabulary maps :func:`key_of` of a word a cell may hold to the stored code;
    ``units`` maps a unit's name or alias to every 12-digit code it may mean (a name may be
    shared); ``seats`` maps a 9-digit subdistrict code to its seat (lon, lat), WGS-84
    (EPSG:4326, degrees).
    """

    kinds: dict[str, str]
    programs: NameTable
    subdistricts: NameTable
    units: NameTable
    unit_parent: dict[str, str]
    unit_names: dict[str, str]
    seats: dict[str, tuple[float, float]]
    precisions: dict[str, str]
    qualifiers: dict[str, str]
    scopes: dict[str, str]
    alliance_kinds: dict[str, str]
    gazetteer: validate.References
    names: Gazetteer

    @classmethod
    def load(cls, data_dir: Path = DATA_DIR) -> Lookups:
        """The lookups of the gazetteer and vocabularies in ``data_dir``.

        Parameters
        ----------
        data_dir
            The data folder; :data:`geo.config.DATA_DIR` by default.

        Returns
        -------
        Lookups
            Built from ``programs.csv``, ``subdistricts.csv``, ``units.csv`` (through
            :class:`geo.data.gazetteer.Gazetteer`), :mod:`geo.text.vocab` and the labels of
            :mod:`geo.text.labels` and :mod:`geo.reports.sheets`.
        """
        programs = io.load_programs(data_dir)
        subdistricts = io.load_subdistricts(data_dir)
        units = io.load_units(data_dir)
        names = Gazetteer.from_frames(subdistricts, units, programs)
        return cls(
            kinds=_table(
                [(k, k) for k in vocab.KINDS]
                + [(label, k) for k, labels in KIND_LABELS.items() for label in labels]
                + [(word, k) for k, words in KIND_WORDS.items() for word in words]
            ),
            programs=NameTable(names.program),
            subdistricts=NameTable(names.subdistrict),
            units=NameTable(lambda text: list(names.units(text))),
            unit_parent=code_names(units, "subdistrict_code"),
            unit_names=code_names(units, "short_name"),
            seats={
                c: (x, y)
                for c, x, y in zip(
                    subdistricts["code"],
                    subdistricts["seat_lon"],
                    subdistricts["seat_lat"],
                    strict=True,
                )
            },
            precisions=_table(
                [(p, p) for p in vocab.PRECISIONS]
                + [(v, k) for k, v in PRECISION_SHORT.items()]
                + [(label, k) for k, labels in PRECISION_LABELS.items() for label in labels]
            ),
            qualifiers=_table(
                [(q, q) for q in vocab.QUALIFIERS]
                + [(v, k) for k, v in QUALIFIER_LABELS.items()]
                + [("+", "at_least"), ("以上", "at_least"), ("以下", "at_most")]
            ),
            scopes=_table(
                [(s, s) for s in vocab.SCOPE_TYPES] + [(v, k) for k, v in SCOPE_LABELS.items()]
            ),
            alliance_kinds=_table(
                [(a, a) for a in vocab.ALLIANCE_KINDS]
                + [(v, k) for k, v in ALLIANCE_KIND_LABELS.items()]
            ),
            gazetteer=validate.References.from_frames(subdistricts, units, programs),
            names=names,
        )

    def subdistrict_of_title(self, title: str) -> str | None:
        """The subdistrict a sheet's title names, if any.

        Parameters
        ----------
        title
            A sheet's title (``党家街道``, ``党家``, a code).

        Returns
        -------
        str or None
            The 9-digit code, or None if the title names no subdistrict.
        """
        return self.subdistricts.get(key_of(title))
