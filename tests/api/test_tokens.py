"""API tokens: made by the command and the page, accepted as Token or Bearer, refused when
revoked or expired (401), a read-only token cannot write (403), the rate per token (429)."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.settings import api_settings
from rest_framework.test import APIClient

from portal.api.tokens import create_token
from portal.models import APIToken
from portal.models.tokens import key_hash

pytestmark = pytest.mark.django_db

PROCESSES = "/api/processes/"


def api(key=None, keyword="Token"):
    client = APIClient()
    if key:
        client.credentials(HTTP_AUTHORIZATION=f"{keyword} {key}")
    return client


def test_command_prints_a_key_that_reads_the_registry(world):
    out = StringIO()
    call_command("create_api_token", "officer", stdout=out, stderr=StringIO())
    key = out.getvalue().strip()
    token = APIToken.objects.get(user=world.officer)
    assert token.digest == key_hash(key) and key not in token.digest  # only the hash is kept
    assert not token.writable
    for keyword in ("Token", "Bearer"):
        response = api(key, keyword).get(PROCESSES)
        assert response.status_code == 200, response.content
        ids = {row["id"] for row in response.json()["results"]}
        assert ids == {world.own_row.pk, world.other_unit_row.pk}  # his authority's only


def test_command_refuses_an_unknown_user(world):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="не найден"):
        call_command("create_api_token", "nobody", stdout=StringIO(), stderr=StringIO())


@pytest.mark.parametrize(
    "options, message",
    [({"days": 10**9}, "не более чем на"), ({"name": "x" * 201}, "не длиннее 200")],
)
def test_command_refuses_a_term_or_name_too_long_in_russian(world, options, message):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match=message):
        call_command(
            "create_api_token",
            world.officer.username,
            stdout=StringIO(),
            stderr=StringIO(),
            **options,
        )
    assert not APIToken.objects.exists()


@pytest.mark.parametrize("case", ["revoked", "expired", "unknown", "inactive", "no key"])
def test_bad_token_is_401(world, case):
    token, key = create_token(world.officer)
    if case == "revoked":
        token.revoked_at = timezone.now()
        token.save()
    elif case == "expired":
        APIToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(1))
    elif case == "unknown":
        key = key[::-1]
    elif case == "inactive":
        world.officer.is_active = False
        world.officer.save()
    response = api(None if case == "no key" else key).get(PROCESSES)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    detail = response.json()["detail"]
    assert detail and not detail.isascii()  # a Russian sentence


def test_read_only_token_cannot_write(world):
    _, key = create_token(world.officer, writable=False)
    response = api(key).patch(
        f"{PROCESSES}{world.own_row.pk}/", {"version": 1, "client": "x"}, format="json"
    )
    assert response.status_code == 403
    assert "только для чтения" in response.json()["detail"]
    world.own_row.refresh_from_db()
    assert world.own_row.client != "x"


def test_rate_is_per_token(world, monkeypatch):
    monkeypatch.setitem(api_settings.DEFAULT_THROTTLE_RATES, "token", "3/hour")
    cache.clear()
    _, first = create_token(world.officer)
    _, second = create_token(world.officer)
    codes = [api(first).get(PROCESSES).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert api(second).get(PROCESSES).status_code == 200  # another token's own count


def test_page_makes_and_revokes_a_token(client, world):
    client.force_login(world.official)
    day = timezone.localdate() + timedelta(days=30)
    response = client.post(
        reverse("portal:api_tokens"), {"name": "сайт", "expires_on": day.isoformat()}
    )
    assert response.status_code == 200
    key = response.context["new_key"]
    assert key in response.content.decode()
    token = APIToken.objects.get(user=world.official)
    assert token.name == "сайт" and not token.writable
    assert timezone.localtime(token.expires_at).date() == day + timedelta(days=1)
    assert api(key).get(PROCESSES).status_code == 200
    # the key is on that page only
    assert key not in client.get(reverse("portal:api_tokens")).content.decode()
    client.post(reverse("portal:api_token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == world.official
    assert api(key).get(PROCESSES).status_code == 401


def test_page_refuses_an_expiry_in_the_past(client, world):
    client.force_login(world.official)
    past = timezone.localdate() - timedelta(days=2)
    response = client.post(reverse("portal:api_tokens"), {"expires_on": past.isoformat()})
    assert response.status_code == 400
    assert "в будущем" in response.content.decode()
    assert not APIToken.objects.exists()


@pytest.mark.parametrize("day", ["9999-12-31", "2999-01-01"])
def test_page_refuses_an_expiry_past_the_longest_term(client, world, day):
    client.force_login(world.official)
    response = client.post(reverse("portal:api_tokens"), {"expires_on": day})
    assert response.status_code == 400
    assert "не более чем на" in response.content.decode()
    assert not APIToken.objects.exists()


def test_others_tokens_are_404_but_an_administrator_revokes_any(client, world):
    token, _ = create_token(world.official)
    client.force_login(world.officer)
    assert client.post(reverse("portal:api_token_revoke", args=[token.pk])).status_code == 404
    assert token.prefix not in client.get(reverse("portal:api_tokens")).content.decode()
    client.force_login(world.admin)
    assert token.prefix in client.get(reverse("portal:api_tokens")).content.decode()
    client.post(reverse("portal:api_token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_by == world.admin


def test_admin_lists_and_revokes_tokens(client, world):
    token, _ = create_token(world.official)
    client.force_login(world.admin)
    changelist = reverse("admin:portal_apitoken_changelist")
    assert token.prefix in client.get(changelist).content.decode()
    client.post(changelist, {"action": "revoke", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert token.revoked_at is not None
    client.force_login(world.coordinator)
    assert client.get(changelist).status_code in (302, 403)
