"""What every real-browser test shares (helpers: support.py).

Every test in this folder is marked ``browser`` (``-m "not browser"`` leaves them all out) and
skipped without Debian's Chromium. Playwright's ``expect`` waits up to ``WAIT_MS``. Each module
gets its own Chromium (``browser``) and its own served app (``app_url``, on a state folder of
its own: ``server_state``), so that ``pytest -n 2 --dist loadfile`` runs modules apart. A module
overrides ``server_state`` to seed its store, or ``app_url`` to serve the app otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.browser.support import (
    CHROMIUM,
    VIEWPORT,
    WAIT_MS,
    Watched,
    free_port,
    launch_browser,
    serve_app,
    watch,
)

HERE = Path(__file__).resolve().parent

expect.set_options(timeout=WAIT_MS)


@pytest.hookimpl(tryfirst=True)  # before ``-m`` deselects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test of this folder ``browser``; skip them all without Chromium."""
    no_chromium = pytest.mark.skip(
        reason=f"browser tests need Debian's Chromium at {CHROMIUM} (`make chromium` installs "
        "it; never `playwright install`)"
    )
    for item in items:
        if HERE in item.path.resolve().parents:
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM.exists():
                item.add_marker(no_chromium)


@pytest.fixture(scope="module")
def browser() -> Iterator:
    """Headless Debian Chromium for the module."""
    with sync_playwright() as playwright:
        chromium = launch_browser(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def server_state(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The served app's state folder, ``<module>-state``: empty (the server seeds its store
    from data/) unless the module overrides this fixture."""
    name = request.module.__name__.rsplit(".", 1)[-1].removeprefix("test_")
    return tmp_path_factory.mktemp(f"{name}-state")


@pytest.fixture(scope="module")
def app_url(server_state: Path) -> Iterator[str]:
    """The module's app (``streamlit run`` on 127.0.0.1, see support.serve_app): its base URL."""
    with serve_app(server_state, free_port()) as url:
        yield url


@pytest.fixture
def new_watched(browser) -> Iterator[Callable[..., Watched]]:
    """``new_watched(viewport=VIEWPORT, **options)``: a watched page (support.watch) in a fresh
    browser context (its own "browser"), in Chinese; ``options`` go to ``new_context``. The
    contexts are closed after the test."""
    contexts = []

    def make(viewport: dict[str, int] = VIEWPORT, **options) -> Watched:
        context = browser.new_context(viewport=viewport, locale="zh-CN", **options)
        context.set_default_timeout(WAIT_MS)
        contexts.append(context)
        return watch(context)

    yield make
    for context in contexts:
        context.close()
