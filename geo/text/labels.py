"""User-facing labels in Chinese (default) and English: the one place UI text lives."""

from __future__ import annotations

from collections.abc import Iterable

from geo.text import (
    commands,
    common,
    install,
    intake,
    pages,
    periods,
    reports,
    review,
    vocab,
    years,
)

LANGS = ("zh", "en")
#: The language shown when none is asked for (a link without ``lang=``, the command line).
DEFAULT_LANG = LANGS[0]
#: The languages whose readers are shown text written only in English as it is written (the
#: licences and notes of sources.csv, a package's citation); the others get a translation
#: or a short form in their own language, or nothing.
ENGLISH_TEXT_LANGS = ("en",)


def _joined(*tables: dict[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    """The label tables as one, refusing a key defined in two of them."""
    joined: dict[str, tuple[str, str]] = {}
    for table in tables:
        twice = joined.keys() & table.keys()
        if twice:
            raise ValueError(f"labels defined twice: {sorted(twice)}")
        joined.update(table)
    return joined


#: Every label, by area (one module each): key -> (Chinese, English).
_LABELS: dict[str, tuple[str, str]] = _joined(
    common.LABELS,
    pages.LABELS,
    intake.LABELS,
    reports.LABELS,
    commands.LABELS,
    review.LABELS,
    install.LABELS,
    periods.LABELS,
    years.LABELS,
)

KIND_LABELS = {
    "village": ("村", "Village"),
    "community": ("社区", "Community"),
    "service_center": ("党群服务中心", "Service centre"),
    "station": ("暖心驿站", "Warm-heart station"),
    "demo_site": ("示范点", "Demonstration site"),
    "industry": ("产业点", "Industry site"),
}
PRECISION_LABELS = {
    "exact": ("精确位置", "exact"),
    "approximate": ("近似位置", "approximate"),
    "subdistrict": ("仅到街道（示意位置）", "subdistrict only (indicative position)"),
    "district": ("仅到区（示意位置）", "district only (indicative position)"),
    "unit": ("仅到村/社区（村居位置）", "village/community only (its position)"),
}


#: The fields a ledger's columns may be mapped to, as people name them.
FIELD_LABELS = {
    "id": ("编号", "Id"),
    "verified_on": ("核实日期", "Verified on"),
    "verified_by": ("核实人", "Verified by"),
    "note": ("说明", "Note"),
    "name": ("名称", "Name"),
    "kind": ("类型", "Kind"),
    "subdistrict": ("街道", "Subdistrict"),
    "unit": ("村/社区", "Village/community"),
    "programs": ("项目", "Programs"),
    "program": ("项目", "Program"),
    "year": ("年份", "Year"),
    "description": ("说明", "Description"),
    "source": ("来源", "Source"),
    "lon": ("经度", "Longitude"),
    "lat": ("纬度", "Latitude"),
    "lonlat": ("经纬度", "Coordinates"),
    "datum": ("坐标系", "Datum"),
    "address": ("地址", "Address"),
    "location_precision": ("位置精度", "Location precision"),
    "version": ("版本", "Version"),
    "name_zh": ("指标名称", "Figure name"),
    "name_en": ("英文名称", "English name"),
    "value": ("数值", "Value"),
    "qualifier": ("限定", "Qualifier"),
    "scope_type": ("范围类型", "Scope type"),
    "scope": ("范围", "Scope"),
    "members": ("成员", "Members"),
    "inferred": ("推断成员", "Inferred members"),
    "membership_note": ("成员说明", "Membership note"),
    "": ("（忽略）", "(ignored)"),
}
FIELD_LABELS = _joined(FIELD_LABELS, years.FIELD_LABELS)

#: Validation and import messages (an Issue's ``key``).
MESSAGES: dict[str, tuple[str, str]] = {
    "missing_column": ("缺少此列", "column is missing"),
    "duplicate": ("值重复，必须唯一", "duplicate value; must be unique"),
    "empty": ("不能为空", "must not be empty"),
    "not_number": ("不是数字", "not a number"),
    "out_of_scope": (
        "不属于您负责的街道，不能导入（请交该街道或区级管理员）",
        "not one of your subdistricts: cannot be imported (for that office or an administrator)",
    ),
    "not_year": ("不是有效年份（1949-2100）", "not a year (1949-2100)"),
    "unknown_kind": (
        "不是已知类型，应为 " + "、".join(KIND_LABELS[k][0] for k in vocab.KINDS) + " 之一",
        "not a known kind; expected one of " + ", ".join(vocab.KINDS),
    ),
    "unknown_precision": (
        "不是已知的位置精度，应为 精确、近似、街道级、区级、村居级 之一",
        "not a known precision; expected one of " + ", ".join(vocab.PRECISIONS),
    ),
    "unknown_qualifier": (
        "不是已知的限定词，应为 " + "、".join(vocab.QUALIFIERS) + " 之一",
        "not a known qualifier; expected one of " + ", ".join(vocab.QUALIFIERS),
    ),
    "unknown_scope_type": (
        "不是已知范围，应为 " + "、".join(vocab.SCOPE_TYPES) + " 之一",
        "not a known scope; expected one of " + ", ".join(vocab.SCOPE_TYPES),
    ),
    "unknown_alliance_kind": ("不是已知的联建类型", "not a known alliance kind"),
    "unknown_subdistrict": (
        "不是市中区的街道代码（统计局2023版，9位）",
        "not a subdistrict code of 370103 (NBS 2023, 9 digits)",
    ),
    "unknown_unit": (
        "不是市中区的村/社区代码（统计局2023版，12位）",
        "not a village/community code of 370103 (NBS 2023, 12 digits)",
    ),
    "unit_not_in_subdistrict": ("该村/社区不属于所填街道", "unit belongs to another subdistrict"),
    "unknown_program": ("不是已知的项目代码", "not a known program key"),
    "unknown_scope": (
        "scope_code 与 scope_type 不对应",
        "scope_code names nothing of this scope_type",
    ),
    "inferred_not_member": ("推断成员不在成员列表中", "inferred code is not among member_codes"),
    "subdistrict_required": (
        "除位置精度为 district 外，必须填写街道代码",
        "subdistrict_code is required unless location_precision is district",
    ),
    "bad_color": ("不是 #RRGGBB 颜色", "not a #RRGGBB colour"),
    "outside_district": ("坐标不在市中区范围内", "point lies outside the district outline"),
    "outside_subdistrict": ("坐标不在所属街道范围内", "point lies outside its subdistrict's area"),
    "not_yes_no": ("应为 是 或 否（true/false）", "must be true or false (是 or 否)"),
    "unknown_period": (
        "不是已知的时间口径，应为 年度（year）或 截至（to_date）",
        "not a known period; expected year (that year's value) or to_date (as of that year)",
    ),
    "period_needs_year": (
        "“截至”口径的指标必须填写截至的年份",
        "a to-date figure needs the year it is as of",
    ),
    "unknown_detail_kind": (
        "不是已知的条目类型，应为 " + "、".join(vocab.DETAIL_KINDS) + " 之一",
        "not a known kind of item; expected one of " + ", ".join(vocab.DETAIL_KINDS),
    ),
    "unknown_source": (
        "所引来源不在 sources.csv 中（应为 来源键 或 来源键#章节，或导入文件）",
        "cites no document of sources.csv (KEY or KEY#SECTION) and no imported file",
    ),
    "unknown_section": ("不是该来源的章节", "not a section of that source"),
    "no_unit": ("指标缺少单位", "metric has no unit"),
    # importing files
    "unknown_column": ("无法识别的列，已忽略", "unknown column, ignored"),
    "serial_column": ("序号列，已忽略", "a running number, ignored"),
    "total_row": ("合计/小计行，已跳过", "a total row, skipped"),
    "note_row": ("表下注释或签字行，已跳过", "a note or sign-off row under the data, skipped"),
    "formula_text": (
        "内容以 = + - @ 开头，像是公式，不能作为名称",
        "begins with = + - or @ like a formula; not taken as a name",
    ),
    "not_coordinate_pair": (
        "不是一对经纬度（如 117.0012,36.6512）",
        "not a pair of coordinates (e.g. 117.0012,36.6512)",
    ),
    "bad_value_choice": ("指定的目标不是已知的名称或代码", "the chosen target names nothing known"),
    "bad_value_column": ("文件中没有此列", "the file has no such column"),
    "bad_mapping": ("列的对应关系无效", "the column mapping is not valid"),
    "address_not_found": (
        "地址未能定位，已按所属村/社区或街道示意定位",
        "the address was not found; placed at its village/community or subdistrict",
    ),
    "address_offline": (
        "未配置地址定位服务（离线），已按所属村/社区或街道示意定位",
        "no geocoding service is configured (offline); placed at its village/community or subdistrict",
    ),
    "geocoder_failed": (
        "地址定位服务暂不可用，相关行已按街道示意定位",
        "the geocoding service could not be reached; those rows were placed at their subdistrict",
    ),
    "unknown_sheet": (
        "未找到表头（名称、类型等列），此工作表已忽略",
        "no header row found (name, kind ...): sheet ignored",
    ),
    "unsupported_file": (
        "不支持的文件类型：请用 Excel（.xlsx、.xls）或 CSV 文件",
        "not a supported file: use Excel (.xlsx, .xls) or CSV",
    ),
    "unreadable_file": ("文件无法读取", "the file cannot be read"),
    "file_too_large": (
        "文件过大或格式异常，未写入任何数据",
        "the file is too large or malformed; nothing was written",
    ),
    "file_timeout": (
        "文件读取超时（可在设置中调整时限），未写入任何数据",
        "reading the file took too long (the limit is a setting); nothing was written",
    ),
    "file_crashed": (
        "文件格式异常，读取程序出错，未写入任何数据",
        "the file is malformed and its reader failed; nothing was written",
    ),
    "empty_file": ("文件中没有数据行", "the file holds no data rows"),
    "ambiguous_unit": (
        "有多个同名村/社区，请填写12位代码或所属街道",
        "several villages/communities have this name; use the 12-digit code "
        "or fill in the subdistrict",
    ),
    "not_version": (
        "版本必须为整数（请保持导出时的值）",
        "version must be a whole number (leave it as exported)",
    ),
    "stale_version": (
        "导出后此记录已被他人修改，请重新导出后再修改",
        "this record was changed by someone else after this file was exported; "
        "export again and redo the edit",
    ),
    "no_location": (
        "既无经纬度，也无可定位的街道或村/社区",
        "no coordinates and no subdistrict or village to place it",
    ),
    "lonlat_pair": ("经度和纬度必须同时填写", "longitude and latitude must be given together"),
    "not_coordinate": (
        "不是有效坐标（十进制度或 116°58′30″）",
        "not a coordinate (decimal degrees or 116°58′30″)",
    ),
    "unknown_datum": (
        "未知坐标系，应为 WGS-84、GCJ-02 或 BD-09",
        "unknown datum; use WGS-84, GCJ-02 or BD-09",
    ),
    "datum_required": (
        "填写经纬度时必须注明坐标系（WGS-84、高德 GCJ-02、百度 BD-09）",
        "datum is required with coordinates (WGS-84, GCJ-02 from AMap, BD-09 from Baidu)",
    ),
}
MESSAGES = _joined(MESSAGES, years.MESSAGES, periods.MESSAGES)


def check_lang(lang: str) -> str:
    """``lang`` if it is a supported language (``zh``, ``en``), else ValueError naming it.

    Parameters
    ----------
    lang
        The language asked for.

    Returns
    -------
    str
        ``lang``, unchanged.

    Raises
    ------
    ValueError
        If ``lang`` is not in :data:`LANGS` (the message shows the value and its type).
    """
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, got {lang!r} ({type(lang).__name__})")
    return lang


def pick(pair: tuple[str, str], lang: str) -> str:
    """The ``lang`` half of a ``(zh, en)`` pair: the one place the language is chosen.

    Parameters
    ----------
    pair
        ``(Chinese, English)`` texts.
    lang
        ``"zh"`` or ``"en"``.

    Returns
    -------
    str
        ``pair[1]`` for English, ``pair[0]`` for Chinese.

    Raises
    ------
    ValueError
        If ``lang`` is not supported (:func:`check_lang`).
    """
    return pair[1] if check_lang(lang) == "en" else pair[0]


def localized(stem: str, lang: str) -> str:
    """The column holding ``stem`` in ``lang``: ``localized("name", "en") == "name_en"``.

    Parameters
    ----------
    stem
        The column name without its language suffix (``"name"``, ``"title"`` ...).
    lang
        ``"zh"`` or ``"en"``.

    Returns
    -------
    str
        ``f"{stem}_{lang}"``.

    Raises
    ------
    ValueError
        If ``lang`` is not supported (:func:`check_lang`).
    """
    return f"{stem}_{check_lang(lang)}"


def t(key: str, lang: str = "zh", **values) -> str:
    """The label ``key`` in ``lang``; ``values`` fill ``{placeholders}``. Unknown keys echo.

    Parameters
    ----------
    key
        A UI label key (``"app_title"``, ``"filter_street"`` ...).
    lang
        ``"zh"`` or ``"en"``.
    **values
        Values for the label's ``{placeholders}`` (``str.format``); without any, the text is
        returned as it is (braces included).

    Returns
    -------
    str
        The label, or ``key`` itself if it is not a known label.

    Raises
    ------
    ValueError
        If ``lang`` is not supported (:func:`check_lang`).
    """
    text = pick(_LABELS.get(key, (key, key)), lang)
    return text.format(**values) if values else text


def message(key: str, lang: str = "zh") -> str:
    """The text of validation/import message ``key`` in ``lang``. Unknown keys echo.

    Parameters
    ----------
    key
        A key of :data:`MESSAGES` (``"no_location"``, ``"unknown_datum"`` ...).
    lang
        ``"zh"`` or ``"en"``.

    Returns
    -------
    str
        The message, or ``key`` itself if it is not a known message.

    Raises
    ------
    ValueError
        If ``lang`` is not supported (:func:`check_lang`).
    """
    return pick(MESSAGES.get(key, (key, key)), lang)


def field_label(field: str, lang: str = "zh") -> str:
    """How people name a ledger field (``""``: an ignored column).

    Parameters
    ----------
    field
        A field name of :data:`FIELD_LABELS` (``"id"``, ``"name"``, ``"kind"`` ...).
    lang
        ``"zh"`` or ``"en"``.

    Returns
    -------
    str
        The field's label, or ``field`` itself if it is not a known field.

    Raises
    ------
    ValueError
        If ``lang`` is not supported (:func:`check_lang`).
    """
    return pick(FIELD_LABELS.get(field, (field, field)), lang)


def kind_label(kind: str, lang: str = "zh") -> str:
    """How people name a kind of site (村, 社区, 党群服务中心 ...).

    Parameters
    ----------
    kind
        A kind of :data:`geo.text.vocab.KINDS` (``"village"``, ``"station"`` ...).
    lang
        ``"zh"`` or ``"en"``.

    Returns
    -------
    str
        The kind's label, or ``kind`` itself if it is not a known kind.

    Raises
    ------
    ValueError
        If ``lang`` is not supported (:func:`check_lang`).
    """
    return pick(KIND_LABELS.get(kind, (kind, kind)), lang)


def precision_label(precision: str, lang: str = "zh") -> str:
    """How people name a location precision (精确位置, 仅到街道（示意位置） ...).

    Parameters
    ----------
    precision
        A precision of :data:`PRECISION_LABELS` (``"exact"``, ``"approximate"``,
        ``"subdistrict"``, ``"district"``, ``"unit"``).
    lang
        ``"zh"`` or ``"en"``.

    Returns
    -------
    str
        The precision's label, or ``precision`` itself if it is not a known precision.

    Raises
    ------
    ValueError
        If ``lang`` is not supported (:func:`check_lang`).
    """
    return pick(PRECISION_LABELS.get(precision, (precision, precision)), lang)


def list_separator(lang: str = "zh") -> str:
    """What separates the items of a list people read: ``、`` in Chinese, ``", "`` in English.

    Parameters
    ----------
    lang
        ``"zh"`` or ``"en"``.

    Returns
    -------
    str
        The separator (the label ``list_sep``).

    Raises
    ------
    ValueError
        If ``lang`` is not supported (:func:`check_lang`).
    """
    return t("list_sep", lang)


def join_list(items: Iterable[object], lang: str = "zh") -> str:
    """Names (subdistricts, programs, kinds, files ...) as one list people read.

    Parameters
    ----------
    items
        The items, in order; each is written with ``str``.
    lang
        ``"zh"`` or ``"en"``.

    Returns
    -------
    str
        ``["甲", "乙"]`` -> ``"甲、乙"`` in Chinese, ``"甲, 乙"`` in English; ``""`` if empty.

    Raises
    ------
    ValueError
        If ``lang`` is not supported (:func:`check_lang`).
    """
    return list_separator(lang).join(map(str, items))


def join_clauses(items: Iterable[object], lang: str = "zh") -> str:
    """Clauses that may hold commas themselves (citations, problems, changes) as one text.

    Parameters
    ----------
    items
        The clauses, in order; each is written with ``str``.
    lang
        ``"zh"`` or ``"en"``.

    Returns
    -------
    str
        The clauses joined by ``；`` in Chinese, ``"; "`` in English (the label ``clause_sep``).

    Raises
    ------
    ValueError
        If ``lang`` is not supported (:func:`check_lang`).
    """
    return t("clause_sep", lang).join(map(str, items))


def preferred_langs(lang: str = "zh") -> tuple[str, ...]:
    """The languages to look in for a text, ``lang`` first, then the others as a fallback.

    Parameters
    ----------
    lang
        ``"zh"`` or ``"en"``.

    Returns
    -------
    tuple of str
        ``("en", "zh")`` for English, ``("zh", "en")`` for Chinese.

    Raises
    ------
    ValueError
        If ``lang`` is not supported (:func:`check_lang`).
    """
    return (check_lang(lang), *(other for other in LANGS if other != lang))


def shows_english_text(lang: str = "zh") -> bool:
    """Whether text written only in English is shown as written to readers of ``lang``.

    Parameters
    ----------
    lang
        ``"zh"`` or ``"en"``.

    Returns
    -------
    bool
        True for the languages of :data:`ENGLISH_TEXT_LANGS` (English): the licences and notes
        of sources.csv are listed, a citation written in English is given in full. Otherwise
        such text is left out or replaced by its short form in ``lang``.

    Raises
    ------
    ValueError
        If ``lang`` is not supported (:func:`check_lang`).
    """
    return check_lang(lang) in ENGLISH_TEXT_LANGS
