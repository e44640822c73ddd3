"""The map's frame needs no round of Streamlit's chunks (issue 28).

Streamlit's frontend loads each kind of element's code (a "chunk": the select box, the
metric, the custom component that holds the map) the first time such an element arrives,
from the same Python process that is running the page's script. The map's frame waits for
its component's chunk, then for the chunks that one imports: a second round.

Here the served ``index.html`` names the map's component chunk and what it imports, as
``<link rel="modulepreload">`` after Streamlit's own: the browser fetches and compiles them
while it is still starting Streamlit's main code, and the map's element finds them in the
page's module map when it arrives. The names are resolved through the frontend build's
manifest (``manifest.json`` beside ``index.html``), so they follow Streamlit's file names from
release to release; an element that a release no longer has is logged and left out (the page
then loads it as before).

A module preload, not a ``prefetch``: the browser fetched each prefetched file a second time
when the element imported it, in two rounds (the component, then what it imports), while the
main thread drew the header and the server ran the first look's script. In one run of 8
fresh visits each, alternating (10k sites), the map's frame came at 1.36 s (median) with the
module preload against 1.51 s with the prefetch, its paint at 1.76 s against 1.89 s (a bare
Streamlit page with one empty map: 1.09 s and 1.33 s).

Only the map's: the page once named every chunk its first screen would ask for (the filter
panel's widgets, the cards, the HTML and Markdown around them; 53 files). Served by the same
process while it ran the session's first script, they held up what the map waited for: in one
run of 8 fresh visits each, alternating, the map's frame came at 1.63 s (median) with all 53
against 1.51 s with the component's alone (prefetched). Preloading the header's chunks too
(the metric, HTML and button, 12 more files) gained nothing (frame 1.22 s with them, 1.23 s
without). What the first look does not draw (the filter panel) loads its code once the map
has painted, as Streamlit does by itself; and Plotly (4.7 MB) loads after the map has painted
(``ui.widgets.after_map``).
"""

from __future__ import annotations

import functools
import html
import json
from collections.abc import Iterable
from pathlib import Path

from streamlit.logger import get_logger

_LOG = get_logger(__name__)

#: Streamlit's element chunks to preload, by the names its build manifest gives them: the
#: custom component that holds the map.
ELEMENTS = ("ComponentInstance",)

#: Where the served page's own ``<head>`` ends: the links go just before it.
_HEAD_END = b"</head>"


def _static_dir() -> Path:
    from streamlit import file_util

    return Path(file_util.get_static_dir())


@functools.cache
def chunk_files(static_dir: Path | None = None, elements: Iterable[str] = ELEMENTS) -> tuple:
    """The files (relative to Streamlit's static folder) of ``elements`` and what they import,
    less what ``index.html`` already loads, in ``elements``' order, each once.

    Parameters
    ----------
    static_dir : Path, optional
        Streamlit's frontend build (its ``manifest.json``); by default the installed one's.
    elements : iterable of str
        The elements' names in the build manifest.

    Returns
    -------
    tuple of str
        Paths such as ``static/js/Radio.BWQwdNIB.js``; empty if the build has no manifest.
    """
    folder = static_dir or _static_dir()
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        _LOG.warning("preload: no readable manifest.json in %s: nothing preloaded", folder)
        return ()
    by_name = {
        entry["name"]: key
        for key, entry in manifest.items()
        if entry.get("isDynamicEntry") and "name" in entry
    }
    seen = set(_imports(manifest, "index.html"))
    files: list[str] = []
    for name in elements:
        key = by_name.get(name)
        if key is None:
            _LOG.warning("preload: this Streamlit has no element chunk named %s", name)
            continue
        for each in _imports(manifest, key):
            if each not in seen:
                seen.add(each)
                files.append(manifest[each]["file"])
    return tuple(files)


def _imports(manifest: dict, key: str) -> list[str]:
    """``key`` and every chunk it imports statically, depth first, each once."""
    order: list[str] = []
    stack = [key]
    while stack:
        each = stack.pop()
        if each in order or each not in manifest:
            continue
        order.append(each)
        stack.extend(reversed(manifest[each].get("imports", ())))
    return order


@functools.cache
def links(static_dir: Path | None = None) -> bytes:
    """The ``<link rel="modulepreload">`` lines for :func:`chunk_files`, relative to the page
    as Streamlit's own are (so that they hold under a base URL path)."""
    return b"".join(
        f'<link rel="modulepreload" crossorigin href="./{html.escape(path)}">\n'.encode()
        for path in chunk_files(static_dir)
    )


def _is_page_request(scope) -> bool:
    """A browser asking for a page (``index.html`` under any path), not for a file or API."""
    if scope["type"] != "http" or scope["method"] != "GET":
        return False
    headers = dict(scope.get("headers") or ())
    return headers.get(b"sec-fetch-dest", b"document") == b"document" and b"text/html" in (
        headers.get(b"accept", b"")
    )


class PreloadMiddleware:
    """ASGI middleware: the page Streamlit serves gains :func:`links` before ``</head>``.

    A page request is answered uncompressed (its ``Accept-Encoding`` is dropped: the page is
    8 KB), so that its body can be read; anything that is not an HTML page, or is not whole
    in one reading, passes through untouched.
    """

    def __init__(self, app, static_dir: Path | None = None) -> None:
        self.app = app
        self.static_dir = static_dir

    async def __call__(self, scope, receive, send) -> None:
        if not _is_page_request(scope):
            await self.app(scope, receive, send)
            return
        scope = dict(scope)
        scope["headers"] = [
            (name, value) for name, value in scope["headers"] if name != b"accept-encoding"
        ]
        start: dict | None = None
        body: list[bytes] = []

        async def rewrite(message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            body.append(message.get("body", b""))
            if message.get("more_body"):
                return
            await self._send_page(start, b"".join(body), send)

        await self.app(scope, receive, rewrite)

    async def _send_page(self, start: dict, page: bytes, send) -> None:
        headers = list(start.get("headers") or ())
        names = {name.lower(): value for name, value in headers}
        is_html = names.get(b"content-type", b"").startswith(b"text/html")
        if start["status"] == 200 and is_html and b"content-encoding" not in names:
            page = page.replace(_HEAD_END, links(self.static_dir) + _HEAD_END, 1)
            headers = [
                (name, str(len(page)).encode() if name.lower() == b"content-length" else value)
                for name, value in headers
            ]
        await send({**start, "headers": headers})
        await send({"type": "http.response.body", "body": page})
