"""The reengineering plan of an authority (issue 15 point 6; item 4.3 of seed 001): queued
rows with a target date and a responsible person, tracked to «прошел реинжиниринг»."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal.locking import StaleEdit
from portal.tasks import tasks_for
from registry.models import ReengineeringPlanEntry, ReengineeringStatus
from registry.services import reengineering
from tests.conftest import make_process, with_version

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
RESPONSIBLE = "Петров Петр Петрович, начальник ОПФО"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def queued(world, identifier="10", typical_code="1.1"):
    return make_process(
        world.authority, world.unit, identifier, typical_code, status_code="reengineering_queued"
    )


def reengineered(process):
    process.status = ReengineeringStatus.objects.get(
        edition__level=process.authority.level, code="reengineered"
    )
    process.save()


def test_the_officer_adds_a_queued_row_and_the_plan_tracks_it_to_reengineered(world):
    row = queued(world)
    page = client_for(world.officer).get(reverse("registry:reengineering"))
    assert page.status_code == 200
    assert list(page.context["form"].fields["process"].queryset) == [
        row
    ]  # research_queued rows not offered
    response = client_for(world.officer).post(
        reverse("registry:reengineering"),
        {
            "authority": world.authority.pk,
            "process": row.pk,
            "target_date": (TODAY + timedelta(days=30)).isoformat(),
            "responsible": RESPONSIBLE,
        },
    )
    assert response.status_code == 302
    entry = ReengineeringPlanEntry.objects.get()
    assert (entry.authority, entry.process, entry.responsible) == (
        world.authority,
        row,
        RESPONSIBLE,
    )
    assert reengineering.state_of(entry, TODAY) == reengineering.OPEN
    reengineered(row)
    entry = reengineering.plan_of(world.authority).get()
    assert reengineering.state_of(entry, TODAY) == reengineering.DONE
    page = client_for(world.coordinator).get(
        reverse("registry:reengineering"), {"authority": world.authority.pk}
    )
    text = page.content.decode()
    assert "прошел реинжиниринг" in text and RESPONSIBLE in text
    assert page.context["may_change"] is False  # the coordinator reads
    assert entry.history.first().history_user == world.officer
    row_page = client_for(world.official).get(row.get_absolute_url()).content.decode()
    assert 'data-testid="plan-entry"' in row_page and RESPONSIBLE in row_page


def test_a_row_is_in_the_plan_once_and_refusals_are_russian(world):
    row = queued(world)
    reengineering.add_entry(row, TODAY + timedelta(days=5), RESPONSIBLE, world.officer)
    with pytest.raises(ValidationError) as refused:
        reengineering.add_entry(row, TODAY + timedelta(days=5), RESPONSIBLE, world.officer)
    assert "уже включен в план" in str(refused.value)
    # An approved plan typed in late: its past term is taken, and the row is overdue at once.
    late = reengineering.add_entry(
        queued(world, "11"), TODAY - timedelta(days=1), RESPONSIBLE, None
    )
    assert reengineering.state_of(late, TODAY) == reengineering.OVERDUE
    done = queued(world, "12")
    reengineered(done)
    with pytest.raises(ValidationError) as refused:
        reengineering.add_entry(done, TODAY, RESPONSIBLE, None)
    assert "уже прошел реинжиниринг" in str(refused.value)
    response = client_for(world.officer).post(
        reverse("registry:reengineering"),
        {"authority": world.authority.pk, "process": row.pk, "target_date": "31.02.2025"},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Укажите дату в виде ДД.ММ.ГГГГ." in text and "Укажите ответственного" in text


def test_changes_and_removal_keep_the_history_and_a_stale_form_is_refused(world):
    entry = reengineering.add_entry(queued(world), TODAY + timedelta(days=5), RESPONSIBLE, None)
    url = reverse("registry:reengineering_entry", args=[entry.pk])
    officer = client_for(world.officer)
    opened = with_version(entry)
    later = TODAY + timedelta(days=60)
    response = officer.post(
        url,
        {
            **opened,
            "form": "change",
            "target_date": later.isoformat(),
            "responsible": "Сидоров С. С., заместитель начальника",
            "reason": "Протокол рабочей группы от 10.02.2025 № 2",
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.target_date == later
    again = officer.post(
        url, {**opened, "form": "change", "target_date": TODAY.isoformat(), "responsible": "X"}
    )
    assert again.status_code == 409
    with pytest.raises(StaleEdit):
        reengineering.change_entry(entry, TODAY, "X", None, expected_version=opened["version"])
    assert (
        officer.post(url, {**with_version(entry), "form": "remove", "reason": ""}).status_code
        == 400
    )
    response = officer.post(
        url, {**with_version(entry), "form": "remove", "reason": "Функция передана"}
    )
    assert response.status_code == 302
    assert not ReengineeringPlanEntry.objects.exists()
    kept = ReengineeringPlanEntry.all_objects.get()
    assert kept.removed_reason == "Функция передана" and kept.removed_by == world.officer
    reasons = [r.history_change_reason for r in kept.history.order_by("history_date")]
    assert reasons == [
        "Включен в план реинжиниринга",
        "Протокол рабочей группы от 10.02.2025 № 2",
        "Исключен из плана реинжиниринга: Функция передана",
    ]
    page = officer.get(url)
    assert page.status_code == 200 and page.context["may_change"] is False
    # The row may come back into the plan once it was taken out.
    reengineering.add_entry(kept.process, TODAY + timedelta(days=9), RESPONSIBLE, None)


def test_who_reads_and_who_keeps_the_plan(world):
    entry = reengineering.add_entry(queued(world), TODAY + timedelta(days=5), RESPONSIBLE, None)
    url = reverse("registry:reengineering_entry", args=[entry.pk])
    data = {
        **with_version(entry),
        "form": "change",
        "target_date": TODAY.isoformat(),
        "responsible": RESPONSIBLE,
    }
    assert client_for(world.official).get(url).status_code == 200
    assert client_for(world.official).post(url, data).status_code == 403
    assert client_for(world.coordinator).post(url, data).status_code == 403
    assert client_for(world.city_officer).get(url).status_code == 404
    assert client_for(world.city_officer).post(url, data).status_code == 404
    other = client_for(world.city_officer).get(
        reverse("registry:reengineering"), {"authority": world.authority.pk}
    )
    assert other.status_code == 404


def test_overdue_rows_are_the_officers_tasks(world):
    late = reengineering.add_entry(
        queued(world, "10"), TODAY - timedelta(days=3), RESPONSIBLE, None
    )
    reengineering.add_entry(
        queued(world, "11", "1.2"), TODAY + timedelta(days=40), RESPONSIBLE, None
    )
    done = reengineering.add_entry(
        queued(world, "12", "1.3"), TODAY - timedelta(days=3), RESPONSIBLE, None
    )
    reengineered(done.process)
    tasks = [t for t in tasks_for(world.officer) if t.kind == "reengineering"]
    assert [t.url for t in tasks] == [reverse("registry:reengineering_entry", args=[late.pk])]
    assert tasks[0].state == "overdue" and "процесса 10" in tasks[0].title
    assert not [t for t in tasks_for(world.city_officer) if t.kind == "reengineering"]
    assert not [t for t in tasks_for(world.coordinator) if t.kind == "reengineering"]
    page = client_for(world.officer).get(reverse("registry:tasks"))
    assert "Завершить реинжиниринг по плану" in page.content.decode()
