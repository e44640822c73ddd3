"""Addresses to coordinates through Tianditu's geocoding service (opt-in, cached, rate-limited).

Only used when a key is configured (``$SHIZHONG_GEOCODER_TOKEN``, see geo/config.py): the
addresses of a ledger leave the machine only then. Tianditu answers in CGCS2000, which is
WGS-84 to a dashboard's precision, so nothing is converted. Every answer (found or not) is
cached in the store, so each address is asked once, by any instance.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import requests

from geo.config import GeocoderSettings

#: Tianditu's documented geocoder endpoint (``ds={"keyWord": ...}&tk=...``).
TIANDITU_URL = "https://api.tianditu.gov.cn/geocoder"
#: Tianditu's match levels as location precisions.
GEOCODE_PRECISION = {
    "门址": "exact",
    "门牌号": "exact",
    "兴趣点": "exact",
    "poi": "exact",
    "道路": "approximate",
    "道路交叉口": "approximate",
    "村庄": "approximate",
    "小区": "approximate",
    "地名地址": "approximate",
    "乡镇": "subdistrict",
    "街道": "subdistrict",
    "区县": "district",
}
#: Added to an address that does not name the city, so that the service looks here.
CITY_PREFIX = "山东省济南市市中区"


class GeocoderError(RuntimeError):
    """The service could not be asked or did not answer as documented."""


@dataclass(frozen=True)
class Geocoder:
    """A Tianditu geocoder.

    ``url`` is the service (or a stand-in), ``token`` its ``tk`` key; at most ``rate_per_s``
    requests a second (kept by :func:`geocode_all`), each waiting at most ``timeout_s``
    seconds; ``provider`` is recorded with each answer.
    """

    url: str
    token: str
    rate_per_s: float = 5.0
    timeout_s: float = 10.0
    provider: str = "tianditu"

    @classmethod
    def from_settings(cls, settings: GeocoderSettings | None) -> Geocoder | None:
        """The geocoder configured by ``settings``.

        Parameters
        ----------
        settings
            :func:`geo.config.geocoder_settings`; None when no key is configured.

        Returns
        -------
        Geocoder or None
            A geocoder for the configured service (Tianditu's if no URL is set) and rate;
            None if ``settings`` is None.
        """
        if settings is None:
            return None
        return cls(
            url=settings.url or TIANDITU_URL, token=settings.token, rate_per_s=settings.rate_per_s
        )

    def query(self, address: str) -> str:
        """The text sent for ``address``.

        Parameters
        ----------
        address
            An address as a ledger writes it.

        Returns
        -------
        str
            The stripped address, with ``山东省济南市市中区`` in front unless it names 济南.
        """
        text = address.strip()
        return text if "济南" in text else CITY_PREFIX + text

    def lookup(self, address: str, session: requests.Session | None = None) -> dict:
        """Ask the service for one address.

        Parameters
        ----------
        address
            An address as a ledger writes it (see :meth:`query`).
        session
            A ``requests`` session to reuse; None for a single request.

        Returns
        -------
        dict
            ``lon``, ``lat`` (float, WGS-84 degrees: Tianditu answers in CGCS2000; None when the
            service found nothing), ``level`` (the service's match level, or its message when
            nothing was found), ``location_precision`` (from :data:`GEOCODE_PRECISION`,
            ``approximate`` for a level it lacks; ``""`` when nothing was found) and ``provider``.

        Raises
        ------
        GeocoderError
            If the service cannot be reached, answers with an HTTP error, or its answer is not the
            documented JSON object.
        """
        ask = session or requests
        params = {"ds": json.dumps({"keyWord": self.query(address)}, ensure_ascii=False)}
        try:
            reply = ask.get(self.url, params=params | {"tk": self.token}, timeout=self.timeout_s)
            reply.raise_for_status()
            body = reply.json()
        except (requests.RequestException, ValueError) as error:
            raise GeocoderError(f"{type(error).__name__}: {error}"[:200]) from error
        if not isinstance(body, dict):  # JSON, but not the documented object
            raise GeocoderError(f"not a JSON object: {json.dumps(body, ensure_ascii=False)}"[:200])
        location = body.get("location")
        if str(body.get("status")) != "0" or not isinstance(location, dict):
            return {
                "lon": None,
                "lat": None,
                "level": str(body.get("msg") or ""),
                "location_precision": "",
                "provider": self.provider,
            }
        level = str(location.get("level") or "")
        try:
            lon, lat = float(location["lon"]), float(location["lat"])
        except (KeyError, TypeError, ValueError):
            lon = lat = None
        return {
            "lon": lon,
            "lat": lat,
            "level": level,
            "location_precision": GEOCODE_PRECISION.get(level.lower(), "approximate"),
            "provider": self.provider,
        }


def geocode_all(
    addresses: Iterable[str],
    geocoder: Geocoder,
    store,
    progress: Callable[[int, int], None] | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> tuple[dict[str, dict], list[str]]:
    """Each address's answer: from the store's cache, else asked (and cached).

    Parameters
    ----------
    addresses
        The addresses; stripped, blanks dropped, each asked once.
    geocoder
        The service; at most ``geocoder.rate_per_s`` requests a second.
    store
        The store (:class:`geo.store.records.Store`) whose geocode cache is read and written; every
        answer, found or not, is cached.
    progress
        Called as ``progress(done, total)`` after each address asked (not for cached ones).
    clock, sleep
        The monotonic clock and the sleep used to keep the rate, in seconds (replaceable in
        tests).

    Returns
    -------
    tuple of (dict, list of str)
        The answers (address -> :meth:`Geocoder.lookup`'s dict) and the problems met. At the
        first failed request (service unreachable, refusing, malformed) asking stops: that
        address and those after it get no answer (so their rows fall back to their seat with a
        notice) and the problem is listed.
    """
    wanted = sorted({a.strip() for a in addresses if a and a.strip()})
    answers = dict(store.cached_geocodes(wanted))
    missing = [a for a in wanted if a not in answers]
    problems: list[str] = []
    # the service's rate limit, kept by spacing the requests (a few lines: no library needed)
    spacing = 1.0 / geocoder.rate_per_s if geocoder.rate_per_s > 0 else 0.0
    last = -spacing
    with requests.Session() as session:
        for done, address in enumerate(missing, start=1):
            wait = last + spacing - clock()
            if wait > 0:
                sleep(wait)
            last = clock()
            try:
                answer = geocoder.lookup(address, session)
            except GeocoderError as error:
                problems.append(str(error))
                break  # the service is down or refuses us: do not hammer it
            store.cache_geocode(address, answer)
            answers[address] = answer
            if progress is not None:
                progress(done, len(missing))
    return answers, problems
