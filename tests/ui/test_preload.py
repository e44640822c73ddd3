"""The served page names the chunks the overview will ask for (ui/preload.py, issue 28)."""

import json

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.testclient import TestClient

from ui import preload

PAGE = "<!DOCTYPE html><html><head><title>t</title>" + "<!-- pad -->" * 200 + "</head></html>"
BROWSER = {"accept": "text/html,application/xhtml+xml", "sec-fetch-dest": "document"}


@pytest.fixture
def build(tmp_path):
    """A frontend build: an entry, two elements sharing chunks, one chunk the entry loads."""
    manifest = {
        "index.html": {"file": "static/js/index.A.js", "isEntry": True, "imports": ["_s.B.js"]},
        "_s.B.js": {"file": "static/js/s.B.js"},
        "src/Radio.tsx": {
            "file": "static/js/Radio.C.js",
            "name": "Radio",
            "isDynamicEntry": True,
            "imports": ["_s.B.js", "_field.D.js"],
        },
        "_field.D.js": {"file": "static/js/field.D.js", "imports": ["_deep.E.js"]},
        "_deep.E.js": {"file": "static/js/deep.E.js"},
        "src/ComponentInstance.tsx": {
            "file": "static/js/ComponentInstance.F.js",
            "name": "ComponentInstance",
            "isDynamicEntry": True,
            "imports": ["_field.D.js", "_x&y.G.js"],
        },
        "_x&y.G.js": {"file": "static/js/x&y.G.js"},
    }
    (tmp_path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return tmp_path


def test_elements_and_their_imports_in_order_each_once_less_the_entrys(build):
    files = preload.chunk_files(build, ("Radio", "NoSuchElement", "ComponentInstance"))
    assert files == (
        "static/js/Radio.C.js",
        "static/js/field.D.js",
        "static/js/deep.E.js",
        "static/js/ComponentInstance.F.js",
        "static/js/x&y.G.js",
    )


def test_no_manifest_no_links(tmp_path):
    assert preload.chunk_files(tmp_path) == ()
    assert preload.links(tmp_path) == b""


def test_every_element_named_is_in_the_installed_streamlit():
    """A Streamlit upgrade that renames an element's chunk fails here, not silently."""
    from streamlit import file_util

    manifest = json.loads((preload._static_dir() / "manifest.json").read_text(encoding="utf-8"))
    names = {entry.get("name") for entry in manifest.values() if entry.get("isDynamicEntry")}
    assert set(preload.ELEMENTS) <= names
    files = preload.chunk_files()
    assert files and all((preload._static_dir() / each).is_file() for each in files)
    assert file_util.get_static_dir()  # the folder the server serves


def _client(build, inner) -> TestClient:
    app = Starlette(
        routes=[Route("/{path:path}", inner, methods=["GET", "POST"])],
        middleware=[
            Middleware(preload.PreloadMiddleware, static_dir=build),
            Middleware(GZipMiddleware, minimum_size=100),  # as Streamlit's own, inside ours
        ],
    )
    return TestClient(app)


def _answer(request) -> Response:
    if request.url.path == "/cached":
        return Response(status_code=304)
    if request.url.path.startswith("/static/"):
        return PlainTextResponse(SCRIPT, media_type="application/javascript")
    return HTMLResponse(PAGE)


SCRIPT = "console.log(1);" * 50


def test_a_page_gains_the_links_before_head_end_uncompressed(build):
    client = _client(build, _answer)
    response = client.get("/overview", headers={**BROWSER, "accept-encoding": "gzip"})
    assert response.status_code == 200
    assert "content-encoding" not in response.headers
    body = response.content
    assert int(response.headers["content-length"]) == len(body)
    assert body.startswith(PAGE[:40].encode()) and body.endswith(b"</head></html>")
    links = body[body.index(b"<link") : body.index(b"</head>")].decode()
    assert links.splitlines() == [  # the map's component (ELEMENTS) and what it imports
        '<link rel="modulepreload" crossorigin href="./static/js/ComponentInstance.F.js">',
        '<link rel="modulepreload" crossorigin href="./static/js/field.D.js">',
        '<link rel="modulepreload" crossorigin href="./static/js/deep.E.js">',
        '<link rel="modulepreload" crossorigin href="./static/js/x&amp;y.G.js">',  # escaped
    ]


def test_what_is_not_a_page_passes_untouched(build):
    client = _client(build, _answer)
    # a script the page fetches: compressed by the inner middleware, as before
    got = client.get("/static/js/a.js", headers={"accept": "*/*", "accept-encoding": "gzip"})
    assert got.headers["content-encoding"] == "gzip" and got.text == SCRIPT
    # a page answered "not modified" stays so
    assert client.get("/cached", headers=BROWSER).status_code == 304
    # a component's page, in an iframe, is not Streamlit's page
    frame = client.get("/component/x", headers={**BROWSER, "sec-fetch-dest": "iframe"})
    assert frame.text == PAGE
    # a POST is never rewritten
    assert client.post("/overview", headers=BROWSER).text == PAGE
