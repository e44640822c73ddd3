"""Single sign-on, the whole round trip, in a real browser against a real OpenID Connect
provider: sign in, the allowed-list check, a role from a group claim, a refused account, sign
out.

The provider is ``oidc-provider-mock`` (a Flask app implementing OpenID Connect with Authlib),
served on 127.0.0.1 for this module; the dashboard is a real ``streamlit run`` whose secrets
file (``STREAMLIT_SECRETS_FILES``) names it, as an office's IT would name its own. Streamlit's
``st.login`` needs Authlib, which ``streamlit[auth]`` installs: this test fails without it.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from geo.text.labels import t
from tests.browser.support import ARTIFACTS, free_port, serve, watch

oidc = pytest.importorskip("oidc_provider_mock")

EDITOR = "zhang.san@example.gov.cn"
STRANGER = "visitor@example.com"
#: An account whose provider says it is in the group of 党家街道's editors.
GROUPED = "li.si@example.gov.cn"


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    """The OpenID Connect provider on 127.0.0.1 (its login page: type an account, authorize)."""
    from werkzeug.serving import make_server

    grouped = oidc.User(sub=GROUPED, claims={"email": GROUPED, "groups": ["staff", "sz-dangjia"]})
    server = make_server("127.0.0.1", free_port(), oidc.app(user_claims=[grouped]), threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def app_url(provider: str, server_state: Path) -> Iterator[str]:
    """The app (``serve``) with a secrets file naming the provider and the allowed account."""
    port = free_port()
    secrets_file = server_state / "secrets.toml"
    secrets_file.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        'client_id = "shizhong-dashboard"\n'
        f'client_secret = "{secrets.token_hex(16)}"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n'
        "[editing]\n"
        f'allowed = ["{EDITOR}"]\n'
        'roles_claim = "groups"\n'
        "[editing.claim_roles]\n"
        'sz-dangjia = { role = "street", streets = ["党家街道"] }\n',
        encoding="utf-8",
    )
    environment = {
        "STREAMLIT_SECRETS_FILES": str(secrets_file),
        "NO_PROXY": "127.0.0.1,localhost",
        "no_proxy": "127.0.0.1,localhost",
    }
    with serve(server_state, port, env=environment) as server:
        yield server.url


def sign_in(page, app_url: str, provider: str, account: str) -> None:
    """From the Manage page through the provider's login page and back to the dashboard."""
    page.goto(app_url + "/manage")
    page.get_by_role("button", name=t("login_sso")).click()
    page.wait_for_url(f"{provider}/**")
    page.locator("input[name=sub]").fill(account)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{app_url}/**")
    page.goto(app_url + "/manage")


def sign_out(page, app_url: str, provider: str) -> None:
    """The dashboard's 退出登录, then the provider's end-of-session page (OpenID Connect
    RP-initiated logout: Streamlit ends the session at the provider too), back to the app."""
    page.get_by_role("button", name=t("logout")).click()
    page.wait_for_url(f"{provider}/**")
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(f"{app_url}/**")
    page.goto(app_url + "/manage")


def test_sign_in_edit_sign_out(app_url: str, provider: str, browser) -> None:
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    try:
        watched = watch(context)
        page = watched.page
        page.goto(app_url + "/manage")
        expect(page.get_by_role("button", name=t("login_sso"))).to_be_visible()
        expect(page.get_by_role("tab", name=t("tab_import"))).to_have_count(0)

        sign_in(page, app_url, provider, EDITOR)
        main = page.get_by_test_id("stMain")
        expect(main).to_contain_text(t("logged_in_as", user=EDITOR))
        expect(page.get_by_role("tab", name=t("tab_import"))).to_be_visible()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "sso-signed-in.png"))

        sign_out(page, app_url, provider)
        expect(page.get_by_role("button", name=t("login_sso"))).to_be_visible()
        expect(page.get_by_role("tab", name=t("tab_import"))).to_have_count(0)
        # the dashboard asked no other host; the test provider's own page links a stylesheet
        # on a CDN (aborted: this machine is offline), which is not the dashboard's doing
        assert all("/@picocss/pico@" in url for url in watched.foreign), watched.foreign
    finally:
        context.close()


def test_an_account_not_allowed_is_refused_and_can_sign_out(
    app_url: str, provider: str, browser
) -> None:
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    try:
        page = context.new_page()
        sign_in(page, app_url, provider, STRANGER)
        main = page.get_by_test_id("stMain")
        expect(main).to_contain_text(t("sso_refused", user=STRANGER))
        expect(page.get_by_role("tab", name=t("tab_import"))).to_have_count(0)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "sso-refused.png"))
        sign_out(page, app_url, provider)
        expect(page.get_by_role("button", name=t("login_sso"))).to_be_visible()
        expect(page.get_by_test_id("stMain")).not_to_contain_text(STRANGER)
    finally:
        context.close()


def test_a_group_claim_gives_a_subdistrict_editors_role(app_url: str, provider: str, browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    try:
        page = context.new_page()
        sign_in(page, app_url, provider, GROUPED)
        main = page.get_by_test_id("stMain")
        expect(main).to_contain_text(f"当前编辑：{GROUPED}（街道编辑 · 党家街道）")
        expect(page.get_by_role("tab", name=t("tab_submissions"))).to_be_visible()
        expect(page.get_by_role("tab", name=t("tab_boundaries"))).to_have_count(0)
        sign_out(page, app_url, provider)
    finally:
        context.close()
