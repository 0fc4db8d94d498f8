"""Directory accounts that lose their groups lose their access (issue 17, follow-up): the
real slapd of tests/directory_servers.py changed with ldapmodify / ldapdelete, then
`manage.py sync_directory_users`; inactive users refused on pages and in the API whatever
switched them off; OpenID Connect accounts known by their provider's `sub`."""

from __future__ import annotations

import itertools
from io import StringIO

import pytest
import requests
from django.contrib.admin.models import LogEntry
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from rest_framework.test import APIClient

from portal.api.tokens import create_token
from registry.models import Directory, DirectoryGroup, Role, User
from registry.services.directory import NO_GROUP, OTHER_SUBJECT
from tests.directory_servers import (  # noqa: F401  (fixtures)
    OFFICERS,
    SUFFIX,
    UNIT_STAFF,
    free_port,
    ldap_change,
    ldap_environment,
    membership,
    oidc_provider,
    person,
    relative,
    slapd,
)
from tests.registry.test_directory_sign_in import (  # noqa: F401  (fixtures)
    LOGIN,
    ldap_on,
    log_in,
    oidc_on,
    switch_on,
    through_provider,
)

PROCESSES = "/api/processes/"
_numbers = itertools.count(1)


@pytest.fixture
def newcomer(slapd):  # noqa: F811
    """A person of the directory's own for one test, in the unit's group; deleted from the
    directory afterwards (the slapd is the session's; a group keeping his DN is harmless,
    no other test has his name)."""
    uid = f"sync{next(_numbers)}"
    ldap_change(slapd, person(uid, "Новый", "Сотрудник"), tool="ldapadd")
    ldap_change(slapd, membership(UNIT_STAFF, uid, "add"))
    yield uid
    ldap_change(slapd, f"uid={uid},ou=people,{SUFFIX}\n", tool="ldapdelete")


def remove_from_group(uri, group_dn, uid):
    ldap_change(uri, membership(group_dn, uid, "delete"))


def sync(*args) -> str:
    out = StringIO()
    call_command("sync_directory_users", *args, stdout=out)
    return out.getvalue()


def signed_in_with_token(client, uid):
    assert log_in(client, uid).status_code == 302
    user = User.objects.get(username=uid)
    _, key = create_token(user, name="скрипт")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get(reverse("registry:process_list")).status_code == 200
    assert api.get(PROCESSES).status_code == 200
    return user, api


def test_a_user_taken_out_of_his_group_loses_his_session_and_tokens(
    client,
    ldap_on,  # noqa: F811
    slapd,  # noqa: F811
    newcomer,
):
    user, api = signed_in_with_token(client, newcomer)
    assert "изменено: 0, без изменений: 1" in sync()  # nothing changed yet

    remove_from_group(slapd, UNIT_STAFF, newcomer)
    out = sync()
    assert f"отключена {newcomer}: учетная запись не входит ни в одну группу" in out
    assert "отозвано ключей API: 1, завершено сеансов: 1" in out
    assert "отключено: 1" in out

    user.refresh_from_db()
    assert not user.is_active  # switched off, not deleted
    assert user.api_tokens.get().revoked_at is not None
    page = client.get(reverse("registry:process_list"))
    assert page.status_code == 302 and page["Location"].startswith(LOGIN)
    assert api.get(PROCESSES).status_code == 401
    entry = LogEntry.objects.get(object_id=str(user.pk))
    assert "Отключена сверкой с каталогом" in entry.change_message

    # Idempotent: a switched-off account is not checked again, nothing more is written.
    assert "Проверено учетных записей LDAP: 0" in sync()
    assert LogEntry.objects.filter(object_id=str(user.pk)).count() == 1


def test_a_user_deleted_from_the_directory_is_switched_off(client, ldap_on, slapd):  # noqa: F811
    uid = f"sync{next(_numbers)}"
    ldap_change(slapd, person(uid, "Ушедший", "Сотрудник"), tool="ldapadd")
    ldap_change(slapd, membership(UNIT_STAFF, uid, "add"))
    user, api = signed_in_with_token(client, uid)
    assert log_in(client, "petrov").status_code == 302  # another user, who stays

    ldap_change(slapd, membership(UNIT_STAFF, uid, "delete"))
    ldap_change(slapd, f"uid={uid},ou=people,{SUFFIX}\n", tool="ldapdelete")
    out = sync("--dry-run")
    assert f"Будет: отключена {uid}: учетной записи нет в каталоге" in out
    assert User.objects.get(pk=user.pk).is_active  # a dry run changes nothing

    out = sync()
    assert f"отключена {uid}: учетной записи нет в каталоге" in out
    assert "Проверено учетных записей LDAP: 2; отключено: 1, изменено: 0" in out
    assert not User.objects.get(pk=user.pk).is_active
    assert User.objects.get(username="petrov").is_active
    assert api.get(PROCESSES).status_code == 401


def test_a_group_change_moves_the_users_role(ldap_on, slapd, newcomer):  # noqa: F811
    ldap_change(slapd, membership(OFFICERS, newcomer, "add"))  # officers come first by order
    User.objects.create(
        username=newcomer,
        directory=Directory.LDAP,
        role=Role.OFFICIAL,
        organization=ldap_on.unit,
    )
    out = sync()
    assert f"изменена {newcomer}: было: сотрудник структурного подразделения" in out
    user = User.objects.get(username=newcomer)
    assert (user.role, user.organization, user.is_active) == (
        Role.AUTHORIZED_OFFICER,
        ldap_on.authority,
        True,
    )
    assert user.last_name == "Сотрудник"  # the directory's names too
    assert "уполномоченное лицо" in LogEntry.objects.get(object_id=str(user.pk)).change_message
    assert "изменено: 0" in sync()


def test_a_directory_that_does_not_answer_changes_nobody(settings, world):
    switch_on(settings, ldap_environment(f"ldap://127.0.0.1:{free_port()}"))
    User.objects.create(username="ivanova", directory=Directory.LDAP, role=Role.OFFICIAL)
    with pytest.raises(CommandError, match="Каталог не ответил"):
        sync()
    assert User.objects.get(username="ivanova").is_active


def test_a_search_that_finds_nobody_is_taken_for_a_wrong_setting(settings, slapd, world):  # noqa: F811
    switch_on(settings, {**ldap_environment(slapd), "LDAP_USER_BASE": f"ou=groups,{SUFFIX}"})
    for name in ("ivanova", "petrov"):  # noqa: F811
        User.objects.create(username=name, directory=Directory.LDAP, role=Role.OFFICIAL)
    with pytest.raises(CommandError, match="ошибку настройки"):
        sync()
    assert User.objects.filter(is_active=True).filter(directory=Directory.LDAP).count() == 2


def test_the_command_says_so_when_ldap_is_off(world):
    assert "Вход через LDAP выключен" in sync()


def test_an_inactive_directory_user_is_refused_on_pages_and_in_the_api(client, ldap_on):  # noqa: F811
    """Whoever switched him off (an administrator in the admin, the sync): neither library's
    get_user checks is_active, the portal's backends do; DRF's session and token sign-in too."""
    user, api = signed_in_with_token(client, "petrov")
    User.objects.filter(pk=user.pk).update(is_active=False)
    page = client.get(reverse("registry:process_list"))
    assert page.status_code == 302 and page["Location"].startswith(LOGIN)
    assert api.get(PROCESSES).status_code == 401
    assert "отключена" in api.get(PROCESSES).json()["detail"]
    assert log_in(client, "petrov").status_code == 200  # and he cannot sign in again


def test_an_inactive_oidc_user_is_refused_on_pages(client, oidc_on):  # noqa: F811
    assert through_provider(client, oidc_on, "kuznetsova").status_code == 302
    User.objects.filter(username="kuznetsova").update(is_active=False)
    page = client.get(reverse("registry:process_list"))
    assert page.status_code == 302 and page["Location"].startswith(LOGIN)
    session_api = client.get(PROCESSES)
    assert session_api.status_code == 401, session_api.content


# --- OpenID Connect: the provider's sub ---------------------------------------------------


def test_oidc_users_are_known_by_their_sub(client, oidc_on):  # noqa: F811
    assert through_provider(client, oidc_on, "kuznetsova").status_code == 302
    user = User.objects.get(username="kuznetsova")
    assert user.directory_subject == "sub-kuznetsova"

    # The provider renames her: the same account (the portal name stays hers).
    client.post(reverse("logout"))
    oidc_on.accounts["kuznetsova-ivanova"] = {
        **oidc_on.accounts["kuznetsova"],
        "sub": "sub-kuznetsova",
        "family_name": "Кузнецова-Иванова",
    }
    assert through_provider(client, oidc_on, "kuznetsova-ivanova").status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk
    user.refresh_from_db()
    assert (user.username, user.last_name) == ("kuznetsova", "Кузнецова-Иванова")
    assert User.objects.filter(directory=Directory.OIDC).count() == 1


def test_a_user_name_given_to_another_sub_is_refused(client, oidc_on):  # noqa: F811
    assert through_provider(client, oidc_on, "kuznetsova").status_code == 302
    client.post(reverse("logout"))
    # The provider gives the name to another account (hers was renamed or removed).
    oidc_on.accounts["kuznetsova"] = {**oidc_on.accounts["kuznetsova"], "sub": "sub-new-one"}
    response = through_provider(client, oidc_on, "kuznetsova")
    assert response["Location"] == LOGIN
    assert OTHER_SUBJECT.format(username="kuznetsova") in client.get(LOGIN).content.decode()
    assert "_auth_user_id" not in client.session
    assert User.objects.get(username="kuznetsova").directory_subject == "sub-kuznetsova"


def test_a_name_of_another_sub_in_no_group_leaves_the_first_account_alone(world):
    from portal.auth import SignInRefused
    from registry.services import directory

    DirectoryGroup.objects.create(
        directory=Directory.OIDC, name="staff", role=Role.OFFICIAL, organization=world.unit
    )
    first = directory.sign_in(None, Directory.OIDC, "orlov", ["staff"], subject="sub-1")
    with pytest.raises(SignInRefused):
        directory.sign_in(None, Directory.OIDC, "orlov", ["other"], subject="sub-2")
    first.refresh_from_db()
    assert first.is_active
    with pytest.raises(SignInRefused):
        directory.sign_in(None, Directory.OIDC, "orlov", ["other"], subject="sub-1")
    first.refresh_from_db()
    assert not first.is_active


def test_an_oidc_account_from_before_subjects_is_matched_by_name_once(client, oidc_on, world):  # noqa: F811
    old = User.objects.create(
        username="kuznetsova", directory=Directory.OIDC, organization=world.unit
    )
    assert through_provider(client, oidc_on, "kuznetsova").status_code == 302
    old.refresh_from_db()
    assert old.directory_subject == "sub-kuznetsova"
    assert int(client.session["_auth_user_id"]) == old.pk


# --- OpenID Connect: the session refreshed at the provider --------------------------------


def refresh_due(client):
    session = client.session
    session["oidc_id_token_expiration"] = 0  # as if OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS passed
    session.save()


def back_from_provider(client, response):
    """The browser follows the refresh's redirect to the provider and back."""
    assert response.status_code == 302
    assert "prompt=none" in response["Location"], response["Location"]
    at_provider = requests.get(response["Location"], allow_redirects=False, timeout=5)
    return client.get(relative(at_provider.headers["Location"]))


def test_an_oidc_session_is_refreshed_with_the_groups_as_they_are_now(client, oidc_on, world):  # noqa: F811
    registry = reverse("registry:process_list")
    assert through_provider(client, oidc_on, "kuznetsova").status_code == 302
    token, _ = create_token(User.objects.get(username="kuznetsova"))
    assert client.get(registry).status_code == 200  # not due yet: no trip to the provider

    DirectoryGroup.objects.filter(name="/portal/opfo").update(organization=world.other_unit)
    refresh_due(client)
    back = back_from_provider(client, client.get(registry))
    assert back.status_code == 302 and back["Location"] == registry  # the page he asked for
    assert User.objects.get(username="kuznetsova").organization == world.other_unit
    assert client.get(registry).status_code == 200

    # Out of every mapped group at the provider: the next refresh signs him out.
    oidc_on.accounts["kuznetsova"]["groups"] = ["staff"]
    refresh_due(client)
    back = back_from_provider(client, client.get(registry))
    assert back["Location"] == LOGIN
    assert NO_GROUP in client.get(LOGIN).content.decode()
    assert "_auth_user_id" not in client.session
    page = client.get(registry)
    assert page.status_code == 302 and page["Location"].startswith(LOGIN)
    # The provider's word is the directory's: switched off as the sync would, not deleted.
    user = User.objects.get(username="kuznetsova")
    assert not user.is_active
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "Отключена при входе через каталог" in LogEntry.objects.get().change_message


def test_an_oidc_session_ends_when_the_provider_has_signed_him_out(client, oidc_on):  # noqa: F811
    assert through_provider(client, oidc_on, "kuznetsova").status_code == 302
    oidc_on.signed_in = ""
    refresh_due(client)
    back = back_from_provider(client, client.get(reverse("registry:process_list")))
    assert back["Location"] == LOGIN
    assert "_auth_user_id" not in client.session


def test_local_and_ldap_sessions_are_not_sent_to_the_provider(client, oidc_on, world):  # noqa: F811
    client.force_login(world.officer, backend="django.contrib.auth.backends.ModelBackend")
    refresh_due(client)
    assert client.get(reverse("registry:process_list")).status_code == 200


def test_a_scripts_request_is_not_sent_to_the_provider(client, oidc_on):  # noqa: F811
    """A job's page polls its status by fetch(): a redirect to the provider there is a
    cross-origin redirect the browser refuses, and the progress stopped for good. A script's
    request (Sec-Fetch-Mode other than navigate) is answered 403 with the refresh's address,
    as the library answers an XMLHttpRequest (portal.js reloads the page); the page itself
    goes to the provider."""
    from portal.models import Job

    assert through_provider(client, oidc_on, "kuznetsova").status_code == 302
    user = User.objects.get(username="kuznetsova")
    job = Job.objects.create(user=user, kind="list_export", title="Выгрузка", params={})
    refresh_due(client)
    status = client.get(
        reverse("portal:job_status", args=[job.pk]),
        headers={"Accept": "application/json", "Sec-Fetch-Mode": "cors"},
    )
    assert status.status_code == 403
    assert "prompt=none" in status["refresh_url"]
    assert "state" not in status.json()  # nothing of the job before the provider says yes
    page = client.get(
        reverse("portal:job_detail", args=[job.pk]), headers={"Sec-Fetch-Mode": "navigate"}
    )
    back = back_from_provider(client, page)
    assert back["Location"] == reverse("portal:job_detail", args=[job.pk])
