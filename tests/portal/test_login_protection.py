"""Login throttling with django-axes and the session idle timeout (issue 11, item 4)."""

import html
import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from portal.auth import client_ip, minutes_text
from portal.checks import check_trusted_proxy_count
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
LOGIN = "/accounts/login/"
MESSAGE = (
    "Слишком много неудачных попыток входа. Повторите через 15 минут или обратитесь к "
    "администратору."
)


@pytest.fixture(autouse=True)
def limits(settings):
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    settings.TRUSTED_PROXY_COUNT = 0


def log_in(client, username, password=PASSWORD, **meta):
    return client.post(LOGIN, {"username": username, "password": password}, **meta)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def fail(client, username, times, **meta):
    for _ in range(times):
        response = log_in(client, username, "wrong-password", **meta)
    return response


def test_wrong_passwords_lock_the_user_and_the_right_one_is_refused(client, world):
    response = fail(client, "officer", 4)
    assert response.status_code == 200  # still the ordinary error
    assert "Слишком много" not in response.content.decode()
    response = fail(client, "officer", 1)
    assert response.status_code == 429
    assert MESSAGE in response.content.decode()

    response = log_in(client, "officer")
    assert response.status_code == 429
    page = response.content.decode()
    assert MESSAGE in page
    assert 'name="username"' in page  # the login page itself, not a bare axes page
    assert not logged_in(client)
    # Another user from elsewhere is not affected.
    assert log_in(client, "coordinator", REMOTE_ADDR="10.0.0.2").status_code == 302


def test_one_address_is_locked_across_user_names(client, world):
    for k in range(5):
        log_in(client, f"guess{k}", "wrong-password", REMOTE_ADDR="10.0.0.7")
    response = log_in(client, "officer", REMOTE_ADDR="10.0.0.7")
    assert response.status_code == 429
    assert MESSAGE in response.content.decode()
    # The same user from another address logs in: his name has no failures.
    assert log_in(client, "officer", REMOTE_ADDR="10.0.0.8").status_code == 302
    assert logged_in(client)


def test_cool_off_in_the_message_follows_the_setting(client, world, settings):
    settings.AXES_COOLOFF_TIME = timedelta(minutes=2)
    response = fail(client, "officer", 5)
    assert "Повторите через 2 минуты или обратитесь к администратору." in (
        response.content.decode()
    )


def test_administrator_unlocks_in_the_admin(client, world):
    fail(client, "officer", 5)
    assert log_in(client, "officer").status_code == 429
    admin = client.__class__()
    admin.force_login(world.admin)
    changelist = reverse("admin:axes_accessattempt_changelist")
    page = admin.get(changelist)
    assert page.status_code == 200
    assert "officer" in page.content.decode()
    answer = admin.post(
        changelist,
        {
            "action": "unlock",
            "_selected_action": list(AccessAttempt.objects.values_list("pk", flat=True)),
        },
        follow=True,
    )
    assert "Разблокировано" in answer.content.decode()
    assert log_in(client, "officer").status_code == 302
    assert logged_in(client)


def test_only_administrators_see_the_failed_logins(client, world):
    client.force_login(world.coordinator)
    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 403


def test_axes_reset_command_unlocks(client, world):
    fail(client, "officer", 5)
    call_command("axes_reset_username", "officer")
    call_command("axes_reset")
    assert log_in(client, "officer").status_code == 302


def test_forwarded_for_is_ignored_unless_a_proxy_is_configured(client, world, settings):
    # No proxy configured: writing another X-Forwarded-For does not escape the lock.
    for k in range(5):
        log_in(client, f"guess{k}", "x", HTTP_X_FORWARDED_FOR=f"198.51.100.{k}")
    assert log_in(client, "officer", HTTP_X_FORWARDED_FOR="198.51.100.99").status_code == 429

    AccessAttempt.objects.all().delete()
    settings.TRUSTED_PROXY_COUNT = 1
    # Behind one proxy the right-most address is the client's; what he wrote before is not.
    for k in range(5):
        log_in(client, f"guess{k}", "x", HTTP_X_FORWARDED_FOR=f"1.2.3.{k}, 203.0.113.5")
    assert log_in(client, "officer", HTTP_X_FORWARDED_FOR="1.2.3.9, 203.0.113.5").status_code == 429
    assert log_in(client, "officer", HTTP_X_FORWARDED_FOR="203.0.113.6").status_code == 302


def test_session_ends_after_the_idle_time(client, world, settings):
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_TIMEOUT_SECONDS == 8 * 60 * 60
    settings.SESSION_REFRESH_SECONDS = 0  # every request writes (the interval: the next test)
    assert log_in(client, "officer").status_code == 302
    session = Session.objects.get()
    # A request moves the end forward by the idle time.
    Session.objects.update(expire_date=timezone.now() + timedelta(minutes=1))
    assert client.get("/registry/processes/").status_code == 200
    session.refresh_from_db()
    left = session.expire_date - timezone.now()
    assert timedelta(hours=7, minutes=59) < left <= timedelta(hours=8)
    # Idle past the end: the next page sends the user to the login page.
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/registry/processes/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_the_session_is_written_at_most_once_per_refresh_interval(client, world, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.SESSION_REFRESH_SECONDS = 300
    assert log_in(client, "officer").status_code == 302
    client.get("/registry/processes/")  # the first page writes the new end

    def session_writes():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/registry/processes/").status_code == 200
        return [q for q in queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]]

    assert session_writes() == []  # within five minutes: no UPDATE of the session
    settings.SESSION_REFRESH_SECONDS = 0
    assert len(session_writes()) == 1  # past the interval: the end moves forward again


def test_test_client_login_passes_a_request_to_axes(client, world):
    # django-axes' backend needs the request; the test client's login() must hand it one.
    assert client.login(request=HttpRequest(), username="officer", password=PASSWORD)
    assert client.get("/registry/processes/").status_code == 200


def test_admin_login_page_is_throttled_too(client, world):
    for _ in range(5):
        response = client.post(
            "/admin/login/", {"username": "admin", "password": "wrong", "next": "/admin/"}
        )
    assert response.status_code == 429
    assert MESSAGE in response.content.decode()
    assert log_in(client, "admin").status_code == 429


@pytest.mark.parametrize(
    ("minutes", "text"),
    [
        (1, "1 минуту"),
        (2, "2 минуты"),
        (5, "5 минут"),
        (11, "11 минут"),
        (21, "21 минуту"),
        (15, "15 минут"),
        (60, "60 минут"),
    ],
)
def test_minutes_in_the_message(minutes, text):
    assert minutes_text(minutes) == text


def age_attempts(minutes):
    """Moves every recorded failure `minutes` into the past (as if that much time passed)."""
    for attempt in AccessAttempt.objects.all():
        AccessAttempt.objects.filter(pk=attempt.pk).update(
            attempt_time=attempt.attempt_time - timedelta(minutes=minutes)
        )


def test_attempts_during_a_lockout_do_not_restart_the_cool_off(client, world):
    fail(client, "officer", 5)
    age_attempts(10)
    # Trying again during the lockout (even with the right password) is refused, and the
    # wait shown is what is left of the first lockout, not the full cool-off again.
    response = log_in(client, "officer")
    assert response.status_code == 429
    assert "Повторите через 5 минут " in response.content.decode()
    assert "Повторите через 5 минут " in fail(client, "officer", 1).content.decode()
    age_attempts(4)
    assert "Повторите через 1 минуту " in log_in(client, "officer").content.decode()
    age_attempts(2)
    assert log_in(client, "officer").status_code == 302
    assert logged_in(client)


def test_empty_remote_addr_still_counts_and_is_logged(client, world, caplog):
    with caplog.at_level("WARNING", logger="portal.auth"):
        for k in range(5):
            log_in(client, f"guess{k}", "wrong-password", REMOTE_ADDR="")
    assert "no client address" in caplog.text
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"0.0.0.0"}
    assert log_in(client, "officer", REMOTE_ADDR="").status_code == 429
    assert log_in(client, "officer", REMOTE_ADDR="10.0.0.8").status_code == 302


def test_an_ipv6_client_is_counted_by_its_64_network(client, world):
    for k in range(5):
        log_in(client, f"guess{k}", "wrong-password", REMOTE_ADDR=f"2001:db8:0:7::{k + 1}")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"2001:db8:0:7::"}
    assert log_in(client, "officer", REMOTE_ADDR="2001:db8:0:7:ffff::9").status_code == 429
    # The next /64 is another client.
    assert log_in(client, "officer", REMOTE_ADDR="2001:db8:0:8::1").status_code == 302


@pytest.mark.parametrize(
    ("meta", "proxies", "expected"),
    [
        ({"REMOTE_ADDR": "203.0.113.5"}, 0, "203.0.113.5"),
        ({"REMOTE_ADDR": "::ffff:203.0.113.5"}, 0, "203.0.113.5"),
        ({"REMOTE_ADDR": "2001:DB8:1:2:3:4:5:6"}, 0, "2001:db8:1:2::"),
        ({"REMOTE_ADDR": ""}, 0, "0.0.0.0"),
        ({"REMOTE_ADDR": "garbage"}, 0, "0.0.0.0"),
        ({"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "2001:db8::1"}, 1, "2001:db8::"),
        (
            {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "1.2.3.4, ::ffff:198.51.100.7"},
            1,
            "198.51.100.7",
        ),
        ({"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "junk"}, 1, "127.0.0.1"),
    ],
)
def test_client_ip_is_normalized(rf, settings, meta, proxies, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_ip(rf.get("/", **meta)) == expected


def test_never_locked_addresses(client, world, settings):
    settings.AXES_IP_WHITELIST = ["10.0.0.7"]
    settings.AXES_NEVER_LOCKOUT_WHITELIST = True
    for k in range(6):
        log_in(client, f"guess{k}", "wrong-password", REMOTE_ADDR="10.0.0.7")
    assert log_in(client, "officer", REMOTE_ADDR="10.0.0.7").status_code == 302
    fail(client, "coordinator", 5, REMOTE_ADDR="10.0.0.9")
    assert log_in(client, "coordinator", REMOTE_ADDR="10.0.0.9").status_code == 429


def settings_in_a_fresh_process(**env):
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.TRUSTED_PROXY_COUNT, s.AXES_IP_WHITELIST, s.AXES_NEVER_LOCKOUT_WHITELIST, "
        "s.AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT)"
    )
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "LOGIN_"))}
    environ.update(DJANGO_SETTINGS_MODULE="config.settings", **env)
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1]


def test_login_protection_settings_from_the_environment():
    assert settings_in_a_fresh_process() == "0 [] False False"
    production = {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "k" * 60,
        "LOGIN_NEVER_LOCKOUT_ADDRESSES": "10.1.2.3, 2001:db8:0:7::",
    }
    assert settings_in_a_fresh_process(**production) == (
        "1 ['10.1.2.3', '2001:db8:0:7::'] True False"
    )


def test_deploy_check_refuses_a_trusted_proxy_header_without_a_proxy_count(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.TRUSTED_PROXY_COUNT = 0
    assert [e.id for e in check_trusted_proxy_count(None)] == ["portal.E001"]
    settings.TRUSTED_PROXY_COUNT = 1
    assert check_trusted_proxy_count(None) == []
    settings.SECURE_PROXY_SSL_HEADER = None
    settings.TRUSTED_PROXY_COUNT = 0
    assert check_trusted_proxy_count(None) == []


AXES_ENGLISH = re.compile(
    r"\b(Attempts?|Attempted|Remaining|Locked|Access|Axes|Not set|Expiration|Expires|"
    r"User Agent|IP Address|Failed|Logins?|Clean up|Cleaned|Form Data|Meta Data|"
    r"HTTP Accept|Path|Username|Logout)\b"
)


def visible_text(page: str) -> str:
    """What an administrator reads: the page without scripts, styles and tags (the attributes
    and URLs carry Latin words of their own)."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def test_the_login_protection_admin_is_in_russian(client, world):
    fail(client, "officer", 5, REMOTE_ADDR="10.0.0.5")
    admin = client.__class__()
    admin.force_login(world.admin)
    pages = {
        "index": admin.get(reverse("admin:index")),
        "app": admin.get(reverse("admin:app_list", args=["axes"])),
        "changelist": admin.get(reverse("admin:axes_accessattempt_changelist")),
        "locked": admin.get(reverse("admin:axes_accessattempt_changelist"), {"locked": "yes"}),
        "change": admin.get(
            reverse("admin:axes_accessattempt_change", args=[AccessAttempt.objects.get().pk])
        ),
        "history": admin.get(
            reverse("admin:axes_accessattempt_history", args=[AccessAttempt.objects.get().pk])
        ),
        "failures": admin.get(reverse("admin:axes_accessfailurelog_changelist")),
        "log": admin.get(reverse("admin:axes_accesslog_changelist")),
    }
    found = {}
    for name, response in pages.items():
        assert response.status_code == 200, name
        words = AXES_ENGLISH.findall(visible_text(response.content.decode()))
        if words:
            found[name] = sorted(set(words))
    assert not found
    text = visible_text(pages["changelist"].content.decode())
    assert "Защита входа" in visible_text(pages["index"].content.decode())
    assert "заблокированы имя и адрес" in text
    assert "Разблокировать имена и адреса выбранных записей" in text
    assert "Неудачные входы: officer с адреса 10.0.0.5" in visible_text(
        pages["change"].content.decode()
    )


def attempts_page(world):
    from django.test import Client

    admin = Client()
    admin.force_login(world.admin)
    return visible_text(admin.get(reverse("admin:axes_accessattempt_changelist")).content.decode())


def test_the_status_column_follows_the_totals_of_the_name_and_the_address(client, world):
    # Four failures under one name from four addresses: not yet locked, one left.
    for k in range(4):
        log_in(client, "officer", "wrong-password", REMOTE_ADDR=f"10.0.1.{k}")
    assert attempts_page(world).count("осталось попыток: 1") == 4
    # The fifth from yet another address locks the name (each address has one failure).
    log_in(client, "officer", "wrong-password", REMOTE_ADDR="10.0.1.9")
    assert attempts_page(world).count("заблокировано имя") == 5
    AccessAttempt.objects.all().delete()
    # Five names from one address lock the address, not the names.
    for k in range(5):
        log_in(client, f"guess{k}", "wrong-password", REMOTE_ADDR="10.0.2.1")
    assert attempts_page(world).count("заблокирован адрес") == 5
    assert "заблокировано имя" not in attempts_page(world)


def test_unlocking_one_row_unlocks_its_name_and_its_address_and_is_logged(client, world):
    from django.contrib.admin.models import DELETION, LogEntry

    for k in range(5):
        log_in(client, "officer", "wrong-password", REMOTE_ADDR=f"10.0.3.{k}")
    log_in(client, "coordinator", "wrong-password", REMOTE_ADDR="10.0.4.1")
    admin = client.__class__()
    admin.force_login(world.admin)
    one = AccessAttempt.objects.filter(username="officer").first()
    answer = admin.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "unlock", "_selected_action": [one.pk]},
        follow=True,
    )
    assert "Разблокировано имен: 1, адресов: 1" in answer.content.decode()
    # Every failure of the name went (from all five addresses); the coordinator's stays.
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["coordinator"]
    entries = LogEntry.objects.filter(user=world.admin, action_flag=DELETION)
    assert entries.count() == 5
    assert all(e.object_repr.startswith("Неудачные входы: officer") for e in entries)
    assert log_in(client, "officer", REMOTE_ADDR="10.0.3.0").status_code == 302
