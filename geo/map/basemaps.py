"""Basemaps: none (offline default), Tianditu, AMap, OpenStreetMap, or an intranet tile server.

Each basemap names its datum: AMap tiles are GCJ-02, so every overlay is converted before it
is drawn on them (``geo.map.leaflet`` does it from ``Basemap.datum``); Tianditu (CGCS2000), OSM and
"none" take WGS-84 as stored. Providers come from ``xyzservices`` where it has them (AMap,
OSM); Tianditu's WMTS-as-XYZ templates are defined here as ``xyzservices.TileProvider``s.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import xyzservices.providers as xyz
from xyzservices import TileProvider

from geo.config import BasemapSettings
from geo.data import datum
from geo.text.labels import t

NONE, TIANDITU_VEC, TIANDITU_IMG = "none", "tianditu_vec", "tianditu_img"
AMAP_ROAD, AMAP_SATELLITE, OSM, CUSTOM = "amap_road", "amap_satellite", "osm", "custom"
KEYS = (NONE, TIANDITU_VEC, TIANDITU_IMG, AMAP_ROAD, AMAP_SATELLITE, OSM, CUSTOM)

_TIANDITU_URL = (
    "https://t{s}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
    "&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}"
    "&TILECOL={x}&tk={tk}"
)
_TIANDITU_ATTRIBUTION = "&copy; 天地图 Tianditu (国家地理信息公共服务平台)"
#: A Tianditu key is 32 hexadecimal characters.
_TIANDITU_TOKEN = re.compile(r"^[0-9a-fA-F]{32}$")


@dataclass(frozen=True)
class Basemap:
    """A resolved basemap: tile layers (bottom first), their datum, and how to credit them."""

    key: str
    datum: str = datum.WGS84
    tiles: tuple[TileProvider, ...] = field(default_factory=tuple)

    @property
    def is_offline(self) -> bool:
        """True if the basemap has no tiles (nothing is fetched from outside)."""
        return not self.tiles


def label(key: str, lang: str = "zh") -> str:
    """The basemap's name for people.

    Parameters
    ----------
    key
        A basemap key of :data:`KEYS`; an unknown key is echoed as ``basemap_<key>``.
    lang
        ``"zh"`` or ``"en"``; another value raises ValueError.

    Returns
    -------
    str
        The name from ``geo.text.labels`` (``basemap_<key>``).
    """
    return t(f"basemap_{key}", lang)


def _tianditu(layer: str, token: str, name: str) -> TileProvider:
    return TileProvider(
        name=name,
        url=_TIANDITU_URL.replace("{layer}", layer),
        attribution=_TIANDITU_ATTRIBUTION,
        html_attribution=_TIANDITU_ATTRIBUTION,
        subdomains="01234567",
        tk=token,
        max_zoom=18,
    )


def resolve(key: str, settings: BasemapSettings) -> tuple[Basemap, str | None]:
    """The basemap for ``key``, or the offline one with the reason when it cannot be used.

    Parameters
    ----------
    key
        A basemap key of :data:`KEYS`.
    settings
        The configuration (:func:`geo.config.basemap_settings`): the Tianditu token (32 hex
        characters) for ``tianditu_*``, the URL template, attribution, datum and name for
        ``custom``.

    Returns
    -------
    tuple of (Basemap, str or None)
        The basemap, its datum (WGS-84 for Tianditu, OSM and ``none``; GCJ-02 for AMap; the
        configured one for ``custom``) and tile layers, bottom first; and None, or the notice
        key saying why the offline basemap (``none``) was returned instead:
        ``basemap_unknown`` (``key`` not in :data:`KEYS`), ``basemap_no_token`` (missing or
        malformed Tianditu token) or ``basemap_no_url`` (no custom URL).

    Raises
    ------
    ValueError
        If ``key`` is ``custom`` and ``settings.custom_datum`` names no known datum.
    """
    if key not in KEYS:
        return Basemap(NONE), "basemap_unknown"
    if key in (TIANDITU_VEC, TIANDITU_IMG):
        if not _TIANDITU_TOKEN.match(settings.tianditu_token):
            return Basemap(NONE), "basemap_no_token"
        base, labels = ("vec", "cva") if key == TIANDITU_VEC else ("img", "cia")
        token = settings.tianditu_token
        return Basemap(
            key,
            datum.WGS84,
            (
                _tianditu(base, token, f"Tianditu.{base}"),
                _tianditu(labels, token, f"Tianditu.{labels}"),
            ),
        ), None
    if key == AMAP_ROAD:
        return Basemap(key, datum.GCJ02, (xyz.Gaode.Normal,)), None
    if key == AMAP_SATELLITE:
        return Basemap(key, datum.GCJ02, (xyz.Gaode.Satellite,)), None
    if key == OSM:
        return Basemap(key, datum.WGS84, (xyz.OpenStreetMap.Mapnik,)), None
    if key == CUSTOM:
        if not settings.custom_url:
            return Basemap(NONE), "basemap_no_url"
        provider = TileProvider(
            name=settings.custom_name or "custom",
            url=settings.custom_url,
            attribution=settings.custom_attribution or "内网瓦片服务",
            max_zoom=19,
        )
        return Basemap(key, datum.normalise_datum(settings.custom_datum), (provider,)), None
    return Basemap(NONE), None
