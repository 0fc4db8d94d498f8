"""Amending a roadmap by a legal act: typed edits and a newer edition of the plan from a file
(`services.amendments`, `import_roadmap --amend`)."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from roadmaps.models import DeadlineKind, ItemStatus, LegalAct, LegalActKind, RoadmapItem
from roadmaps.services import amendments, history
from roadmaps.services import items as item_service
from roadmaps.services.amendments import AmendmentRefused, ItemEdit

from .conftest import OMSK, make_act

pytestmark = pytest.mark.django_db

TODAY = date(2025, 6, 1)


def run(*args):
    out = StringIO()
    call_command("import_roadmap", *args, stdout=out)
    return out.getvalue()


def edition(tmp_path, replace=(), drop=(), append=()):
    """A copy of the seed with some lines changed, dropped or added."""
    lines = OMSK.read_text(encoding="utf-8").split("\n")
    out = []
    for line in lines:
        number = line.split("\t", 1)[0]
        if number in drop:
            continue
        for where, old, new in replace:
            if number == where:
                assert old in line
                line = line.replace(old, new)
        out.append(line)
        if number in dict(append):
            out.append(dict(append)[number])
    path = tmp_path / "edition.txt"
    path.write_text("\n".join(out), encoding="utf-8")
    return path


def edit_of(item, **changes):
    values = {
        "number": item.number,
        "text": item.text,
        "deadline_text": item.deadline_text,
        "responsible_text": item.responsible_text,
        "document_type": item.document_type,
        "item_id": item.pk,
    }
    values.update(changes)
    return ItemEdit(**values)


NEW_2_5 = (
    "2.4.",
    "2.5.\tПроведено обучение сотрудников кадровой службы\t31.03.2025\t"
    "ОПФО Главного управления\tОтчет об обучении",
)


def test_dry_run_of_a_new_edition_lists_the_changes_and_writes_nothing(omsk, tmp_path):
    path = edition(
        tmp_path,
        replace=[("1.4.", "23.12.2024", "до 01.03.2025")],
        drop=["2.3."],
        append=[NEW_2_5],
    )
    output = run(str(path), "--amend", str(omsk.pk), "--dry-run")
    assert "изменено пунктов — 1, новых — 1, исключено — 1" in output
    assert "1.4. — изменен" in output
    assert "Срок реализации: «23.12.2024» → «до 01.03.2025»" in output
    assert "2.5. — новый пункт" in output
    assert "2.3. — исключен" in output
    assert "ничего не записано" in output
    assert omsk.items.get(number="1.4.").deadline_text == "23.12.2024"
    assert not omsk.items.filter(number="2.5.").exists()
    assert RoadmapItem.history.filter(legal_act__isnull=True).count() == 0


def test_a_new_edition_is_applied_on_the_basis_of_the_act(omsk, tmp_path, world):
    path = edition(
        tmp_path,
        replace=[("1.4.", "23.12.2024", "до 01.03.2025")],
        drop=["2.3."],
        append=[NEW_2_5],
    )
    output = run(
        str(path),
        "--amend",
        str(omsk.pk),
        "--act-number",
        "15-рп",
        "--act-date",
        "20.02.2025",
        "--act-issuer",
        "Правительства Омской области",
    )
    assert "Изменения внесены" in output
    act = LegalAct.objects.get(number="15-рп")
    changed = omsk.items.get(number="1.4.")
    assert (changed.deadline_kind, changed.deadline_date) == (DeadlineKind.UNTIL, date(2025, 3, 1))
    last = changed.history.latest("history_date")
    assert (last.legal_act, last.effective_date) == (act, date(2025, 2, 20))
    assert omsk.items.get(number="2.3.").status == ItemStatus.CANCELLED  # not deleted
    added = omsk.items.get(number="2.5.")
    assert added.parent == omsk.items.get(number="2.")
    # "ОПФО Главного управления" is the short name item 1.2 of the plan defines
    assert [r.organization for r in added.responsibles.all()] == [world.unit]
    # the plan as it stood before the act, and what the act changed
    before = {s.number: s for s in history.items_on(omsk, date(2025, 2, 19))}
    assert before["1.4."].deadline_text == "23.12.2024"
    assert "2.5." not in before
    changes = history.changes_since(omsk, date(2025, 2, 19))
    by_number = {c.number: c for c in changes.values()}
    assert by_number["1.4."].fields == ["deadline_text"]
    assert by_number["1.4."].acts == [act]
    assert by_number["2.5."].kind == "new"
    assert by_number["2.3."].fields == ["status"]
    assert set(by_number) == {"1.4.", "2.5.", "2.3."}


def test_the_same_edition_again_changes_nothing(omsk):
    with pytest.raises(CommandError, match="Изменений нет"):
        run(str(OMSK), "--amend", str(omsk.pk), "--act-number", "2", "--act-date", "01.02.2025")
    assert not LegalAct.objects.filter(number="2").exists()


def test_an_amendment_needs_an_act(omsk):
    with pytest.raises(CommandError, match="правовым актом"):
        run(str(OMSK), "--amend", str(omsk.pk))


def test_a_typo_in_a_changed_deadline_stops_the_edition(omsk, tmp_path):
    path = edition(tmp_path, replace=[("1.4.", "23.12.2024", "до 01.03.20255")])
    with pytest.raises(CommandError, match="исправьте ошибки"):
        run(str(path), "--amend", str(omsk.pk), "--act-number", "3", "--act-date", "01.02.2025")
    assert omsk.items.get(number="1.4.").deadline_text == "23.12.2024"


def test_typed_edit_with_bad_deadline_names_the_item_and_the_column(omsk):
    item = omsk.items.get(number="1.4.")
    plan = amendments.plan_amendment(omsk, [edit_of(item, deadline_text="31.02.2025")])
    assert plan.errors and plan.errors[0].startswith("Пункт 1.4.: графа «Срок реализации»")
    assert "Допустимо: дата ДД.ММ.ГГГГ" in plan.errors[0]
    assert plan.row_errors["1.4."]
    with pytest.raises(AmendmentRefused):
        amendments.apply_amendment(plan, make_act("9", date(2025, 2, 1)), today=TODAY)
    item.refresh_from_db()
    assert item.deadline_text == "23.12.2024"


def test_changed_responsible_is_resolved_with_the_plans_own_short_names(omsk, world):
    item = omsk.items.get(number="3.1.1.")
    plan = amendments.plan_amendment(
        omsk, [edit_of(item, responsible_text="ОПФО Главного управления; Отдел, которого нет")]
    )
    assert not plan.errors
    assert plan.warnings == [
        "Пункт 3.1.1.: ответственный «Отдел, которого нет» не найден среди организаций "
        "портала — будет сохранен текстом."
    ]
    amendments.apply_amendment(plan, make_act("5", date(2025, 1, 15)), today=TODAY)
    refs = [(r.organization, r.name) for r in item.responsibles.order_by("position")]
    assert refs == [(world.unit, "ОПФО Главного управления"), (None, "Отдел, которого нет")]


def test_unchanged_rows_and_blank_rows_are_not_changes(omsk):
    items = list(omsk.items.all())
    plan = amendments.plan_amendment(
        omsk, [edit_of(i) for i in items] + [ItemEdit(number="", text="")]
    )
    assert plan.changes == [] and plan.errors == []
    with pytest.raises(AmendmentRefused, match="Изменений нет"):
        amendments.apply_amendment(plan, make_act("6", date(2025, 1, 15)), today=TODAY)


def test_new_items_are_checked_for_number_and_section(omsk):
    plan = amendments.plan_amendment(
        omsk,
        [
            ItemEdit(number="1.4", text="Повтор номера", deadline_text="01.02.2025"),
            ItemEdit(number="9.1.", text="Без раздела", deadline_text="01.02.2025"),
            ItemEdit(number="пункт", text="Без номера"),
            ItemEdit(number="2.9.", text="", deadline_text="01.02.2025"),
        ],
    )
    assert plan.errors == [
        "Пункт 1.4.: такой пункт уже есть в плане; укажите другой номер.",
        "Пункт пункт: номер «пункт» не распознан: нужен номер вида 1.4. или 3.1.7.",
        "Пункт 2.9.: укажите текст мероприятия.",
        "Пункт 9.1.: в плане нет пункта 9.: добавьте его тем же актом.",
    ]


def test_a_new_section_with_its_measures_in_one_act(omsk):
    plan = amendments.plan_amendment(
        omsk,
        [
            ItemEdit(number="4.", text="Дополнительные мероприятия"),
            ItemEdit(
                number="4.1.",
                text="Проведен опрос клиентов",
                deadline_text="01.04.2025",
                responsible_text="ОПОИ Главного управления",
                document_type="Отчет",
            ),
        ],
    )
    assert not plan.errors
    amendments.apply_amendment(plan, make_act("7", date(2025, 1, 15)), today=TODAY)
    section, measure = omsk.items.get(number="4."), omsk.items.get(number="4.1.")
    assert section.is_section and not measure.is_section
    assert measure.parent == section
    assert measure.history.get().legal_act.number == "7"


def test_a_section_is_cancelled_only_with_all_its_items(omsk):
    section = omsk.items.get(number="2.")
    plan = amendments.plan_amendment(omsk, [edit_of(section, cancel=True)])
    assert plan.errors == [
        "Пункт 2.: раздел исключается только вместе со всеми его пунктами; остаются: "
        "2.1., 2.2., 2.3., 2.4."
    ]
    edits = [edit_of(i, cancel=True) for i in omsk.items.filter(number__startswith="2.")]
    plan = amendments.plan_amendment(omsk, edits)
    assert not plan.errors
    amendments.apply_amendment(plan, make_act("8", date(2025, 1, 15)), today=TODAY)
    assert set(omsk.items.filter(number__startswith="2.").values_list("status", flat=True)) == {
        ItemStatus.CANCELLED
    }


def test_the_act_date_must_be_after_approval_and_not_in_the_future(omsk):
    item = omsk.items.get(number="1.4.")
    plan = amendments.plan_amendment(omsk, [edit_of(item, deadline_text="01.02.2025")])
    with pytest.raises(AmendmentRefused, match="раньше акта, утвердившего план"):
        amendments.apply_amendment(plan, make_act("10", date(2024, 11, 1)), today=TODAY)
    with pytest.raises(AmendmentRefused, match="позже сегодняшней"):
        amendments.apply_amendment(plan, make_act("11", TODAY + timedelta(days=1)), today=TODAY)
    item.refresh_from_db()
    assert item.deadline_text == "23.12.2024"


def test_a_change_saved_after_the_form_was_opened_refuses_the_amendment(omsk):
    opened_at = timezone.now()
    item = omsk.items.get(number="1.4.")
    other = omsk.items.get(number="1.2.")
    item_service.set_status(other, ItemStatus.IN_PROGRESS)
    plan = amendments.plan_amendment(omsk, [edit_of(item, deadline_text="01.02.2025")])
    with pytest.raises(AmendmentRefused, match="изменил другой пользователь"):
        amendments.apply_amendment(
            plan, make_act("12", date(2025, 1, 15)), opened_at=opened_at, today=TODAY
        )


def test_an_amendment_is_written_whole_or_not_at_all(omsk, monkeypatch):
    items = list(omsk.items.filter(number__in=["1.4.", "2.1."]).order_by("sort_key"))
    plan = amendments.plan_amendment(omsk, [edit_of(i, deadline_text="01.02.2025") for i in items])
    real = item_service.amend_item
    calls = []

    def failing(item, **kwargs):
        calls.append(item.number)
        if len(calls) == 2:
            raise RuntimeError("сбой на втором пункте")
        return real(item, **kwargs)

    monkeypatch.setattr(amendments.item_service, "amend_item", failing)
    with pytest.raises(RuntimeError):
        amendments.apply_amendment(plan, make_act("13", date(2025, 1, 15)), today=TODAY)
    assert calls == ["1.4.", "2.1."]
    assert set(
        omsk.items.filter(number__in=["1.4.", "2.1."]).values_list("deadline_text", flat=True)
    ) == {"23.12.2024", "25.11.2024"}


def test_done_by_the_act_closes_the_measure_with_the_named_document(omsk):
    item = omsk.items.get(number="1.4.")
    plan = amendments.plan_amendment(
        omsk,
        [
            edit_of(
                item,
                deadline_text="Исполнено",
                document_type="Распоряжение Главного управления от 20.12.2024 № 45",
            )
        ],
    )
    amendments.apply_amendment(plan, make_act("14", date(2025, 1, 15)), today=TODAY)
    item.refresh_from_db()
    assert item.status == ItemStatus.DONE
    evidence = item.evidence.get()
    assert (evidence.number, evidence.date) == ("45", date(2024, 12, 20))


def test_an_item_dropped_earlier_is_restored_when_the_edition_has_it_again(omsk, tmp_path):
    path = edition(tmp_path, drop=["2.3."])
    run(str(path), "--amend", str(omsk.pk), "--act-number", "20", "--act-date", "01.02.2025")
    assert omsk.items.get(number="2.3.").status == ItemStatus.CANCELLED
    output = run(
        str(OMSK), "--amend", str(omsk.pk), "--act-number", "21", "--act-date", "01.03.2025"
    )
    assert "восстановлено — 1" in output
    restored = omsk.items.get(number="2.3.")
    assert restored.status == ItemStatus.PLANNED
    assert restored.history.latest("history_date").legal_act.number == "21"
    on_february = {s.number: s.status for s in history.items_on(omsk, date(2025, 2, 15))}
    assert on_february["2.3."] == ItemStatus.CANCELLED


def test_a_measure_is_not_restored_under_a_dropped_section(omsk):
    edits = [edit_of(i, cancel=True) for i in omsk.items.filter(number__startswith="2.")]
    amendments.apply_amendment(
        amendments.plan_amendment(omsk, edits), make_act("22", date(2025, 1, 15)), today=TODAY
    )
    plan = amendments.plan_amendment(omsk, [edit_of(omsk.items.get(number="2.1."))])
    assert [c.kind for c in plan.changes] == ["restored"]
    assert plan.errors == ["Пункт 2.1.: раздел 2. исключен из плана."]


def test_what_changed_since_is_read_in_the_same_queries_however_many_changed(omsk):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for(numbers, act_number):
        items = omsk.items.filter(number__in=numbers)
        plan = amendments.plan_amendment(
            omsk, [edit_of(i, text=i.text + " (в новой редакции)") for i in items]
        )
        amendments.apply_amendment(plan, make_act(act_number, date(2025, 1, 15)), today=TODAY)
        with CaptureQueriesContext(connection) as captured:
            changes = history.changes_since(omsk, date(2025, 1, 14))
        assert {c.number for c in changes.values()} >= set(numbers)
        assert all(c.fields == ["text"] for c in changes.values())
        return len(captured)

    assert queries_for(["1.1."], "30") == queries_for(["2.1.", "2.2.", "2.4.", "3.1.1."], "31")


# --- what the second review found ---


def test_a_row_the_reader_leaves_out_stops_the_edition_instead_of_cancelling(omsk, tmp_path):
    path = edition(tmp_path, replace=[("2.3.", "2.3.\t", "2.З.\t")])  # Cyrillic З
    with pytest.raises(CommandError, match="исправьте ошибки"):
        run(str(path), "--amend", str(omsk.pk), "--dry-run")
    from roadmaps.services.reader import read_roadmap

    plan = amendments.plan_edition(omsk, read_roadmap(path, omsk.owner))
    assert any(e.startswith("Строка 102 файла: номер пункта «2.З.»") for e in plan.errors)
    assert omsk.items.get(number="2.3.").status != ItemStatus.CANCELLED


def test_the_check_refuses_what_writing_would_refuse(omsk, tmp_path):
    done = omsk.items.get(number="1.1.")
    item_service.add_evidence(done, number="12", date=date(2024, 11, 25))
    item_service.set_status(done, ItemStatus.DONE)
    long_notes = ", ".join(str(n) for n in range(1, 30))
    plan = amendments.plan_amendment(
        omsk,
        [
            edit_of(done, document_type="Приказ о назначении"),
            edit_of(omsk.items.get(number="1.4."), footnotes=long_notes),
            ItemEdit(number="2.5.", text="Новое", deadline_text="01.02.2025", footnotes=long_notes),
        ],
    )
    assert plan.errors[0].startswith(
        "Пункт 1.1.: мероприятие исполнено, а подтверждающего документа нового вида у него нет"
    )
    assert plan.errors[1].startswith("Пункт 1.4.: графа «сноски»: Убедитесь, что это значение")
    assert plan.errors[2].startswith("Пункт 2.5.: графа «сноски»")
    assert plan.row_errors.keys() == {"1.1.", "1.4.", "2.5."}


def test_row_errors_are_keyed_by_number_with_the_file_line_in_the_message(omsk, tmp_path):
    path = edition(tmp_path, replace=[("1.4.", "23.12.2024", "до 01.03.20255")])
    from roadmaps.services.reader import read_roadmap

    plan = amendments.plan_edition(omsk, read_roadmap(path, omsk.owner))
    assert plan.errors[0].startswith("Пункт 1.4. (строка 93 файла): графа «Срок реализации»")
    assert list(plan.row_errors) == ["1.4."]


def test_spacing_alone_is_not_an_amendment(omsk):
    item = omsk.items.get(number="1.4.")
    RoadmapItem.objects.filter(pk=item.pk).update(text=item.text.replace(" ", "\r\n", 1) + "  ")
    item.refresh_from_db()
    assert amendments.plan_amendment(omsk, [edit_of(item)]).changes == []


def test_edits_that_are_not_applied_are_said(omsk):
    item = omsk.items.get(number="1.4.")
    plan = amendments.plan_amendment(
        omsk,
        [
            edit_of(item, text="Новая редакция", cancel=True),
            ItemEdit(number="2.5.", text="Только текст"),
        ],
    )
    assert plan.warnings == [
        "Пункт 1.4.: исключается из плана, изменения его граф не вносятся.",
        "Пункт 2.5.: нет срока, ответственного и вида документа — будет добавлен как раздел плана.",
    ]


def test_the_registry_target_follows_the_new_wording(omsk):
    item = omsk.items.get(number="3.1.7.")
    target = item.registry_target
    assert target.target_percent == 10
    plan = amendments.plan_amendment(omsk, [edit_of(item, text=item.text.replace("10 %", "30 %"))])
    amendments.apply_amendment(plan, make_act("40", date(2025, 1, 15)), today=TODAY)
    target.refresh_from_db()
    assert target.target_percent == 30


def test_a_known_act_is_reused_and_completed(omsk):
    known = make_act("41", date(2025, 1, 15))
    item = omsk.items.get(number="1.4.")
    _, act, _ = amendments.amend_by_act(
        omsk,
        [edit_of(item, deadline_text="01.02.2025")],
        {"kind": known.kind, "number": "41", "day": known.date, "title": "О внесении изменений"},
        today=TODAY,
    )
    assert act == known
    known.refresh_from_db()
    assert known.title == "О внесении изменений"


def test_an_act_entered_after_a_later_status_change_keeps_both(omsk):
    today = timezone.localdate()
    item = omsk.items.get(number="1.4.")
    item_service.set_status(item, ItemStatus.IN_PROGRESS)  # takes effect today
    act = make_act("50", today - timedelta(days=3))  # adopted before, typed in now
    plan = amendments.plan_amendment(omsk, [edit_of(item, deadline_text="до 01.03.2027")])
    amendments.apply_amendment(plan, act, today=today)

    def on(day):
        return {s.number: s for s in history.items_on(omsk, day)}["1.4."]

    assert (on(today).deadline_text, on(today).status) == ("до 01.03.2027", "in_progress")
    assert (on(today - timedelta(days=2)).deadline_text, on(today - timedelta(days=2)).status) == (
        "до 01.03.2027",
        "planned",
    )
    assert on(today - timedelta(days=4)).deadline_text == "23.12.2024"
    changes = history.changes_since(omsk, today - timedelta(days=4))
    assert changes[item.pk].fields == ["deadline_text", "status"]
    assert changes[item.pk].acts == [act]


def test_acts_entered_out_of_order_stand_by_their_dates(omsk):
    item = omsk.items.get(number="1.4.")
    march = make_act("51", date(2025, 3, 1))
    amendments.apply_amendment(
        amendments.plan_amendment(omsk, [edit_of(item, text="Реестр в новой редакции")]),
        march,
        today=TODAY,
    )
    item.refresh_from_db()
    january = make_act("52", date(2025, 1, 15))
    amendments.apply_amendment(
        amendments.plan_amendment(omsk, [edit_of(item, deadline_text="до 01.03.2025")]),
        january,
        today=TODAY,
    )

    def on(day):
        state = {s.number: s for s in history.items_on(omsk, day)}["1.4."]
        return state.text, state.deadline_text

    original = omsk.items.get(number="1.4.").history.earliest("history_date").text
    assert on(date(2025, 1, 10)) == (original, "23.12.2024")
    assert on(date(2025, 1, 20)) == (original, "до 01.03.2025")
    assert on(date(2025, 3, 2)) == ("Реестр в новой редакции", "до 01.03.2025")
    item.refresh_from_db()
    assert (item.text, item.deadline_text) == ("Реестр в новой редакции", "до 01.03.2025")


def test_replaced_responsible_links_stay_in_history(omsk, world):
    item = omsk.items.get(number="3.1.1.")
    plan = amendments.plan_amendment(
        omsk, [edit_of(item, responsible_text="ОПФО Главного управления")]
    )
    amendments.apply_amendment(plan, make_act("60", date(2025, 1, 15)), today=TODAY)
    assert [r.organization for r in item.responsibles.all()] == [world.unit]
    removed = item.responsibles.model.history.filter(item_id=item.pk, history_type="-")
    assert [r.organization_id for r in removed] == [world.other_unit.pk]  # ОПОИ answered before
    added = item.responsibles.model.history.filter(item_id=item.pk, history_type="+")
    assert [r.organization_id for r in added] == [world.unit.pk]


def test_an_item_changed_after_the_plan_was_read_refuses_the_amendment(omsk):
    """The plan's items are locked and compared by version before anything is written: a
    change saved between reading the plan and writing it (another writer locks only the
    item) refuses the amendment, whatever the clock says."""
    item = omsk.items.get(number="1.4.")
    plan = amendments.plan_amendment(omsk, [edit_of(item, deadline_text="01.02.2025")])
    changed = RoadmapItem.objects.get(pk=item.pk)
    changed.text = "Изменено другим пользователем"
    item_service.save_recorded(changed)
    with pytest.raises(AmendmentRefused, match="изменил другой пользователь"):
        amendments.apply_amendment(plan, make_act("13", date(2025, 1, 15)), today=TODAY)
    item.refresh_from_db()
    assert item.text == "Изменено другим пользователем" and item.deadline_text == "23.12.2024"


def test_the_plan_is_an_import_report_whose_fingerprint_the_form_call_checks(omsk):
    item = omsk.items.get(number="1.4.")
    edits = [edit_of(item, deadline_text="до 01.03.2025")]
    plan = amendments.plan_amendment(omsk, edits)
    report = plan.report()
    assert [(r.identifier, r.action) for r in report.rows] == [("1.4.", "changed")]
    assert report.rows[0].changes[0].header == "Срок реализации"
    act = {"kind": LegalActKind.ORDER, "number": "13", "day": date(2025, 1, 15)}
    with pytest.raises(AmendmentRefused, match="План изменился после проверки"):
        amendments.amend_by_act(omsk, edits, act, today=TODAY, fingerprint="устаревший")
    _, _, counts = amendments.amend_by_act(
        omsk, edits, act, today=TODAY, fingerprint=plan.fingerprint()
    )
    assert counts["changed"] == 1


def test_the_page_rows_come_from_the_service(omsk):
    items = {i.pk: i for i in omsk.items.order_by("sort_key")}
    edits = amendments.current_edits(items.values())
    assert edits[0] == ItemEdit.of(next(iter(items.values())))
    initial = amendments.form_initial(edits, 2)
    assert len(initial) == len(items) + 2 and initial[-1] == {}
    item = omsk.items.get(number="1.4.")
    plan = amendments.plan_amendment(omsk, [edit_of(item, text="")])
    rows = amendments.page_rows([("form", str(item.pk), ""), ("new", "", "9")], items, plan)
    assert rows[0]["item"] == item and rows[0]["change"].number == "1.4."
    assert rows[0]["errors"] == ["графа «Мероприятие» не может быть пустой."]
    assert rows[1]["item"] is None and rows[1]["change"] is None


def test_an_item_is_copied_by_one_function(omsk):
    item = omsk.items.get(number="1.4.")
    copy = item_service.copy_item(item, text="Другой текст")
    assert copy.pk is None and copy.roadmap_id is None
    assert (copy.number, copy.deadline_date, copy.text) == (
        item.number,
        item.deadline_date,
        "Другой текст",
    )
