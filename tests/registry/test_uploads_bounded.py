"""Uploads do not pile up: refused files are not kept, previews expire, finished ones keep
only their report, and a user has a bounded number of previews waiting."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from registry.models import ImportBatch, Process
from tests.registry.test_xlsx_import import upload
from tests.registry.xlsx_files import row, workbook_bytes

pytestmark = pytest.mark.django_db


def test_an_unreadable_file_is_refused_on_the_form_and_not_kept(client, world):
    client.force_login(world.officer)
    response = upload(client, b"<html>not a table</html>", default_unit=world.unit.pk)
    assert response.status_code == 400
    assert "не является электронной таблицей" in response.content.decode()
    assert "«реестр.xlsx»" in response.content.decode()
    assert ImportBatch.objects.count() == 0


def test_a_file_with_row_errors_is_shown_and_not_kept(client, world):
    client.force_login(world.officer)
    data = workbook_bytes([row("90", c9="неизвестно")])
    response = upload(client, data, default_unit=world.unit.pk)
    assert response.status_code == 400
    page = response.content.decode()
    assert "есть ошибки (строки ниже)" in page and "файл не сохранен" in page
    assert "Графа 9: статуса «неизвестно» нет" in page
    assert ImportBatch.objects.count() == 0
    assert not Process.objects.filter(identifier="90").exists()


def test_a_preview_keeps_the_rows_read_and_not_the_file_and_apply_clears_them(client, world):
    client.force_login(world.officer)
    upload(client, workbook_bytes([row("91")]), default_unit=world.unit.pk)
    batch = ImportBatch.objects.get()
    assert batch.sheet["rows"] and bytes(batch.file_data) == b"" and len(batch.file_sha256) == 64
    client.post(reverse("registry:import_confirm", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "applied" and batch.sheet == {} and batch.purged_at
    assert batch.report["rows"] and batch.fingerprint  # the history of the import stays


def test_purge_expires_old_previews_and_clears_finished_ones(client, world, settings):
    settings.UPLOAD_RETENTION_DAYS = 7
    client.force_login(world.officer)
    for identifier in ("92", "93"):
        upload(client, workbook_bytes([row(identifier)]), default_unit=world.unit.pk)
    old, fresh = ImportBatch.objects.order_by("pk")
    ImportBatch.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    legacy = ImportBatch.objects.create(
        authority=world.authority,
        uploaded_by=world.officer,
        file_name="старый.xlsx",
        file_size=3,
        file_data=b"abc",
        status="applied",
        sheet={"rows": []},
    )
    out = StringIO()
    call_command("purge_uploads", stdout=out)
    assert "очищены" in out.getvalue()
    old.refresh_from_db(), fresh.refresh_from_db(), legacy.refresh_from_db()
    assert old.status == "expired" and old.sheet == {} and old.purged_at
    assert fresh.status == "preview" and fresh.sheet
    assert bytes(legacy.file_data) == b"" and legacy.sheet == {} and legacy.status == "applied"
    assert ImportBatch.objects.count() == 3  # records stay
    response = client.post(reverse("registry:import_confirm", args=[old.pk]), follow=True)
    assert "не подтверждена в срок" in response.content.decode()
    assert not Process.objects.filter(identifier="92").exists()


def test_a_preview_past_its_time_is_not_confirmed_even_before_the_purge(client, world):
    client.force_login(world.officer)
    upload(client, workbook_bytes([row("94")]), default_unit=world.unit.pk)
    batch = ImportBatch.objects.get()
    ImportBatch.objects.filter(pk=batch.pk).update(created_at=timezone.now() - timedelta(days=30))
    client.post(reverse("registry:import_confirm", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "expired" and batch.sheet == {}
    assert not Process.objects.filter(identifier="94").exists()


def test_uploads_in_flight_per_user_are_bounded(client, world, settings):
    settings.UPLOADS_IN_FLIGHT_PER_USER = 2
    client.force_login(world.officer)
    for identifier in ("95", "96"):
        assert (
            upload(
                client, workbook_bytes([row(identifier)]), default_unit=world.unit.pk
            ).status_code
            == 302
        )
    response = upload(client, workbook_bytes([row("97")]), default_unit=world.unit.pk)
    assert response.status_code == 400
    assert (
        "Неподтвержденных загрузок у вас уже 2 (допускается не более 2)"
        in response.content.decode()
    )
    assert ImportBatch.objects.count() == 2
    first = ImportBatch.objects.order_by("pk").first()
    client.post(reverse("registry:import_cancel", args=[first.pk]))
    first.refresh_from_db()
    assert first.status == "cancelled" and first.sheet == {}
    assert (
        upload(client, workbook_bytes([row("97")]), default_unit=world.unit.pk).status_code == 302
    )
    client.force_login(world.official)  # the limit is per user
    assert (
        upload(client, workbook_bytes([row("98")]), default_unit=world.unit.pk).status_code == 302
    )


def test_the_report_kept_after_apply_or_purge_has_no_values_of_the_file(client, world, settings):
    client.force_login(world.officer)
    upload(
        client,
        workbook_bytes([row("95", c7="Особое название процесса")]),
        default_unit=world.unit.pk,
    )
    batch = ImportBatch.objects.get()
    assert "Особое название процесса" in str(batch.report)  # the preview shows it
    client.post(reverse("registry:import_confirm", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "applied"
    assert "Особое название процесса" not in str(batch.report)
    assert [r["row"] for r in batch.report["rows"]] and batch.fingerprint
    assert all(r["values"] == {} for r in batch.report["rows"])
    # A preview that expires keeps its row numbers and messages, not the values.
    settings.UPLOAD_RETENTION_DAYS = 1
    upload(client, workbook_bytes([row("96", c7="Другое название")]), default_unit=world.unit.pk)
    expiring = ImportBatch.objects.get(status="preview")
    ImportBatch.objects.filter(pk=expiring.pk).update(created_at=timezone.now() - timedelta(days=2))
    call_command("purge_uploads", stdout=StringIO())
    expiring.refresh_from_db()
    assert expiring.status == "expired"
    assert "Другое название" not in str(expiring.report) and expiring.report["rows"]


def test_a_confirm_committed_after_the_purge_selected_the_batch_is_not_expired(client, world):
    client.force_login(world.officer)
    upload(client, workbook_bytes([row("97")]), default_unit=world.unit.pk)
    selected = ImportBatch.objects.get()  # what purge_uploads selected as PREVIEW
    cutoff = timezone.now() + timedelta(days=1)
    ImportBatch.objects.filter(pk=selected.pk).update(status="applied")  # the confirm commits
    assert selected.purge("expired", created_before=cutoff) is False
    selected.refresh_from_db()
    assert selected.status == "applied"


def test_cancel_does_not_undo_an_applied_batch(client, world):
    client.force_login(world.officer)
    upload(client, workbook_bytes([row("98")]), default_unit=world.unit.pk)
    batch = ImportBatch.objects.get()
    client.post(reverse("registry:import_confirm", args=[batch.pk]))
    response = client.post(reverse("registry:import_cancel", args=[batch.pk]), follow=True)
    assert "уже применена или отменена" in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == "applied"
