"""When the data last changed, as every page and the big screen say it:
数据更新于 2026-12-01 09:30."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from geo.text.labels import t

#: The officials' local time. China keeps UTC+8 all year (no daylight saving since 1991), so a
#: fixed offset is exact and needs no time-zone database (Windows has none for zoneinfo).
LOCAL_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")


def local_time(when: datetime) -> datetime:
    """``when`` in Asia/Shanghai time; a naive ``when`` is taken as UTC (as the store writes).

    Parameters
    ----------
    when : datetime.datetime
        A point in time, aware or naive (naive = UTC).

    Returns
    -------
    datetime.datetime
        The same instant, aware, in :data:`LOCAL_TZ` (UTC+8).
    """
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(LOCAL_TZ)


def freshness_line(when: datetime | None, lang: str = "zh") -> str:
    """The data-freshness line: ``数据更新于 2026-12-01 09:30`` (local time, to the minute).

    Parameters
    ----------
    when
        The time of the store's last write (``Store.last_changed``), or None if unknown.
    lang
        ``zh`` or ``en``.

    Returns
    -------
    str
    """
    if when is None:
        return t("data_updated_unknown", lang)
    return t("data_updated", lang, when=f"{local_time(when):%Y-%m-%d %H:%M}")
