"""One gazetteer: every way people write the district's subdistricts, villages, communities and
programs, mapped to the stored code.

The URL's filters, the boundary loader and the ledger import all look names up here, so a name
that works in one works in the others. A value is compared after :func:`name_key` (NFKC, so
full-width letters, digits and punctuation read as their ASCII forms; every kind of space,
U+3000 included, removed; quotes removed; lower case). Automatic matches are exact matches of
that key against the known forms, and nothing else:

- subdistricts: the 9- and 12-digit codes, the name, the short name, the name before the
  2022→2023 changes (``name_alt``), pinyin, with or without 街道/街道办事处/办事处/街办 and the
  district's prefixes (山东省, 济南市, 市中区);
- villages and communities: the 12-digit code, the official name (…社区居民委员会), the short
  name, the name of 2022, and each with or without 村委会, 居委会, 社区居委会, 村民委员会,
  居民委员会 (``春元里社区居委会``, ``土屋村村委会``, ``大庙屯``), after a district or
  subdistrict prefix;
- programs: the key, the Chinese and English names, and the short forms of
  :data:`PROGRAM_FORMS` (``新就业群体`` for 新就业群体党建, ``第一书记`` for 第一书记帮村).

A value that matches nothing is never guessed: :meth:`Gazetteer.candidates` ranks the closest
forms for a person to choose from. The shipped gazetteer is
``geo.intake.ledger.Lookups.load().names``
(this module reads no file: the reference tables are passed in).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

import pandas as pd

DISTRICT_PREFIXES = ("山东省", "济南市", "市中区")
SUBDISTRICT_SUFFIXES = ("街道办事处", "街道办", "办事处", "街道", "街办")
UNIT_SUFFIXES = (
    "社区居民委员会",
    "社区居委会",
    "村民委员会",
    "居民委员会",
    "村委会",
    "居委会",
)
#: Short forms of the programs as ledgers write them (beside the key and both names).
PROGRAM_FORMS: dict[str, tuple[str, ...]] = {
    "first_secretary": ("第一书记", "选派第一书记", "第一书记帮扶"),
    "enterprise_link": ("企业联村", "企业团体联村帮扶"),
    "cross_village": ("跨村联建示范",),
    "consortium": ("联合体", "党建联盟"),
    "five_models": ("五种模式", "村集体经济五种模式", "集体经济五种模式"),
    "one_village_one_product": ("一村一品示范",),
    "red_property": ("红色物业党建",),
    "new_employment": ("新就业群体", "新就业", "新业态新就业群体", "新就业群体党建工作"),
    "two_new_demo": ("两新组织", "两新党建", "两新组织党建", "两新示范点"),
    "service_center": ("党群服务站", "党群服务阵地"),
    "community_brand": ("社区品牌", "社区党建"),
    "cadre_exchange": ("挂职", "干部挂职", "挂职锻炼"),
}
_QUOTES = re.compile(r"[\"'“”‘’「」『』]")


def code_names(table: pd.DataFrame, value: str = "name", key: str = "code") -> dict[str, str]:
    """The one code -> name dictionary of a gazetteer table.

    Parameters
    ----------
    table
        The subdistricts or units (``code``) or the programs (``key``) or sources.
    value
        The column read for each code: ``name``, ``short_name``, ``name_zh``/``name_en``
        (:func:`geo.text.labels.localized`), ``color``, ``subdistrict_code``...
    key
        The column of the codes: ``code`` (subdistricts, units) or ``key`` (programs).

    Returns
    -------
    dict of str to str
        ``table[key]`` -> ``table[value]``, in the table's order.
    """
    return dict(zip(table[key], table[value], strict=True))


def name_key(text: object) -> str:
    """How a written name is compared.

    Parameters
    ----------
    text
        A name as written (None reads as ``""``).

    Returns
    -------
    str
        NFKC-normalised (full-width as half-width), without any whitespace or quotes, lower
        case: ``"春元里 社区居委会"`` -> ``"春元里社区居委会"``, ``"Ｄａ Guan Yuan"`` ->
        ``"daguanyuan"``.
    """
    normal = unicodedata.normalize("NFKC", "" if text is None else str(text))
    return _QUOTES.sub("", "".join(normal.split())).lower()


def _strip_prefixes(key: str, prefixes: tuple[str, ...]) -> str:
    changed = True
    while changed:
        changed = False
        for prefix in prefixes:
            if key.startswith(prefix) and len(key) > len(prefix):
                key, changed = key[len(prefix) :], True
    return key


def _strip_suffix(key: str, suffixes: tuple[str, ...]) -> str:
    for suffix in suffixes:
        if key.endswith(suffix) and len(key) > len(suffix):
            return key[: -len(suffix)]
    return key


@dataclass(frozen=True)
class Gazetteer:
    """Names of the subdistricts, villages/communities and programs, and their forms.

    ``subdistrict_names``, ``unit_names`` and ``program_names`` map each code to the name a
    person reads (in the tables' order); the ``*_keys`` map :func:`name_key` of each known form
    to the code(s); ``unit_parent`` maps a 12-digit unit code to its 9-digit subdistrict.
    """

    subdistrict_names: dict[str, str]
    subdistrict_keys: dict[str, str]
    unit_names: dict[str, str]
    unit_keys: dict[str, tuple[str, ...]]
    unit_parent: dict[str, str]
    program_names: dict[str, str]
    program_keys: dict[str, str]

    @classmethod
    def from_frames(
        cls, subdistricts: pd.DataFrame, units: pd.DataFrame, programs: pd.DataFrame
    ) -> Gazetteer:
        """The gazetteer of the reference tables.

        Parameters
        ----------
        subdistricts
            ``subdistricts.csv``: ``code``, ``name``; ``code_12``, ``short_name``,
            ``name_alt`` and ``pinyin`` are forms if present.
        units
            ``units.csv``: ``code``, ``name``, ``short_name``, ``subdistrict_code``;
            ``name_2022`` is a form if present. May be empty.
        programs
            ``programs.csv``: ``key``, ``name_zh``; ``name_en`` is a form if present.

        Returns
        -------
        Gazetteer
            Every form of :mod:`geo.data.gazetteer`'s rules; where two codes share a form, the
            first subdistrict or program wins, and a unit form keeps every code.
        """
        sub_keys: dict[str, str] = {}
        for row in subdistricts.to_dict("records"):
            code = row["code"]
            forms = [code, row.get("code_12"), row["name"], row.get("short_name")]
            forms += [row.get("name_alt"), row.get("pinyin")]
            for form in forms:
                key = name_key(form) if form is not None and form == form else ""
                if key:
                    sub_keys.setdefault(key, code)
                    sub_keys.setdefault(_strip_suffix(key, SUBDISTRICT_SUFFIXES), code)
        unit_keys: dict[str, list[str]] = {}
        for row in units.to_dict("records"):
            code, short = row["code"], str(row.get("short_name") or "")
            bare = short.removesuffix("社区").removesuffix("村")
            forms = {code, row["name"], short, short.removesuffix("社区"), bare}
            forms.add(str(row.get("name_2022") or ""))
            for form in forms:
                key = name_key(form)
                for variant in (key, _strip_suffix(key, UNIT_SUFFIXES)):
                    if variant and code not in unit_keys.setdefault(variant, []):
                        unit_keys[variant].append(code)
        program_keys: dict[str, str] = {}
        for row in programs.to_dict("records"):
            key = row["key"]
            forms = [key, row["name_zh"], row.get("name_en"), *PROGRAM_FORMS.get(key, ())]
            for form in forms:
                if form is not None and form == form and name_key(form):
                    program_keys.setdefault(name_key(form), key)
        return cls(
            subdistrict_names=code_names(subdistricts),
            subdistrict_keys=sub_keys,
            unit_names=dict(zip(units.get("code", []), units.get("short_name", []), strict=True)),
            unit_keys={k: tuple(v) for k, v in unit_keys.items()},
            unit_parent=dict(
                zip(units.get("code", []), units.get("subdistrict_code", []), strict=True)
            ),
            program_names=code_names(programs, "name_zh", key="key"),
            program_keys=program_keys,
        )

    @classmethod
    def of_subdistricts(cls, names: dict[str, str]) -> Gazetteer:
        """A gazetteer of subdistricts alone, from their codes and names.

        Parameters
        ----------
        names
            9-digit code -> official name.

        Returns
        -------
        Gazetteer
            With no villages/communities and no programs.
        """
        subdistricts = pd.DataFrame({"code": list(names), "name": list(names.values())})
        units = pd.DataFrame(columns=["code", "name", "short_name", "subdistrict_code"])
        return cls.from_frames(subdistricts, units, pd.DataFrame(columns=["key", "name_zh"]))

    def subdistrict(self, text: object) -> str | None:
        """The 9-digit code of the subdistrict ``text`` names, or None.

        Parameters
        ----------
        text
            A code (9 or 12 digits) or a name in any known form.

        Returns
        -------
        str or None
            The code; None if ``text`` names none (or is empty).
        """
        key = name_key(text)
        if not key:
            return None
        found = self.subdistrict_keys.get(key)
        if found is None:
            bare = _strip_prefixes(key, DISTRICT_PREFIXES)
            found = self.subdistrict_keys.get(bare) or self.subdistrict_keys.get(
                _strip_suffix(bare, SUBDISTRICT_SUFFIXES)
            )
        return found

    def units(self, text: object) -> tuple[str, ...]:
        """The 12-digit codes of every village or community ``text`` may name.

        Parameters
        ----------
        text
            A code or a name in any known form, after an optional district and subdistrict
            prefix (``党家街道土屋村``).

        Returns
        -------
        tuple of str
            The codes (several where units share a name); empty if it names none.
        """
        key = name_key(text)
        if not key:
            return ()
        for candidate in (key, _strip_prefixes(key, DISTRICT_PREFIXES)):
            for variant in (candidate, _strip_suffix(candidate, UNIT_SUFFIXES)):
                if variant in self.unit_keys:
                    return self.unit_keys[variant]
            # a subdistrict's name before the unit's (党家街道土屋村)
            for code, name in self.subdistrict_names.items():
                for prefix in (name_key(name), name_key(name.removesuffix("街道"))):
                    if candidate.startswith(prefix) and len(candidate) > len(prefix):
                        rest = candidate[len(prefix) :]
                        for variant in (rest, _strip_suffix(rest, UNIT_SUFFIXES)):
                            inside = [c for c in self.unit_keys.get(variant, ()) if c[:9] == code]
                            if inside:
                                return tuple(inside)
        return ()

    def program(self, text: object) -> str | None:
        """The key of the program ``text`` names, or None.

        Parameters
        ----------
        text
            A key, a Chinese or English name, or a short form of :data:`PROGRAM_FORMS`.

        Returns
        -------
        str or None
            The program's key; None if ``text`` names none.
        """
        return self.program_keys.get(name_key(text)) if name_key(text) else None

    def candidates(
        self, what: str, text: object, within: str = "", limit: int = 5
    ) -> list[tuple[str, str]]:
        """The closest codes to an unmatched value, for a person to choose from.

        Parameters
        ----------
        what
            ``"subdistrict"``, ``"unit"`` or ``"program"``.
        text
            The value as written.
        within
            For units: a 9-digit subdistrict code whose units come first.
        limit
            At most this many.

        Returns
        -------
        list of (str, str)
            ``(code, name)``, closest first (by similarity of any known form; a form that holds
            the value or is held by it ranks high).

        Raises
        ------
        ValueError
            For another ``what``.
        """
        tables = {
            "subdistrict": (
                {k: (v,) for k, v in self.subdistrict_keys.items()},
                self.subdistrict_names,
            ),
            "unit": (self.unit_keys, self.unit_names),
            "program": ({k: (v,) for k, v in self.program_keys.items()}, self.program_names),
        }
        if what not in tables:
            raise ValueError(f"what must be one of {', '.join(tables)}, not {what!r}")
        keys, names = tables[what]
        wanted = _strip_suffix(_strip_prefixes(name_key(text), DISTRICT_PREFIXES), UNIT_SUFFIXES)
        best: dict[str, float] = {}
        for key, codes in keys.items():
            score = difflib.SequenceMatcher(None, wanted, key).ratio()
            if wanted and (wanted in key or key in wanted) and len(key) > 1:
                score += 0.5
            for code in codes:
                bonus = 0.3 if within and code[:9] == within else 0.0
                best[code] = max(best.get(code, 0.0), score + bonus)
        ranked = sorted(best, key=lambda c: (-best[c], c))[:limit]
        return [(code, names.get(code, code)) for code in ranked if best[code] > 0.2]
