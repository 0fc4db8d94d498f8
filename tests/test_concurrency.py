"""Real parallel requests against the live server, on PostgreSQL: two signed-in users open
the same record (same version) and save at once, released together by a barrier. Exactly
one save is accepted, the other is refused with the current values, the database holds the
accepted change and the history one new state. Publishing twice at once makes one version;
publishing with nothing changed makes none. The outcome does not depend on timing: saves
that happen to run one after another are refused the same way. The core cases (registry row,
profile, publishing, approval) force the overlap: a change held open in a second session, or
the first request paused inside its transaction, while the other is shown to wait."""

from __future__ import annotations

import importlib
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from datetime import date, timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from registry.models import Campaign, Process, ProposalAction, ProposalState, RegistryVersion
from registry.services import campaigns as campaign_service
from registry.services import proposals as proposal_service
from roadmaps.models import DeadlineKind, ItemStatus, Roadmap, RoadmapItem
from roadmaps.services.items import save_recorded
from segmentation.models import SatisfactionAssessment, Touchpoint
from segmentation.services import profiles
from tests.registry.test_process_editing import form_data
from tests.registry.test_proposals import change_values
from tests.segmentation.test_pages import profile_post
from tests.segmentation.test_segmentation import ATTRIBUTES, new_profile

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # Row locks and parallel transactions are what is tested: SQLite serializes everything.
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the answer itself (302 or 409) is what the test reads


class Browser:
    """A signed-in user talking HTTP to the live server: session cookie, CSRF cookie."""

    opener = urllib.request.build_opener(_NoRedirect)

    def __init__(self, live_server, user):
        client = Client()
        client.force_login(user)
        self.base = live_server.url
        self.cookies = {
            settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value
        }

    def _send(self, request) -> tuple[int, str]:
        request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        try:
            response = self.opener.open(request, timeout=60)
        except urllib.error.HTTPError as answer:
            response = answer
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.read().decode("utf-8")

    def get(self, path) -> tuple[int, str]:
        return self._send(urllib.request.Request(self.base + path))

    def post(self, path, data) -> tuple[int, str]:
        fields = dict(data, csrfmiddlewaretoken=self.cookies[settings.CSRF_COOKIE_NAME])
        body = urllib.parse.urlencode(fields, doseq=True).encode()
        request = urllib.request.Request(self.base + path, data=body, method="POST")
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
        request.add_header("Referer", self.base + path)
        return self._send(request)


def opened_version(page: str, action: str = "") -> int:
    """The hidden version of the form (of the form posting to `action`, if given)."""
    if action:
        page = page[page.index(f'action="{action}"') :]
    found = re.search(r'name="version" value="(\d+)"', page) or re.search(
        r'value="(\d+)"[^>]*name="version"', page
    )
    return int(found.group(1))


class Background(threading.Thread):
    """A call in its own thread; its answer or its exception is kept for outcome()."""

    def __init__(self, call, barrier=None):
        super().__init__(daemon=True)
        self.call, self.barrier = call, barrier
        self.result, self.error = None, None

    def run(self):
        try:
            if self.barrier is not None:
                self.barrier.wait(timeout=30)
            self.result = self.call()
        except BaseException as error:  # re-raised in the test's thread by outcome()
            self.error = error
        finally:
            connections.close_all()  # a thread's own connection, if the call opened one

    def outcome(self, timeout=120):
        self.join(timeout)
        assert not self.is_alive(), "the request did not finish"
        if self.error is not None:
            raise self.error
        return self.result


def blocked(thread, seconds=1.5) -> bool:
    """Still running after a while: waiting for a lock, as it should be."""
    thread.join(seconds)
    return thread.is_alive()


def at_once(*calls) -> list[tuple[int, str]]:
    """Runs the calls in parallel threads released together; their answers, in order (a
    thread's exception is raised here, a thread that does not finish fails the test)."""
    barrier = threading.Barrier(len(calls))
    threads = [Background(call, barrier) for call in calls]
    for thread in threads:
        thread.start()
    return [thread.outcome() for thread in threads]


@contextmanager
def change_under_way(model, pk):
    """A second session raises the record's version and keeps its transaction open until the
    test commits it (`holder.commit()`): the overlap of two saves, forced, not left to
    chance. A save that claims the row must wait for it, then find the version moved."""
    holder = connections.create_connection("default")
    holder.set_autocommit(False)
    table = connection.ops.quote_name(model._meta.db_table)
    with holder.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET version = version + 1 WHERE id = %s", [pk])
    try:
        yield holder
    finally:
        holder.close()  # without a commit: rolled back


@contextmanager
def paused(target: str):
    """The first call of `target` (a module's function, looked up when called) waits until
    the test releases it; `entered` is set when it is reached. Later calls run through."""
    module_name, _, name = target.rpartition(".")
    module = importlib.import_module(module_name)
    original = getattr(module, name)
    entered, release = threading.Event(), threading.Event()
    first = threading.Lock()

    def wrapper(*args, **kwargs):
        if first.acquire(blocking=False):
            entered.set()
            assert release.wait(timeout=60), "never released"
        return original(*args, **kwargs)

    with mock.patch.object(module, name, wrapper):
        yield entered, release


def one_accepted(answers, refused_status=409):
    """The index of the accepted answer; the other must be the refusal."""
    statuses = sorted(status for status, _ in answers)
    assert statuses == sorted([302, refused_status]), statuses
    return next(n for n, (status, _) in enumerate(answers) if status == 302)


def test_registry_row(live_server, world):
    url = reverse("registry:process_edit", args=[world.own_row.pk])
    first, second = Browser(live_server, world.officer), Browser(live_server, world.admin)
    versions = [opened_version(b.get(url)[1]) for b in (first, second)]
    assert versions[0] == versions[1]
    states = world.own_row.history.count()
    data = {
        who: form_data(world, identifier="1", version=v, responsible=f"Ответственный {who}")
        for who, v in (("А", versions[0]), ("Б", versions[1]))
    }
    posts = [lambda b=b, w=w: b.post(url, data[w]) for b, w in ((first, "А"), (second, "Б"))]
    answers = at_once(*posts)
    winner = "АБ"[one_accepted(answers)]
    refused = next(body for status, body in answers if status == 409)
    assert "изменил(а)" in refused and f"Ответственный {winner}" in refused
    row = Process.objects.get(pk=world.own_row.pk)
    assert row.responsible == f"Ответственный {winner}"
    assert row.version == versions[0] + 1
    assert world.own_row.history.count() == states + 1


def test_segment_profile_with_its_attribute_table(live_server, world):
    profile = profiles.save_profile(new_profile(world), ATTRIBUTES, [], [], world.officer)
    url = reverse("segmentation:profile_edit", args=[profile.pk])
    first, second = Browser(live_server, world.officer), Browser(live_server, world.official)
    versions = [opened_version(b.get(url)[1]) for b in (first, second)]
    states = profile.history.count()
    tables = {
        "А": [("Возраст", "18–25 лет")],
        "Б": [*ATTRIBUTES, ("Доход", "ниже среднего")],
    }
    answers = at_once(
        *(
            lambda b=b, who=who, v=v: b.post(
                url, profile_post(world, tables[who], version=v, name=f"Профиль {who}")
            )
            for b, who, v in ((first, "А", versions[0]), (second, "Б", versions[1]))
        )
    )
    winner = "АБ"[one_accepted(answers)]
    refused = next(body for status, body in answers if status == 409)
    assert "изменил другой пользователь" in refused and f"Профиль {winner}" in refused
    profile.refresh_from_db()
    assert profile.name == f"Профиль {winner}"
    # The whole table is the winner's: nothing of the refused save is mixed in.
    assert [(a.attribute, a.value) for a in profile.attributes.all()] == tables[winner]
    assert profile.history.count() == states + 1


@pytest.mark.parametrize("kind", ["touchpoint", "assessment"])
def test_touchpoint_and_assessment(live_server, world, kind):
    common = {
        "authority": world.authority,
        "group": world.own_row.group,
        "created_by": world.officer,
    }
    if kind == "touchpoint":
        record = Touchpoint.objects.create(channel="phone", place="Горячая линия", **common)
        data = {"channel": "phone", "description": ""}
        field, changed = "place", "place"
    else:
        record = SatisfactionAssessment.objects.create(
            period_start=date(2025, 1, 1),
            period_end=date(2025, 3, 31),
            method="Анкетирование",
            sample_size=100,
            result="Удовлетворены",
            **common,
        )
        data = {
            "period_start": "2025-01-01",
            "period_end": "2025-03-31",
            "sample_size": "100",
            "result": "Удовлетворены",
        }
        field, changed = "method", "method"
    data.update(authority=world.authority.pk, group=world.own_row.group_id)
    url = reverse(f"segmentation:{kind}_edit", args=[record.pk])
    first, second = Browser(live_server, world.officer), Browser(live_server, world.official)
    versions = [opened_version(b.get(url)[1]) for b in (first, second)]
    states = record.history.count()
    answers = at_once(
        *(
            lambda b=b, who=who, v=v: b.post(url, {**data, field: f"Значение {who}", "version": v})
            for b, who, v in ((first, "А", versions[0]), (second, "Б", versions[1]))
        )
    )
    winner = "АБ"[one_accepted(answers)]
    refused = next(body for status, body in answers if status == 409)
    assert "изменил другой пользователь" in refused and f"Значение {winner}" in refused
    record.refresh_from_db()
    assert getattr(record, changed) == f"Значение {winner}"
    assert record.history.count() == states + 1


def test_campaign_close(live_server, world):
    campaign = campaign_service.open_campaign(
        world.coordinator,
        kind="one_off",
        due_date=timezone.localdate() + timedelta(days=30),
        authorities=[world.authority],
    )
    url = reverse("registry:campaign_detail", args=[campaign.pk])
    close = reverse("registry:campaign_close", args=[campaign.pk])
    other = Browser(live_server, world.admin)
    first = Browser(live_server, world.coordinator)
    versions = [opened_version(b.get(url)[1], close) for b in (first, other)]
    answers = at_once(
        *(
            lambda b=b, v=v: b.post(close, {"version": v})
            for b, v in ((first, versions[0]), (other, versions[1]))
        )
    )
    # Both are sent back to the page; one closed it, the other was told who did.
    assert [status for status, _ in answers] == [302, 302]
    campaign = Campaign.objects.get(pk=campaign.pk)
    assert campaign.closed_at is not None and campaign.version == versions[0] + 1
    assert campaign.closed_by in (world.coordinator, world.admin)


def test_roadmap_item_status(live_server, world):
    roadmap = Roadmap.objects.create(owner=world.authority, title="План")
    item = save_recorded(
        RoadmapItem(
            roadmap=roadmap,
            number="1.1.",
            text="Мероприятие",
            deadline_text="31.12.2030",
            deadline_kind=DeadlineKind.DATE,
            deadline_date=date(2030, 12, 31),
            responsible_text="ОПФО",
            document_type="Распоряжение",
        )
    )
    url = reverse("roadmaps:item_detail", args=[item.pk])
    action = reverse("roadmaps:item_status", args=[item.pk])
    first, second = Browser(live_server, world.officer), Browser(live_server, world.admin)
    versions = [opened_version(b.get(url)[1], action) for b in (first, second)]
    states = item.history.count()
    chosen = {"А": ItemStatus.IN_PROGRESS, "Б": ItemStatus.CANCELLED}
    answers = at_once(
        *(
            lambda b=b, who=who, v=v: b.post(action, {"status": chosen[who], "version": v})
            for b, who, v in ((first, "А", versions[0]), (second, "Б", versions[1]))
        )
    )
    winner = "АБ"[one_accepted(answers)]
    assert "Мероприятие изменил другой пользователь" in next(b for s, b in answers if s == 409)
    item.refresh_from_db()
    assert item.status == chosen[winner]
    assert item.history.count() == states + 1


def proposal_of(world):
    proposal = proposal_service.open_draft(world.official)
    values = change_values(world, world.own_row, responsible="Петрова А. С., консультант")
    proposal_service.add_item(
        proposal, world.official, ProposalAction.CHANGE, world.own_row, values
    )
    return proposal


def test_proposal_details_and_item_comment(live_server, world):
    proposal = proposal_of(world)
    page = reverse("registry:proposal_detail", args=[proposal.pk])
    details = reverse("registry:proposal_act", args=[proposal.pk, "details"])
    # The author's two tabs.
    tabs = [Browser(live_server, world.official) for _ in range(2)]
    versions = [opened_version(t.get(page)[1], details) for t in tabs]
    answers = at_once(
        *(
            lambda t=t, who=who, v=v: t.post(details, {"note": f"Пояснение {who}", "version": v})
            for t, who, v in ((tabs[0], "А", versions[0]), (tabs[1], "Б", versions[1]))
        )
    )
    winner = "АБ"[one_accepted(answers)]
    assert f"Пояснение {winner}" in next(body for status, body in answers if status == 409)
    proposal.refresh_from_db()
    assert proposal.note == f"Пояснение {winner}"

    proposal_service.submit(proposal, world.official)
    item = proposal.items.get()
    comment = reverse("registry:item_act", args=[item.pk, "comment"])
    reviewers = [Browser(live_server, world.officer), Browser(live_server, world.admin)]
    versions = [opened_version(r.get(page)[1], comment) for r in reviewers]
    answers = at_once(
        *(
            lambda r=r, who=who, v=v: r.post(comment, {"comment": f"Замечание {who}", "version": v})
            for r, who, v in ((reviewers[0], "А", versions[0]), (reviewers[1], "Б", versions[1]))
        )
    )
    winner = "АБ"[one_accepted(answers)]
    item.refresh_from_db()
    assert item.review_comment == f"Замечание {winner}"


def test_two_reviewers_approving_at_once_write_once(live_server, world):
    proposal = proposal_of(world)
    proposal_service.submit(proposal, world.official)
    approve = reverse("registry:proposal_act", args=[proposal.pk, "approve"])
    reviewers = [Browser(live_server, world.officer), Browser(live_server, world.admin)]
    page = reverse("registry:proposal_detail", args=[proposal.pk])
    versions = [opened_version(r.get(page)[1], approve) for r in reviewers]
    states = world.own_row.history.count()
    answers = at_once(
        *(
            lambda r=r, v=v: r.post(approve, {"version": v})
            for r, v in zip(reviewers, versions, strict=True)
        )
    )
    assert [status for status, _ in answers] == [302, 302]
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.APPLIED
    assert world.own_row.history.count() == states + 1
    assert Process.objects.get(pk=world.own_row.pk).responsible == "Петрова А. С., консультант"


def test_publish_twice_at_once_makes_one_version_and_nothing_changed_makes_none(live_server, world):
    publish = reverse("registry:publish")
    versions_page = reverse("registry:versions")
    officers = [Browser(live_server, world.officer), Browser(live_server, world.admin)]
    for officer in officers:
        officer.get(versions_page + f"?authority={world.authority.pk}")
    data = {"authority": world.authority.pk}
    answers = at_once(*(lambda o=o: o.post(publish, data) for o in officers))
    assert [status for status, _ in answers] == [302, 302]
    assert RegistryVersion.objects.filter(authority=world.authority).count() == 1
    status, _ = officers[0].post(publish, data)
    assert status == 302
    assert RegistryVersion.objects.filter(authority=world.authority).count() == 1
    _, page = officers[0].get(versions_page + f"?authority={world.authority.pk}")
    assert "Изменений после последней публикации нет" in page


def test_calendar_correction_in_the_admin(live_server, world):
    from portal.models import CalendarCorrection

    correction = CalendarCorrection.objects.create(
        date=date(2031, 1, 9), is_working_day=False, reason="Постановление"
    )
    url = reverse("admin:portal_calendarcorrection_change", args=[correction.pk])
    first, second = Browser(live_server, world.admin), Browser(live_server, world.coordinator)
    pages = [b.get(url)[1] for b in (first, second)]
    versions = [int(re.search(r'name="opened_version" value="(\d+)"', p).group(1)) for p in pages]
    answers = at_once(
        *(
            lambda b=b, who=who, v=v: b.post(
                url, {"date": "2031-01-09", "reason": f"Основание {who}", "opened_version": v}
            )
            for b, who, v in ((first, "А", versions[0]), (second, "Б", versions[1]))
        )
    )
    # The admin answers a refused form with the form again and its error.
    winner = "АБ"[one_accepted(answers, refused_status=200)]
    assert "изменил другой пользователь" in next(b for s, b in answers if s == 200)
    correction.refresh_from_db()
    assert correction.reason == f"Основание {winner}" and correction.version == versions[0] + 1


# The overlap forced: the request is shown to wait for the change under way, then refused.


def test_registry_row_save_waits_for_a_change_under_way_and_is_refused(live_server, world):
    url = reverse("registry:process_edit", args=[world.own_row.pk])
    browser = Browser(live_server, world.officer)
    version = opened_version(browser.get(url)[1])
    data = form_data(world, identifier="1", version=version, responsible="Из формы")
    states = world.own_row.history.count()
    with change_under_way(Process, world.own_row.pk) as holder:
        request = Background(lambda: browser.post(url, data))
        request.start()
        assert blocked(request), "the save did not wait for the row"
        holder.commit()
    status, body = request.outcome()
    assert status == 409 and "изменил(а)" in body
    row = Process.objects.get(pk=world.own_row.pk)
    assert row.responsible != "Из формы" and row.version == version + 1
    assert world.own_row.history.count() == states


def test_profile_save_waits_for_a_change_under_way_and_is_refused(live_server, world):
    profile = profiles.save_profile(new_profile(world), ATTRIBUTES, [], [], world.officer)
    url = reverse("segmentation:profile_edit", args=[profile.pk])
    browser = Browser(live_server, world.officer)
    version = opened_version(browser.get(url)[1])
    table = [("Возраст", "18–25 лет")]
    data = profile_post(world, table, version=version, name="Из формы")
    with change_under_way(type(profile), profile.pk) as holder:
        request = Background(lambda: browser.post(url, data))
        request.start()
        assert blocked(request), "the save did not wait for the profile"
        holder.commit()
    status, _ = request.outcome()
    assert status == 409
    profile.refresh_from_db()
    assert profile.name != "Из формы" and profile.version == version + 1
    assert [(a.attribute, a.value) for a in profile.attributes.all()] == ATTRIBUTES


def test_a_second_publication_waits_for_the_first_and_makes_nothing(live_server, world):
    publish = reverse("registry:publish")
    officers = [Browser(live_server, world.officer), Browser(live_server, world.admin)]
    for officer in officers:
        officer.get(reverse("registry:versions") + f"?authority={world.authority.pk}")
    data = {"authority": world.authority.pk}
    # The first publication stops after its check, before it writes the version.
    with paused("registry.services.publication.export_registry") as (entered, release):
        first = Background(lambda: officers[0].post(publish, data))
        first.start()
        assert entered.wait(timeout=30)
        second = Background(lambda: officers[1].post(publish, data))
        second.start()
        waited = blocked(second)
        release.set()
        answers = [first.outcome(), second.outcome()]
    assert waited, "the second publication did not wait for the first"
    assert [status for status, _ in answers] == [302, 302]
    assert RegistryVersion.objects.filter(authority=world.authority).count() == 1


def test_a_second_approval_waits_for_the_first_and_writes_nothing(live_server, world):
    proposal = proposal_of(world)
    proposal_service.submit(proposal, world.official)
    approve = reverse("registry:proposal_act", args=[proposal.pk, "approve"])
    page = reverse("registry:proposal_detail", args=[proposal.pk])
    reviewers = [Browser(live_server, world.officer), Browser(live_server, world.admin)]
    versions = [opened_version(r.get(page)[1], approve) for r in reviewers]
    states = world.own_row.history.count()
    # The first approval stops before it writes the rows.
    with paused("registry.services.proposals._apply_all") as (entered, release):
        first = Background(lambda: reviewers[0].post(approve, {"version": versions[0]}))
        first.start()
        assert entered.wait(timeout=30)
        second = Background(lambda: reviewers[1].post(approve, {"version": versions[1]}))
        second.start()
        waited = blocked(second)
        release.set()
        answers = [first.outcome(), second.outcome()]
    assert waited, "the second approval did not wait for the first"
    assert [status for status, _ in answers] == [302, 302]
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.APPLIED
    assert world.own_row.history.count() == states + 1
