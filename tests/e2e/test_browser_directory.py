"""Directory sign-in in Chromium (issue 17, item 4): the login page with LDAP and OpenID
Connect switched on, the real slapd and the test provider on loopback
(tests/directory_servers.py); no page breaks the Content-Security-Policy on the way."""

import pytest
from playwright.sync_api import expect

from registry.models import Directory, DirectoryGroup, Role, User
from registry.services.directory import NO_GROUP
from tests.conftest import World
from tests.directory_servers import (  # noqa: F401  (fixtures)
    OFFICERS,
    USER_PASSWORD,
    ldap_environment,
    oidc_provider,
    slapd,
)
from tests.e2e.test_browser_csp import Watch
from tests.registry.test_directory_sign_in import switch_on

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def directories(settings, slapd, oidc_provider):  # noqa: F811
    settings.TRUSTED_PROXY_COUNT = 0
    switch_on(settings, {**ldap_environment(slapd), **oidc_provider.environment()})
    world = World()
    DirectoryGroup.objects.create(
        directory=Directory.LDAP,
        name=OFFICERS,
        role=Role.AUTHORIZED_OFFICER,
        organization=world.authority,
    )
    DirectoryGroup.objects.create(
        directory=Directory.OIDC, name="portal-unit", role=Role.OFFICIAL, organization=world.unit
    )
    oidc_provider.accounts = {
        "kuznetsova": {"given_name": "Анна", "family_name": "Кузнецова", "groups": ["portal-unit"]},
    }
    return world, oidc_provider


def sign_in_with_password(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", USER_PASSWORD)
    page.click("main button[type=submit]")


def test_directory_accounts_sign_in_through_the_login_page(page, live_server, directories):
    world, provider = directories
    watch = Watch(page)

    sign_in_with_password(page, live_server, "sidorov")  # in no mapped group
    expect(page.locator("main .alert-danger")).to_have_text(NO_GROUP)
    watch.check("refused")

    sign_in_with_password(page, live_server, "ivanova")
    expect(page.get_by_test_id("current-user")).to_contain_text("Иванова")
    assert User.objects.get(username="ivanova").organization == world.authority
    watch.check("signed in by LDAP")
    page.get_by_test_id("current-user").click()
    page.get_by_test_id("logout").click()
    expect(page.get_by_test_id("current-user")).to_have_count(0)

    provider.signed_in = "kuznetsova"
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Войти через Keycloak области").click()
    expect(page.get_by_test_id("current-user")).to_contain_text("Кузнецова")
    assert page.url.startswith(live_server.url)
    assert User.objects.get(username="kuznetsova").organization == world.unit
    watch.check("signed in by OpenID Connect")
