"""Coordinates as ledgers write them: decimal degrees or degrees-minutes-seconds.

Any of the common writings: ``116°58′30.5″E``, ``116度58分30.5秒``, ``东经116°58'30.5"``,
``36°39'12"N``, ``N36°39.2′``.
"""

from __future__ import annotations

import math
import re
import unicodedata

_HEMISPHERE = {"e": 1, "n": 1, "东": 1, "北": 1, "w": -1, "s": -1, "西": -1, "南": -1}
_PREFIX = re.compile(r"^(东经|西经|北纬|南纬|[ENWSenws东西南北])")
_SUFFIX = re.compile(r"(东经|西经|北纬|南纬|[ENWSenws东西南北])$")
_DMS = re.compile(
    r"^(\d+(?:\.\d+)?)\s*(?:°|度|º)\s*"
    r"(?:(\d+(?:\.\d+)?)\s*(?:′|'|’|‘|分)\s*)?"
    r"(?:(\d+(?:\.\d+)?)\s*(?:″|\"|”|“|''|′′|秒)\s*)?$"
)


def parse_coordinate(text: str) -> float | None:
    """``text`` as decimal degrees, or None if it is not a coordinate.

    Parameters
    ----------
    text
        Decimal degrees (``116.975``) or degrees with optional minutes and seconds, in symbols
        or Chinese, with an optional hemisphere before or after (E/N/东经/北纬 positive,
        W/S/西经/南纬 negative).

    Returns
    -------
    float or None
        Degrees; None for anything else (minutes or seconds of 60 or more included).
    """
    cleaned = unicodedata.normalize("NFKC", str(text)).strip()
    # NFKC turns ′ ″ into ' '' : keep both spellings working
    cleaned = cleaned.replace("''", '"')
    try:
        value = float(cleaned)
    except ValueError:
        pass
    else:
        return value if math.isfinite(value) else None
    sign = 1
    for pattern in (_PREFIX, _SUFFIX):
        match = pattern.search(cleaned)
        if match:
            word = match.group(1)
            sign *= _HEMISPHERE[word[0].lower()] if len(word) == 1 else _HEMISPHERE[word[0]]
            cleaned = pattern.sub("", cleaned, count=1).strip()
    match = _DMS.match(cleaned)
    if not match:
        return None
    degrees, minutes, seconds = (float(part) if part else 0.0 for part in match.groups())
    if minutes >= 60 or seconds >= 60:
        return None
    return sign * (degrees + minutes / 60 + seconds / 3600)


#: Where longitudes and latitudes of China lie (degrees): the two ranges do not overlap, so a
#: pair's order is certain from its values.
_CHINA_LON = (73.0, 136.0)
_CHINA_LAT = (3.0, 54.0)
_PAIR_SEPARATORS = re.compile(r"\s*[,;、]\s*")


def _ordered(first: float, second: float) -> tuple[float, float] | None:
    def within(value: float, bounds: tuple[float, float]) -> bool:
        return bounds[0] <= value <= bounds[1]

    if within(first, _CHINA_LON) and within(second, _CHINA_LAT):
        return first, second
    if within(first, _CHINA_LAT) and within(second, _CHINA_LON):
        return second, first
    return None


def parse_pair(text: str) -> tuple[float, float] | None:
    """Both coordinates written in one cell, as ``(lon, lat)``; None if it is not such a pair.

    Parameters
    ----------
    text
        ``117.0012,36.6512``; the same with a full-width comma, a semicolon, 、 or spaces
        between; latitude first (``36.6512,117.0012``); or a pair of degrees-minutes-seconds
        (``东经116°58′30″ 北纬36°39′12″``, ``36°39'12"N, 116°58'30"E``).

    Returns
    -------
    tuple of (float, float) or None
        Longitude and latitude in degrees: the order is taken from the values (a longitude of
        China is 73-136°, a latitude 3-54°); None if the cell holds no two coordinates or
        their order is not certain.
    """
    cleaned = unicodedata.normalize("NFKC", str(text)).strip().strip("()[]")
    if not cleaned:
        return None
    parts = [p for p in _PAIR_SEPARATORS.split(cleaned) if p]
    if len(parts) == 2:
        first, second = parse_coordinate(parts[0]), parse_coordinate(parts[1])
        if first is not None and second is not None:
            return _ordered(first, second)
    tokens = cleaned.replace(",", " ").replace(";", " ").split()
    for cut in range(1, len(tokens)):
        first = parse_coordinate(" ".join(tokens[:cut]))
        second = parse_coordinate(" ".join(tokens[cut:]))
        if first is not None and second is not None:
            return _ordered(first, second)
    return None
