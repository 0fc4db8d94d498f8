"""Sign-in with directory accounts (issue 17, item 4): a real OpenLDAP server and a minimal
OpenID Connect provider on loopback (tests/directory_servers.py), the portal configured as
docs/deployment.md says, through the real login page."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from axes.models import AccessAttempt
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.urls import reverse

from portal.auth import lockout_message
from portal.oidc import check_issuer_and_audience
from registry.backends import DIRECTORY_DOWN
from registry.models import Directory, DirectoryGroup, Role, User
from registry.services.directory import LOCAL_ACCOUNT, NO_GROUP
from tests.conftest import PASSWORD
from tests.directory_servers import (  # noqa: F401  (fixtures)
    ALL_STAFF,
    OFFICERS,
    UNIT_STAFF,
    USER_PASSWORD,
    free_port,
    ldap_environment,
    oidc_provider,
    relative,
    settings_of,
    slapd,
)

ROOT = Path(__file__).resolve().parents[2]
LOGIN = "/accounts/login/"


def switch_on(settings, environment: dict) -> None:
    made = settings_of(environment)
    for name, value in made.items():
        if name != "directory_backends":
            setattr(settings, name, value)
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        *made["directory_backends"],
    ]


@pytest.fixture
def ldap_on(settings, slapd, world):  # noqa: F811
    settings.AXES_FAILURE_LIMIT = 5
    settings.TRUSTED_PROXY_COUNT = 0
    switch_on(settings, ldap_environment(slapd))
    DirectoryGroup.objects.create(
        directory=Directory.LDAP,
        name=OFFICERS.replace(",", ", ").upper(),  # as typed by hand: DNs compare loosely
        role=Role.AUTHORIZED_OFFICER,
        organization=world.authority,
    )
    DirectoryGroup.objects.create(
        directory=Directory.LDAP, name=UNIT_STAFF, role=Role.OFFICIAL, organization=world.unit
    )
    return world


def log_in(client, username, password=USER_PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


def test_ldap_sign_in_creates_the_user_with_the_groups_role_and_authority(client, ldap_on):
    response = log_in(client, "ivanova")
    assert response.status_code == 302, response.content.decode()
    user = User.objects.get(username="ivanova")
    assert (user.role, user.organization, user.directory) == (
        Role.AUTHORIZED_OFFICER,
        ldap_on.authority,
        "ldap",
    )
    assert (user.last_name, user.email) == ("Иванова", "ivanova@portal.test")
    assert not user.has_usable_password()  # the directory keeps her password
    # She works as her authority's officer: its rows, not the city's.
    page = client.get(reverse("registry:process_list")).content.decode()
    assert ldap_on.own_row.function_name in page
    city_row = reverse("registry:process_detail", args=[ldap_on.city_row.pk])
    assert client.get(city_row).status_code == 404


def test_a_later_ldap_sign_in_takes_the_mapping_as_it_is_now(client, ldap_on):
    assert log_in(client, "petrov").status_code == 302
    assert User.objects.get(username="petrov").organization == ldap_on.unit
    client.post(reverse("logout"))

    DirectoryGroup.objects.filter(name=UNIT_STAFF).update(organization=ldap_on.other_unit)
    DirectoryGroup.objects.create(
        directory=Directory.LDAP,
        name=ALL_STAFF,
        role=Role.COORDINATOR,
        organization=ldap_on.region,
        order=500,
    )
    assert log_in(client, "petrov").status_code == 302
    petrov = User.objects.get(username="petrov")
    assert (petrov.role, petrov.organization) == (Role.OFFICIAL, ldap_on.other_unit)
    client.post(reverse("logout"))

    DirectoryGroup.objects.filter(name=UNIT_STAFF).update(is_active=False)  # switched off
    assert log_in(client, "petrov").status_code == 302
    petrov.refresh_from_db()
    assert (petrov.role, petrov.organization) == (Role.COORDINATOR, ldap_on.region)
    assert not petrov.whole_country
    assert User.objects.filter(username="petrov").count() == 1


def test_a_wrong_directory_password_is_refused_and_counted_by_axes(client, ldap_on):
    response = log_in(client, "ivanova", "wrong-password")
    assert response.status_code == 200
    assert "введите правильные имя пользователя и пароль" in response.content.decode()
    assert not User.objects.filter(username="ivanova").exists()
    assert AccessAttempt.objects.get(username="ivanova").failures_since_start == 1

    for _ in range(4):
        log_in(client, "ivanova", "wrong-password")
    response = log_in(client, "ivanova")  # the right password, but locked out
    assert response.status_code == 429
    assert lockout_message() in response.content.decode()
    assert not User.objects.filter(username="ivanova").exists()


def test_a_directory_account_in_no_mapped_group_is_refused_in_russian(client, ldap_on):
    response = log_in(client, "sidorov")
    assert response.status_code == 200
    assert NO_GROUP in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(username="sidorov").exists()
    assert AccessAttempt.objects.get(username="sidorov").failures_since_start == 1


def test_local_accounts_keep_working_and_are_not_taken_over(client, ldap_on):
    assert log_in(client, "admin", PASSWORD).status_code == 302
    client.post(reverse("logout"))

    # The directory has an «officer» too, in a mapped group: the local account stays the
    # portal's, with its role and organization.
    response = log_in(client, "officer")
    assert LOCAL_ACCOUNT.format(username="officer") in response.content.decode()
    officer = User.objects.get(username="officer")
    assert (officer.directory, officer.organization) == ("", ldap_on.authority)
    assert officer.check_password(PASSWORD)
    assert log_in(client, "officer", PASSWORD).status_code == 302

    # A directory account has no portal password to guess.
    client.post(reverse("logout"))
    log_in(client, "ivanova")
    client.post(reverse("logout"))
    User.objects.filter(username="ivanova").update(password="")
    assert log_in(client, "ivanova", "").status_code == 200


def test_a_directory_that_does_not_answer_is_said_so_and_local_sign_in_works(
    client, settings, world
):
    switch_on(settings, ldap_environment(f"ldap://127.0.0.1:{free_port()}"))
    response = log_in(client, "ivanova")
    assert response.status_code == 200
    assert DIRECTORY_DOWN in response.content.decode()
    assert log_in(client, "admin", PASSWORD).status_code == 302


# --- OpenID Connect -------------------------------------------------------------------------


@pytest.fixture
def oidc_on(settings, oidc_provider, world):  # noqa: F811
    switch_on(settings, oidc_provider.environment())
    oidc_provider.accounts = {
        "kuznetsova": {
            "given_name": "Анна",
            "family_name": "Кузнецова",
            "email": "kuznetsova@portal.test",
            "groups": ["staff", "/portal/opfo"],
        },
        "orlov": {"given_name": "Олег", "family_name": "Орлов", "groups": ["staff"]},
    }
    DirectoryGroup.objects.create(
        directory=Directory.OIDC, name="/portal/opfo", role=Role.OFFICIAL, organization=world.unit
    )
    return oidc_provider


def through_provider(client, provider, username, next_url=""):
    """The browser's part of the code flow: the login page's button, the provider's sign-in
    (its user already signed in there), back to the portal's callback."""
    provider.signed_in = username
    page = client.get(LOGIN + (f"?next={next_url}" if next_url else "")).content.decode()
    start = reverse("oidc_authentication_init")
    assert f'href="{start}' in page
    response = client.get(start + (f"?next={next_url}" if next_url else ""))
    assert response.status_code == 302
    assert response["Location"].startswith(provider.issuer + "/authorize?")
    at_provider = requests.get(response["Location"], allow_redirects=False, timeout=5)
    assert at_provider.status_code == 302
    callback = at_provider.headers["Location"]
    assert callback.startswith("http://testserver" + reverse("oidc_authentication_callback"))
    return client.get(relative(callback))


def test_the_login_page_offers_the_provider_when_oidc_is_on(client, oidc_on):
    page = client.get(LOGIN).content.decode()
    assert "Войти через Keycloak области" in page


def test_the_oidc_code_flow_creates_the_user_with_the_mapped_role(client, oidc_on, world):
    oidc_on.requests.clear()
    registry = reverse("registry:process_list")
    response = through_provider(client, oidc_on, "kuznetsova", next_url=registry)
    assert response.status_code == 302
    assert response["Location"] == registry
    user = User.objects.get(username="kuznetsova")
    assert (user.role, user.organization, user.directory) == (Role.OFFICIAL, world.unit, "oidc")
    assert (user.last_name, user.email) == ("Кузнецова", "kuznetsova@portal.test")
    assert int(client.session["_auth_user_id"]) == user.pk
    assert world.own_row.function_name in client.get(registry).content.decode()
    # The back channel went to the provider: the token, its keys, the user's claims.
    assert {"/token", "/jwks", "/userinfo"} <= set(oidc_on.requests)

    # A later sign-in finds the same user.
    client.post(reverse("logout"))
    assert through_provider(client, oidc_on, "kuznetsova").status_code == 302
    assert User.objects.filter(username="kuznetsova").count() == 1


def test_an_oidc_user_in_no_mapped_group_is_refused_in_russian(client, oidc_on):
    response = through_provider(client, oidc_on, "orlov")
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert NO_GROUP in client.get(LOGIN).content.decode()
    assert not User.objects.filter(username="orlov").exists()
    assert "_auth_user_id" not in client.session


def test_an_oidc_callback_with_a_forged_code_is_refused(client, oidc_on):
    oidc_on.signed_in = "kuznetsova"
    response = client.get(reverse("oidc_authentication_init"))
    at_provider = requests.get(response["Location"], allow_redirects=False, timeout=5)
    forged = relative(at_provider.headers["Location"]).replace("code=", "code=x")
    response = client.get(forged)
    assert response["Location"] == LOGIN
    assert "Вход через внешнюю учетную запись не выполнен" in client.get(LOGIN).content.decode()
    assert not User.objects.filter(username="kuznetsova").exists()


def test_an_id_token_of_another_issuer_or_client_is_refused(settings):
    settings.OIDC_OP_ISSUER = "http://127.0.0.1:1"
    settings.OIDC_RP_CLIENT_ID = "portal"
    good = {"iss": "http://127.0.0.1:1", "aud": ["portal", "other"]}
    assert check_issuer_and_audience(good) == good
    with pytest.raises(SuspiciousOperation):
        check_issuer_and_audience({**good, "iss": "http://elsewhere"})
    with pytest.raises(SuspiciousOperation):
        check_issuer_and_audience({**good, "aud": "other"})


# --- off by default -------------------------------------------------------------------------


def settings_in_a_worker(environment: dict) -> str:
    """The backends and the login page of a web worker started with this environment."""
    script = (
        "import django; django.setup()\n"
        "from django.conf import settings\n"
        "print(' '.join(settings.AUTHENTICATION_BACKENDS), settings.LDAP_ENABLED,"
        " settings.OIDC_ENABLED)\n"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("LDAP_", "OIDC_"))}
    env = {**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **environment}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_directory_sign_in_is_off_by_default(client, world):
    assert settings_in_a_worker({}) == (
        "axes.backends.AxesStandaloneBackend django.contrib.auth.backends.ModelBackend False False"
    )
    page = client.get(LOGIN).content.decode()
    assert "Войти через" not in page
    assert 'data-testid="ldap-note"' not in page
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    assert client.get(reverse("oidc_authentication_callback")).status_code == 404


def test_the_environment_switches_each_directory_on(slapd, oidc_provider):  # noqa: F811
    assert settings_in_a_worker(ldap_environment(slapd)).endswith(
        "registry.backends.DirectoryLDAPBackend True False"
    )
    assert settings_in_a_worker(oidc_provider.environment()).endswith(
        "ModelBackend registry.backends.DirectoryOIDCBackend False True"
    )


# --- the table in «Справочники» -------------------------------------------------------------


def test_the_group_table_is_the_administrators_and_checks_the_organization(client, world):
    url = reverse("admin:registry_directorygroup_add")
    client.force_login(world.coordinator)
    assert client.get(url).status_code == 403
    client.force_login(world.admin)
    assert client.get(url).status_code == 200
    data = {"directory": "ldap", "name": OFFICERS, "role": Role.OFFICIAL, "order": 1}
    response = client.post(url, {**data, "organization": world.authority.pk, "is_active": "on"})
    assert "укажите организацию вида «структурное подразделение»" in response.content.decode()
    response = client.post(url, {**data, "organization": world.unit.pk, "is_active": "on"})
    assert response.status_code == 302
    assert DirectoryGroup.objects.get(name=OFFICERS).organization == world.unit
    # The same DN written otherwise is the same group.
    again = {**data, "name": OFFICERS.upper().replace(",", ", "), "organization": world.unit.pk}
    response = client.post(url, {**again, "is_active": "on"})
    assert "Эта группа каталога уже есть в справочнике." in response.content.decode()
    assert DirectoryGroup.objects.count() == 1

    group = DirectoryGroup(directory="oidc", name="x", role=Role.ADMINISTRATOR)
    with pytest.raises(ValidationError) as refused:
        group.full_clean()
    assert "role" in refused.value.message_dict

    # A directory's coordinator reads a territory; nationwide is the administrator's choice.
    group = DirectoryGroup(directory="oidc", name="y", role=Role.COORDINATOR)
    with pytest.raises(ValidationError) as refused:
        group.full_clean()
    assert "координатор всей страны назначается" in refused.value.message_dict["organization"][0]
    DirectoryGroup(
        directory="oidc", name="y", role=Role.COORDINATOR, organization=world.region
    ).full_clean()


def test_one_directorys_account_is_not_taken_over_by_anothers(world):
    """An LDAP account and an OpenID Connect account of the same name are not the same person
    by that alone (the provider may be another's, its user name claim editable): as with a
    local account, the other directory's sign-in is refused and nothing of the user changes."""
    from portal.auth import SignInRefused
    from registry.services import directory

    DirectoryGroup.objects.create(
        directory=Directory.LDAP,
        name=OFFICERS,
        role=Role.AUTHORIZED_OFFICER,
        organization=world.authority,
    )
    DirectoryGroup.objects.create(
        directory=Directory.OIDC, name="staff", role=Role.OFFICIAL, organization=world.city_unit
    )
    ivanova = directory.sign_in(None, Directory.LDAP, "ivanova", [OFFICERS], last_name="Иванова")
    with pytest.raises(SignInRefused, match="другого каталога"):
        directory.sign_in(None, Directory.OIDC, "Ivanova", ["staff"], last_name="Другая")
    ivanova.refresh_from_db()
    assert (ivanova.role, ivanova.organization, ivanova.directory, ivanova.last_name) == (
        Role.AUTHORIZED_OFFICER,
        world.authority,
        Directory.LDAP,
        "Иванова",
    )
    assert directory.sign_in(None, Directory.LDAP, "ivanova", [OFFICERS]) == ivanova


def test_the_nationwide_mark_does_not_outlive_the_coordinator_role(world):
    """An administrator's nationwide mark is the coordinator's: once the directory makes the
    user an officer, it goes, and a later regional coordinator's group gives his region only."""
    from registry.services import directory

    for name, role, organization in (
        ("officers", Role.AUTHORIZED_OFFICER, world.authority),
        ("coordinators", Role.COORDINATOR, world.region),
    ):
        DirectoryGroup.objects.create(
            directory=Directory.OIDC, name=name, role=role, organization=organization
        )
    user = directory.sign_in(None, Directory.OIDC, "petrova", ["coordinators"])
    User.objects.filter(pk=user.pk).update(whole_country=True, organization=None)
    user = directory.sign_in(None, Directory.OIDC, "petrova", ["coordinators"])
    assert (user.nationwide, user.organization) == (True, None)  # the administrator's choice
    user.full_clean()
    user = directory.sign_in(None, Directory.OIDC, "petrova", ["officers"])
    assert (user.role, user.whole_country) == (Role.AUTHORIZED_OFFICER, False)
    user.full_clean()
    user = User.objects.get(
        pk=directory.sign_in(None, Directory.OIDC, "petrova", ["coordinators"]).pk
    )
    assert not user.nationwide and set(user.territory_ids) == {world.region.pk, world.authority.pk}
