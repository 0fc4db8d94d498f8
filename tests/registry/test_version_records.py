"""After publishing (issue 15 point 7): where and when the file was put on the official
website (items 27-28) and the act approving the registry (item 5), per version, with history."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from registry.models import RegistryVersion, VersionApproval, VersionPlacement
from registry.services import publication
from tests.roadmaps.test_evidence_files import pdf

pytestmark = pytest.mark.django_db

URL = "https://mdm.omskportal.ru/ru/RegionalnayaPolitika/reestr-processov"


@pytest.fixture
def version(world):
    return publication.publish(world.authority, world.officer)


def record_url(version):
    return reverse("registry:version_record", args=[version.pk])


def place(client, version, url=URL, placed_on=None):
    placed_on = placed_on or timezone.localdate()
    return client.post(
        record_url(version),
        {"form": "placement", "url": url, "placed_on": placed_on.strftime("%d.%m.%Y")},
    )


def test_the_officer_records_the_placement_and_keeps_its_history(client, world, version):
    client.force_login(world.officer)
    assert place(client, version).status_code == 302
    later = "https://mdm.omskportal.ru/reestr-v1"
    place(client, version, url=later)
    assert list(version.placements.values_list("url", flat=True)) == [later, URL]
    page = client.get(record_url(version)).content.decode()
    assert later in page and URL in page and "(прежняя запись)" in page
    versions = client.get(reverse("registry:versions")).content.decode()
    assert f'title="{later}"' in versions
    client.logout()
    public = client.get(reverse("public_registry", args=[world.authority.pk])).content.decode()
    today = f"{timezone.localdate():%d.%m.%Y}"
    assert f"Размещен на официальном сайте {today}" in public and later in public
    assert URL not in public


@pytest.mark.parametrize(
    "url, placed_on, message",
    [
        ("сайт министерства", None, "начиная с https:// или http://"),
        ("ftp://mdm.omskportal.ru/r", None, "начиная с https:// или http://"),
        ("javascript:alert(1)", None, "начиная с https:// или http://"),
        (URL, dt.timedelta(days=1), "Дата размещения не может быть в будущем."),
        (URL, -dt.timedelta(days=30), "не может быть раньше публикации версии"),
    ],
)
def test_a_wrong_placement_is_refused_in_russian(client, world, version, url, placed_on, message):
    client.force_login(world.officer)
    day = timezone.localdate() + (placed_on or dt.timedelta())
    response = place(client, version, url=url, placed_on=day)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not VersionPlacement.objects.exists()


def test_an_address_without_its_scheme_is_taken_as_https(client, world, version):
    client.force_login(world.officer)
    place(client, version, url="mdm.omskportal.ru/reestr")
    assert VersionPlacement.objects.get().url == "https://mdm.omskportal.ru/reestr"


def test_the_placement_date_is_not_before_the_publication_at_midnight(world, version):
    from django.core.exceptions import ValidationError

    from registry.services.version_records import record_placement

    published = timezone.localdate(version.published_at)
    record_placement(version, URL, published, world.officer)  # the same day is fine
    with pytest.raises(ValidationError):
        record_placement(version, URL, published - dt.timedelta(days=1), world.officer)


def test_the_approving_act_with_its_file(client, world, version):
    client.force_login(world.officer)
    data = {
        "form": "approval",
        "act_kind": "распоряжение",
        "act_number": "15-рп",
        "act_date": timezone.localdate().strftime("%d.%m.%Y"),
        "file": SimpleUploadedFile("распоряжение 15-рп.pdf", pdf()),
    }
    assert client.post(record_url(version), data).status_code == 302
    approval = VersionApproval.objects.get()
    assert (approval.act_kind, approval.act_number, approval.file_name) == (
        "распоряжение",
        "15-рп",
        "распоряжение 15-рп.pdf",
    )
    with approval.file.open("rb") as stored:
        assert stored.read() == pdf()
    download = client.get(reverse("registry:version_act_file", args=[approval.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    today = f"{timezone.localdate():%d.%m.%Y}"
    versions = client.get(reverse("registry:versions")).content.decode()
    assert f"распоряжение от {today} № 15-рп" in versions
    client.logout()
    public = client.get(reverse("public_registry", args=[world.authority.pk])).content.decode()
    assert f"Утвержден: распоряжение от {today} № 15-рп." in public


def test_an_act_without_a_file_and_refusals(client, world, version):
    client.force_login(world.officer)
    future = (timezone.localdate() + dt.timedelta(days=3)).strftime("%d.%m.%Y")
    response = client.post(
        record_url(version),
        {"form": "approval", "act_kind": "приказ", "act_number": "7", "act_date": future},
    )
    assert response.status_code == 400
    assert "Дата акта не может быть в будущем." in response.content.decode()
    bad_file = SimpleUploadedFile("акт.exe", b"MZ\x90\x00 not a document")
    response = client.post(
        record_url(version),
        {
            "form": "approval",
            "act_kind": "приказ",
            "act_number": "7",
            "act_date": "01.12.2026",
            "file": bad_file,
        },
    )
    assert response.status_code == 400
    assert "Файл акта «акт.exe»: допустимы" in response.content.decode()
    assert not VersionApproval.objects.exists()
    response = client.post(
        record_url(version),
        {"form": "approval", "act_kind": "", "act_number": "", "act_date": "32.13.2026"},
    )
    body = response.content.decode()
    assert "Укажите вид акта." in body and "Укажите дату в виде ДД.ММ.ГГГГ." in body
    ok = {"form": "approval", "act_kind": "приказ", "act_number": "7", "act_date": "01.12.2026"}
    assert client.post(record_url(version), ok).status_code == 302
    assert VersionApproval.objects.get().file == ""


def test_the_acts_file_says_it_is_optional_and_what_is_allowed(client, world, version, settings):
    """The same sentence as an evidence file's (portal.documents.allowed_sentence), with the
    size limit in force when the page is drawn."""
    settings.EVIDENCE_MAX_BYTES = 1024
    client.force_login(world.officer)
    page = client.get(record_url(version)).content.decode()
    assert "Необязательно. Допустимы PDF, DOCX, XLSX, ODT, JPEG, PNG до 1 КБ." in page


@pytest.mark.parametrize("role", ["official", "coordinator"])
def test_only_who_may_publish_records(client, world, version, role):
    client.force_login(getattr(world, role))
    assert client.get(record_url(version)).status_code == 200
    assert 'name="form"' not in client.get(record_url(version)).content.decode()
    assert place(client, version).status_code == 403
    assert not VersionPlacement.objects.exists()


def test_another_authoritys_version_is_not_found(client, world, version):
    client.force_login(world.city_officer)
    assert client.get(record_url(version)).status_code == 404
    assert place(client, version).status_code == 404


def test_a_published_version_stays_frozen(world, version):
    from registry.services.version_records import record_placement

    record_placement(version, URL, timezone.localdate(), world.officer)
    again = RegistryVersion.objects.get(pk=version.pk)
    assert again.content_hash == version.content_hash and again.rows == version.rows
