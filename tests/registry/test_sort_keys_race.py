"""The stored sort keys of rows a long write wrote follow a catalogue change made while it
wrote (services.sort_keys.rederive). The first tests force the race on any database: the
catalogue is changed between the write and the end of its transaction, as another
transaction's committed reorder is seen there, one whose own bringing-along could not see the
rows not yet committed. The PostgreSQL tests run the two in parallel transactions."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.urls import reverse

from registry.models import (
    ImportBatch,
    LifeSituation,
    Process,
    ProcessGroup,
    ProcessKind,
    ReengineeringStatus,
    TypicalProcess,
)
from registry.models.processes import STORED_SORT_KEYS
from registry.services import proposals as proposal_service
from registry.services import sort_keys
from registry.services.imports.confirm import confirm_upload
from registry.services.imports.write import RegistryWriter
from registry.services.xlsx_import import RegistryImport
from tests.conftest import World
from tests.registry.test_proposals import change_values
from tests.registry.xlsx_files import row, workbook_bytes

FILE = [
    row("10", c2="Рождение ребенка"),
    row("11", c7="Личный прием граждан", c9="идет исследование", c2="Переезд"),
]


def fresh_keys(process: Process) -> dict:
    """The keys the row should hold: its entries' values as they are now."""
    keys = {}
    for key, (relation, attribute) in STORED_SORT_KEYS.items():
        entry = getattr(process, relation)
        keys[key] = getattr(entry, attribute) if entry is not None else None
    return keys


def stored_keys(process: Process) -> dict:
    return {key: getattr(process, key) for key in STORED_SORT_KEYS}


def reorder_everything(world) -> None:
    """What an administrator committed meanwhile: every kind of entry reordered or renamed,
    without the rows (its bringing-along did not see rows not yet committed)."""
    level = world.authority.level
    ProcessGroup.objects.filter(edition__level=level).update(order=F("order") + 50)
    TypicalProcess.objects.filter(group__edition__level=level).update(order=F("order") + 60)
    ReengineeringStatus.objects.filter(edition__level=level).update(order=F("order") + 70)
    ProcessKind.objects.filter(edition__level=level).update(order=F("order") + 80)
    LifeSituation.objects.update(name=Concat(Value("Я "), F("name")))


def written(world, identifiers) -> list[Process]:
    return list(
        Process.objects.select_related(
            "life_situation", "group", "typical_process", "status", "kind"
        ).filter(authority=world.authority, identifier__in=identifiers)
    )


@pytest.mark.django_db
def test_an_apply_brings_its_rows_to_a_reorder_made_while_it_wrote(world, monkeypatch):
    importer = RegistryImport(world.authority, world.officer, world.unit)
    data = workbook_bytes([row("1", c8="Сидоров Петр"), *FILE])
    report = importer.preview(data)
    assert not report.has_errors, report.text()
    untouched = Process.objects.get(pk=world.other_unit_row.pk)
    states = world.own_row.history.count()
    write_links = RegistryWriter._write_links

    def then_reorder(self, pairs):
        write_links(self, pairs)
        reorder_everything(world)  # after every row is written, before the transaction ends

    monkeypatch.setattr(RegistryWriter, "_write_links", then_reorder)
    with transaction.atomic():
        importer.apply(data, report.fingerprint())

    rows = written(world, ["1", "10", "11"])
    assert len(rows) == 3
    for process in rows:
        assert stored_keys(process) == fresh_keys(process), process.identifier
        assert process.group_order > 50 and process.status_order > 70
    assert {p.life_situation_name for p in rows} == {None, "Я Рождение ребенка", "Я Переезд"}
    # a row the apply did not write is the reorder's own to bring along (entries_changed)
    assert stored_keys(Process.objects.get(pk=untouched.pk)) == stored_keys(untouched)
    # not a change of the rows: no new version, no history state
    one = Process.objects.get(pk=world.own_row.pk)
    assert one.version == world.own_row.version + 1
    assert one.history.count() == states + 1


@pytest.mark.django_db
def test_an_approval_brings_its_rows_to_a_reorder_made_while_it_wrote(world, monkeypatch):
    proposal = proposal_service.open_draft(world.official)
    proposal_service.propose_row(
        world.official,
        change_values(world, world.own_row, responsible="Петров"),
        world.own_row,
        world.own_row.version,
    )
    proposal = proposal_service.submit(proposal, world.official)
    apply_all = proposal_service._apply_all

    def then_reorder(*args):
        done = apply_all(*args)
        reorder_everything(world)
        return done

    monkeypatch.setattr(proposal_service, "_apply_all", then_reorder)
    proposal_service.approve(proposal, world.officer)

    (process,) = written(world, ["1"])
    assert process.responsible == "Петров"
    assert stored_keys(process) == fresh_keys(process)
    assert process.group_order > 50


@pytest.mark.django_db
def test_rederive_changes_nothing_when_nothing_moved(world):
    pks = [world.own_row.pk, world.other_unit_row.pk]
    assert sort_keys.rederive(pks) == 0
    assert sort_keys.rederive([]) == 0
    ProcessKind.objects.filter(pk=world.own_row.kind_id).update(order=F("order") + 1)
    assert sort_keys.rederive(pks) == 2  # both rows are of that kind
    assert sort_keys.rederive(pks) == 0


# --- two transactions at once, on PostgreSQL ------------------------------------------------

postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL's parallel transactions"
)


def _confirm_in_background(client, world, rows):
    from tests.registry.test_xlsx_import import upload
    from tests.test_concurrency import Background

    client.force_login(world.officer)
    upload(client, workbook_bytes(rows), default_unit=world.unit.pk)
    batch = ImportBatch.objects.get()
    return Background(lambda: confirm_upload(batch.pk, world.officer))


def _reorder_group(world, code: str, order: int) -> None:
    """The admin's change: the entry saved, its rows brought along, in one transaction."""
    with transaction.atomic():
        group = ProcessGroup.objects.get(edition__level=world.authority.level, code=code)
        group.order = order
        group.save()
        sort_keys.entries_changed([group])


def _group_code(identifier_row) -> str:
    return TypicalProcess.objects.get(
        group__edition__level="regional", name=identifier_row[6]
    ).group.code


@postgresql
@pytest.mark.django_db(transaction=True)
def test_a_reorder_committed_while_an_apply_writes_reaches_its_new_rows(client):
    from tests.test_concurrency import paused

    world = World()
    code = _group_code(FILE[0])
    apply = _confirm_in_background(client, world, FILE)
    with paused("registry.services.sort_keys.rederive") as (entered, release):
        apply.start()
        assert entered.wait(timeout=30)  # every row written, not committed
        _reorder_group(world, code, 77)  # its rows are invisible to it: it does not wait
        release.set()
        assert apply.outcome().done
    for process in written(world, ["10", "11"]):
        assert stored_keys(process) == fresh_keys(process)
    assert written(world, ["10"])[0].group_order == 77


@postgresql
@pytest.mark.django_db(transaction=True)
def test_a_reorder_during_the_apply_s_last_step_waits_for_its_commit(client):
    from tests.test_concurrency import Background, blocked, paused

    world = World()
    code = _group_code(FILE[0])
    apply = _confirm_in_background(client, world, FILE)
    # paused after the apply took its side of the lock and read the catalogue
    with paused("registry.services.sort_keys._rederive_chunk") as (entered, release):
        apply.start()
        assert entered.wait(timeout=30)
        reorder = Background(lambda: _reorder_group(world, code, 78))
        reorder.start()
        waited = blocked(reorder)
        release.set()
        assert apply.outcome().done
        reorder.outcome()
    assert waited, "the reorder did not wait for the apply's commit"
    assert written(world, ["10"])[0].group_order == 78


@postgresql
@pytest.mark.django_db(transaction=True)
def test_a_reorder_meeting_rows_an_apply_holds_is_refused_not_hung(client):
    from tests.test_concurrency import paused

    world = World()
    code = _group_code(row("1"))
    before = ProcessGroup.objects.get(edition__level="regional", code=code).order
    apply = _confirm_in_background(client, world, [row("1", c8="Сидоров Петр")])
    with paused("registry.services.sort_keys.rederive") as (entered, release):
        apply.start()
        assert entered.wait(timeout=30)  # row 1 written and locked by the apply
        with pytest.raises(sort_keys.CatalogueBusy):
            _reorder_group(world, code, 79)
        release.set()
        assert apply.outcome().done
    assert ProcessGroup.objects.get(edition__level="regional", code=code).order == before
    (process,) = written(world, ["1"])
    assert process.responsible == "Сидоров Петр"
    assert stored_keys(process) == fresh_keys(process)


@pytest.mark.django_db
def test_the_admin_shows_a_refused_reorder_in_russian_and_saves_nothing(client, world, monkeypatch):
    def busy(entries):
        raise sort_keys.CatalogueBusy()

    monkeypatch.setattr(sort_keys, "entries_changed", busy)
    entry = ReengineeringStatus.objects.filter(edition__level="regional").first()
    client.force_login(world.admin)
    url = reverse("admin:registry_reengineeringstatus_change", args=[entry.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data["order"] = entry.order + 40
    response = client.post(url, data, follow=True)
    assert sort_keys.BUSY in response.content.decode()
    entry.refresh_from_db()
    assert entry.order != data["order"]
