"""Published versions: frozen and numbered, compared field by field, public without login,
and never showing what is not published."""

import csv
import io
import json
from datetime import date

import openpyxl
import pytest
from django.urls import reverse

from portal.workdays import ProductionCalendar
from registry.models import Process, RegistryVersion
from registry.services import publication
from tests.conftest import make_process

pytestmark = pytest.mark.django_db


def publish(client, user, authority=None):
    client.force_login(user)
    data = {"authority": authority.pk} if authority else {}
    return client.post(reverse("registry:publish"), data)


def test_officer_publishes_numbered_frozen_versions(client, world):
    assert publish(client, world.officer).status_code == 302
    first = RegistryVersion.objects.get()
    assert (first.number, first.row_count, first.published_by) == (1, 2, world.officer)
    assert [r["identifier"] for r in first.rows] == ["1", "2"]
    with first.xlsx.open("rb") as stored:
        book = openpyxl.load_workbook(stored)
    assert book.active["A2"].value == world.authority.full_name

    Process.objects.filter(pk=world.own_row.pk).update(responsible="Новый ответственный")
    publish(client, world.officer)
    second = RegistryVersion.objects.get(number=2)
    assert second.rows[0]["values"][7] == "Новый ответственный"
    first.refresh_from_db()
    assert first.rows[0]["values"][7] == "Иванов Иван Иванович, начальник отдела"
    with pytest.raises(ValueError, match="не изменяется"):
        first.save()


def test_excluded_rows_are_not_published(client, world):
    world.other_unit_row.is_excluded = True
    world.other_unit_row.save()
    publish(client, world.officer)
    assert [r["identifier"] for r in RegistryVersion.objects.get().rows] == ["1"]


def test_compare_two_versions(client, world):
    publish(client, world.officer)
    client.force_login(world.officer)
    Process.objects.filter(pk=world.own_row.pk).update(function_name="Другая функция")
    world.other_unit_row.is_excluded = True
    world.other_unit_row.save()
    from tests.conftest import make_process

    make_process(world.authority, world.unit, "3", typical_code="4.6")
    publish(client, world.officer)
    old, new = RegistryVersion.objects.order_by("number")
    diff = publication.compare(old, new)
    assert [r["identifier"] for r in diff.added] == ["3"]
    assert [r["identifier"] for r in diff.excluded] == ["2"]
    assert diff.changed == [
        (
            "1",
            [
                (
                    3,
                    "Название функции, услуги, сервиса",
                    "Рассмотрение обращений граждан",
                    "Другая функция",
                )
            ],
        )
    ]
    page = client.get(reverse("registry:version_compare"), {"a": new.pk, "b": old.pk})
    assert page.status_code == 200 and "Другая функция" in page.content.decode()


def test_publication_due_in_ten_working_days_of_the_change(client, world):
    status = publication.publication_status(world.authority)
    assert status.last_version is None and status.changed_at is not None
    assert status.due == ProductionCalendar().add_working_days(status.changed_at, 10)
    publish(client, world.officer)
    assert publication.publication_status(world.authority).changed_at is None


def test_overdue_publication_is_flagged(world):
    status = publication.PublicationStatus(None, date(2024, 4, 26), date(2024, 5, 16))
    assert status.overdue


def test_public_page_shows_only_the_published_version(client, world):
    publish(client, world.officer)
    Process.objects.filter(pk=world.own_row.pk).update(responsible="Черновик, не опубликован")
    client.logout()
    page = client.get(reverse("public_registry", args=[world.authority.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Иванов Иван Иванович" in body and "Черновик" not in body
    # Another authority has published nothing: its page says so and shows none of its rows.
    city = client.get(reverse("public_registry", args=[world.city_authority.pk]))
    assert city.status_code == 200 and "Реестр еще не опубликован" in city.content.decode()
    assert world.city_row.function_name not in city.content.decode()
    index = client.get(reverse("public_index")).content.decode()
    assert world.authority.full_name in index and world.city_authority.full_name not in index
    assert f'href="{reverse("public_registry", args=[world.authority.pk])}"' in index


def test_public_downloads_and_data_passport(client, world):
    publish(client, world.officer)
    client.logout()
    args = [world.authority.pk, 1]
    xlsx = client.get(reverse("public_file", args=[*args, "xlsx"]))
    assert xlsx.status_code == 200 and xlsx["Content-Disposition"].startswith("attachment")
    csv_body = b"".join(client.get(reverse("public_file", args=[*args, "csv"])).streaming_content)
    text = csv_body.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Идентификатор процесса;Жизненная ситуация")
    data = json.loads(client.get(reverse("public_file", args=[*args, "json"])).content)
    assert data["rows"][0]["identifier"] == "1" and data["version"] == 1
    passport = json.loads(client.get(reverse("public_file", args=[*args, "passport"])).content)
    assert passport["publisher"] == world.authority.full_name
    assert [f["column"] for f in passport["fields"]] == list(range(1, 15))
    assert passport["files"]["csv"].endswith(f"/public/{world.authority.pk}/1/csv/")
    assert (
        client.get(reverse("public_file", args=[world.authority.pk, 9, "xlsx"])).status_code == 404
    )


def test_formula_like_text_is_neutralized_in_csv(client, world):
    Process.objects.filter(pk=world.own_row.pk).update(function_name="=HYPERLINK(1)")
    publish(client, world.officer)
    version = RegistryVersion.objects.get()
    text = publication.csv_bytes(version).decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text
    # An empty cell stays empty (it once became a lone apostrophe).
    cells = [cell for line in csv.reader(io.StringIO(text), delimiter=";") for cell in line]
    assert "" in cells and "'" not in cells


@pytest.mark.parametrize("role", ["official", "coordinator", "city_officer"])
def test_only_the_authoritys_officer_or_an_administrator_publishes(client, world, role):
    response = publish(client, getattr(world, role), world.authority)
    assert response.status_code in (403, 404)
    assert not RegistryVersion.objects.exists()
    assert publish(client, world.admin, world.authority).status_code == 302


def test_versions_of_another_authority_are_not_found(client, world):
    publish(client, world.officer)
    version = RegistryVersion.objects.get()
    client.force_login(world.city_officer)
    assert client.get(reverse("registry:version_xlsx", args=[version.pk])).status_code == 404
    response = client.get(reverse("registry:version_compare"), {"a": version.pk, "b": version.pk})
    assert response.status_code == 404
    page = client.get(reverse("registry:versions"), {"authority": world.authority.pk})
    assert page.status_code == 404
    client.force_login(world.coordinator)
    assert client.get(reverse("registry:version_xlsx", args=[version.pk])).status_code == 200


def _history_at(row, when):
    """The last history entry of the row, moved to `when` (as if the change was made then)."""
    entry = row.history.order_by("-history_id").first()
    type(entry).objects.filter(pk=entry.pk).update(history_date=when)


def test_a_change_leaving_the_published_content_as_it_was_makes_no_task(client, world):
    from portal.tasks import tasks_for

    publish(client, world.officer)
    row = Process.objects.get(pk=world.own_row.pk)
    original = row.responsible
    row.responsible = "Другой ответственный"
    row.save()
    assert publication.publication_status(world.authority).due is not None
    row.responsible = original
    row.save()  # changed back: the registry is as version 1 shows it
    status = publication.publication_status(world.authority)
    assert status.changed_at is None and status.due is None
    assert not [t for t in tasks_for(world.officer) if "Опубликовать" in t.title]
    page = client.get(reverse("registry:versions")).content.decode()
    assert "опубликовать до" not in page


def test_the_term_runs_from_the_first_unpublished_change(client, world):
    import datetime as dt

    from django.utils import timezone

    publish(client, world.officer)
    version = RegistryVersion.objects.get()
    first_day = version.published_at + dt.timedelta(days=1)
    row = Process.objects.get(pk=world.own_row.pk)
    row.responsible = "Первое изменение"
    row.save()
    _history_at(row, first_day)
    row.responsible = "Второе изменение"
    row.save()
    _history_at(row, first_day + dt.timedelta(days=20))
    status = publication.publication_status(world.authority)
    assert status.changed_at == timezone.localdate(first_day)
    assert status.due == ProductionCalendar().add_working_days(status.changed_at, 10)


def test_links_to_two_authorities_rows_of_the_same_identifier_keep_one_order(world):
    """Column 12, and so the fingerprint, must not depend on the order the database happens
    to return links of equal identifiers in: the authority's full name decides."""
    from registry.services.registry_rows import registry_rows
    from tests.conftest import make_link, make_org

    later = make_org("authority", "Ярославское управление", world.region)
    later_unit = make_org("unit", "Отдел Ярославского управления", later)
    later_row = make_process(later, later_unit, "1")  # the same identifier as city_row
    make_link(world.own_row, later_row)  # entered first: the first in the table
    make_link(world.own_row, world.city_row)
    text = next(registry_rows(Process.objects.filter(pk=world.own_row.pk))).values[11]
    assert text.index("Администрация города Омска: 1") < text.index("Ярославское управление: 1")
    before = publication.fingerprint(publication.frozen_rows(world.authority))
    assert publication.fingerprint(publication.frozen_rows(world.authority)) == before


def test_the_issues_own_dates_a_later_change_does_not_move_the_term(client, world, monkeypatch):
    """Issue 15 point 7 (item 28): changes on 02.11 and 25.11.2026 give the due date 10
    working days after 02.11 (04.11 is a holiday): 17.11, not 09.12; on 02.12 it is overdue."""
    import datetime as dt

    from django.utils import timezone

    publish(client, world.officer)
    version = RegistryVersion.objects.get()
    moscow = timezone.get_current_timezone()
    RegistryVersion.objects.filter(pk=version.pk).update(
        published_at=dt.datetime(2026, 10, 20, 12, tzinfo=moscow)
    )
    row = Process.objects.get(pk=world.own_row.pk)
    row.responsible = "Изменение 02.11"
    row.save()
    _history_at(row, dt.datetime(2026, 11, 2, 10, tzinfo=moscow))
    row.responsible = "Изменение 25.11"
    row.save()
    _history_at(row, dt.datetime(2026, 11, 25, 10, tzinfo=moscow))
    real_localdate = timezone.localdate
    monkeypatch.setattr(
        timezone,
        "localdate",
        lambda value=None: real_localdate(value) if value else date(2026, 12, 2),
    )
    status = publication.publication_status(world.authority)
    assert status.changed_at == date(2026, 11, 2)
    assert status.due == date(2026, 11, 17)
    assert status.overdue
    page = client.get(reverse("registry:versions")).content.decode()
    assert "Реестр изменен 02.11.2026 — опубликовать до 17.11.2026 (срок истек)" in page
    assert "09.12.2026" not in page
