"""Everything a ledger cell may name, mapped to the stored code (any case, Chinese or English).

Kinds, programs, subdistricts, villages/communities, precisions and the figures'
vocabularies, from the gazetteer and the labels.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

from geo import io, validate, vocab
from geo.config import DATA_DIR
from geo.labels import KIND_LABELS, PRECISION_LABELS
from geo.sheets import ALLIANCE_KIND_LABELS, PRECISION_SHORT, QUALIFIER_LABELS, SCOPE_LABELS

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


@dataclass(frozen=True)
class Lookups:
    """Vocabularies, the gazetteer and the subdistricts' estimated seats.

    Each vocabulary maps :func:`key_of` of a word a cell may hold to the stored code;
    ``units`` maps a unit's name or alias to every 12-digit code it may mean (a name may be
    shared); ``seats`` maps a 9-digit subdistrict code to its seat (lon, lat), WGS-84
    (EPSG:4326, degrees).
    """

    kinds: dict[str, str]
    programs: dict[str, str]
    subdistricts: dict[str, str]
    units: dict[str, list[str]]
    unit_parent: dict[str, str]
    unit_names: dict[str, str]
    seats: dict[str, tuple[float, float]]
    precisions: dict[str, str]
    qualifiers: dict[str, str]
    scopes: dict[str, str]
    alliance_kinds: dict[str, str]
    gazetteer: validate.Gazetteer

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
            Built from ``programs.csv``, ``subdistricts.csv``, ``units.csv``, :mod:`geo.vocab`
            and the labels of :mod:`geo.labels` and :mod:`geo.sheets`.
        """
        programs = io.load_programs(data_dir)
        subdistricts = io.load_subdistricts(data_dir)
        units = io.load_units(data_dir)
        unit_aliases: dict[str, list[str]] = {}
        for code, name, short in zip(
            units["code"], units["name"], units["short_name"], strict=True
        ):
            bare = short.removesuffix("社区").removesuffix("村")
            for alias in {code, name, short, short.removesuffix("社区"), bare}:
                if alias:
                    unit_aliases.setdefault(key_of(alias), []).append(code)
        names = list(zip(subdistricts["name"], subdistricts["code"], strict=True))
        return cls(
            kinds=_table(
                [(k, k) for k in vocab.KINDS]
                + [(label, k) for k, labels in KIND_LABELS.items() for label in labels]
                + [(word, k) for k, words in KIND_WORDS.items() for word in words]
            ),
            programs=_table(
                [(k, k) for k in programs["key"]]
                + list(zip(programs["name_zh"], programs["key"], strict=True))
                + list(zip(programs["name_en"], programs["key"], strict=True))
            ),
            subdistricts=_table(
                [(c, c) for c in subdistricts["code"]]
                + list(zip(subdistricts["code_12"], subdistricts["code"], strict=True))
                + names
                + [(name.removesuffix("街道") + "街道办事处", code) for name, code in names]
                + [(name + "办事处", code) for name, code in names]
                + list(zip(subdistricts["short_name"], subdistricts["code"], strict=True))
            ),
            units={k: sorted(set(v)) for k, v in unit_aliases.items()},
            unit_parent=dict(zip(units["code"], units["subdistrict_code"], strict=True)),
            unit_names=dict(zip(units["code"], units["short_name"], strict=True)),
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
            gazetteer=validate.Gazetteer.from_frames(subdistricts, units, programs),
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
