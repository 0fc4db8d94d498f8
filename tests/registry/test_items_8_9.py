"""Items 8 and 9 of the Procedure (seed 001, issue 15 point 10): the exclusion form offers
item 9's ground beside free text, a row is marked interdepartmental (filterable) and keeps
item 8's reasons for inclusion; none of it reaches the 14 columns of the XLSX form."""

import openpyxl
import pytest
from django.urls import reverse

from registry.models import ExclusionGround, InclusionReason, Process, RegistryColumn
from registry.services.xlsx_export import export_registry
from tests.registry.test_process_editing import form_data

pytestmark = pytest.mark.django_db

ITEM_9 = (
    "Орган власти является только координатором, устанавливающим правила осуществления "
    "функции (оказания услуги, предоставления сервиса), и самостоятельно их не осуществляет "
    "(не оказывает, не предоставляет) (пункт 9 Порядка)"
)

# Items 8 and 9 of seed 001 (320-рп) as the seed prints them (lines wrapped here).
SEED_001_ITEMS_8_9 = """\
8. Включению в реестр процессов органа власти подлежат:

1) функции (услуги, сервисы), которые осуществляются (оказываются, предоставляются) в органе
власти (с учетом пункта 16 настоящего Порядка), в отношении которых он является исполнителем,
непосредственно осуществляет функции, оказывает услуги и предоставляет сервисы, в том числе:

- которые прошли процедуру реинжиниринга;
- реинжиниринг которых не планируется в ближайшее время;
- реинжиниринг которых уже запланирован или идет в настоящий момент;
- по которым имеется высокий уровень удовлетворенности;
- которые не востребованы;

2) функции (услуги, сервисы), если хотя бы один из процессов данной функции (услуги, сервиса)
выполняется совместно двумя или более органами власти (межведомственные процессы).

9. Не подлежат включению в реестр процессов функции (услуги, сервисы), в отношении которых
орган власти является только координатором, устанавливающим правила осуществления функции
(оказания услуги, предоставления сервиса), и самостоятельно их не осуществляет (не оказывает,
не предоставляет).
"""


def test_the_grounds_are_reference_data_in_the_seeds_wording():
    assert list(ExclusionGround.objects.values_list("name", "requires_text")) == [
        (ITEM_9, False),
        ("Иное", True),
    ]
    seed = " ".join(SEED_001_ITEMS_8_9.split())
    assert ITEM_9.removeprefix("Орган власти").removesuffix(" (пункт 9 Порядка)") in seed
    for reason in InclusionReason.objects.all():
        assert reason.name[1:] in seed, reason.name  # item 8(1)'s bullets


def test_exclusion_by_item_9s_ground(client, world):
    client.force_login(world.officer)
    url = reverse("registry:process_exclude", args=[world.own_row.pk])
    page = client.get(url).content.decode()
    assert ITEM_9 in page and "Иное" in page
    ground = ExclusionGround.objects.get(code="coordinator-only")
    client.post(url, {"ground": ground.pk, "reason": ""})
    world.own_row.refresh_from_db()
    assert world.own_row.is_excluded and world.own_row.excluded_reason == ITEM_9


def test_item_9s_ground_with_an_explanation(client, world):
    client.force_login(world.officer)
    url = reverse("registry:process_exclude", args=[world.own_row.pk])
    ground = ExclusionGround.objects.get(code="coordinator-only")
    client.post(url, {"ground": ground.pk, "reason": "правила устанавливает приказ № 5"})
    world.own_row.refresh_from_db()
    assert world.own_row.excluded_reason == f"{ITEM_9}: правила устанавливает приказ № 5"


def test_other_requires_the_text(client, world):
    client.force_login(world.officer)
    url = reverse("registry:process_exclude", args=[world.own_row.pk])
    other = ExclusionGround.objects.get(code="other")
    response = client.post(url, {"ground": other.pk, "reason": "  "})
    assert "Для основания «Иное» укажите основание своими словами." in response.content.decode()
    world.own_row.refresh_from_db()
    assert not world.own_row.is_excluded
    client.post(url, {"ground": other.pk, "reason": "Функция передана в другой орган власти"})
    world.own_row.refresh_from_db()
    assert world.own_row.excluded_reason == "Функция передана в другой орган власти"


def test_an_officials_exclusion_proposal_carries_the_ground(client, world):
    from registry.models import ProposalItem

    client.force_login(world.official)
    ground = ExclusionGround.objects.get(code="coordinator-only")
    client.post(reverse("registry:process_exclude", args=[world.own_row.pk]), {"ground": ground.pk})
    assert ProposalItem.objects.get().exclude_reason == ITEM_9


def test_officer_marks_a_row_interdepartmental_with_item_8s_reasons(client, world):
    client.force_login(world.officer)
    reasons = list(InclusionReason.objects.filter(code__in=["reengineered", "high-satisfaction"]))
    page = client.get(reverse("registry:process_add")).content.decode()
    assert "Межведомственный процесс" in page and "Прошли процедуру реинжиниринга" in page
    data = form_data(world, is_interdepartmental="on", inclusion_reasons=[r.pk for r in reasons])
    assert client.post(reverse("registry:process_add"), data).status_code == 302
    row = Process.objects.get(authority=world.authority, identifier="3")
    assert row.is_interdepartmental
    assert set(row.inclusion_reasons.all()) == set(reasons)
    detail = client.get(row.get_absolute_url()).content.decode()
    assert "По которым имеется высокий уровень удовлетворенности" in detail
    # Editing without them clears them, as any checkbox of the form.
    edit = form_data(world, identifier="3", version=row.version)
    client.post(reverse("registry:process_edit", args=[row.pk]), edit)
    row.refresh_from_db()
    assert not row.is_interdepartmental and not row.inclusion_reasons.exists()


def test_an_official_is_not_offered_them(client, world):
    client.force_login(world.official)
    page = client.get(reverse("registry:process_add")).content.decode()
    assert 'name="is_interdepartmental"' not in page


def test_the_list_filters_interdepartmental_rows(client, world):
    Process.objects.filter(pk=world.own_row.pk).update(is_interdepartmental=True)
    client.force_login(world.officer)
    url = reverse("registry:process_list")
    only = client.get(url, {"is_interdepartmental": "true"})
    assert [r.record for r in only.context["table"].page.object_list] == [world.own_row]
    others = client.get(url, {"is_interdepartmental": "false"})
    assert [r.record for r in others.context["table"].page.object_list] == [world.other_unit_row]
    assert "только межведомственные" in only.content.decode()


def test_the_xlsx_form_keeps_its_14_columns(world, tmp_path):
    Process.objects.filter(pk=world.own_row.pk).update(is_interdepartmental=True)
    world.own_row.inclusion_reasons.set(InclusionReason.objects.all())
    path = tmp_path / "реестр.xlsx"
    export_registry(Process.objects.filter(authority=world.authority), path)
    sheet = openpyxl.load_workbook(path).active
    headers = [c.value for row in sheet.iter_rows() for c in row if c.value]
    for header in RegistryColumn.objects.filter(edition__level="regional").values_list(
        "header", flat=True
    ):
        assert any(str(h).startswith(header) for h in headers), header
    assert sheet.max_column == 14
    text = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    assert "межведомствен" not in text.replace("межведомственных и внутриведомственных", "")
    assert "Прошли процедуру" not in text
