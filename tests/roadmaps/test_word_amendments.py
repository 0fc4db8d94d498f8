"""Word-level amendments of a plan, on seed 000's own sentences (order 329-рп, item 1):
«в строке 1.4 слова … заменить словами …», «в строках 2.6, 2.7 слова … исключить», «в названии
слова "Омской области" заменить словами "Омской области*"», «после таблицы дополнить сноской»
(`services.amendments.words`, the amendment page)."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from roadmaps.models import LegalAct, Roadmap
from roadmaps.services import demo, history
from roadmaps.services.amendments import AmendmentRefused, act_text, words
from roadmaps.services.amendments.words import FOOTNOTE, ROWS, TITLE, WordEdit
from roadmaps.services.demo import load_seed_roadmaps

from .conftest import OMSK, make_act, make_item, make_roadmap

pytestmark = pytest.mark.django_db

TITLE_5 = (
    'План мероприятий ("Дорожная карта") Министерства по делам молодежи, физической культуры '
    "и спорта Омской области по внедрению Стандартов клиентоцентричности"
)
REGPOL = "Министерство региональной политики и массовых коммуникаций Омской области"
MOLSPORT = "Министерство по делам молодежи, физической культуры и спорта Омской области"
FOOTNOTE_5 = (
    "*С 5 июня 2024 года реализация мероприятий осуществляется Министерством спорта Омской области."
)
# seed 000, item 1(1) and 1(2), as the act words them
SENTENCES = """1) в таблице:
- в строке 1.4 слова "региональной политики и массовых коммуникаций" заменить словами \
"внутренней политики";
- в строках 2.6, 2.7 слова "по делам молодежи, физической культуры и" исключить;
2) в приложении № 5:
- в названии слова "Омской области" заменить словами "Омской области*";

- после таблицы дополнить сноской следующего содержания:

"*С 5 июня 2024 года реализация мероприятий осуществляется Министерством спорта Омской области.";
"""
REPLACE_1_4 = WordEdit(
    ROWS, ["1.4."], "региональной политики и массовых коммуникаций", "внутренней политики"
)
DROP_2_6_2_7 = WordEdit(ROWS, ["2.6.", "2.7."], "по делам молодежи, физической культуры и", "")


@pytest.fixture
def plan(world):
    approved = make_act("214-рп", date(2023, 9, 28), issued_by="Правительства Омской области")
    roadmap = make_roadmap(world.authority, title=TITLE_5, legal_act=approved)
    make_item(roadmap, "1.4.", approved, responsible_text=REGPOL)
    make_item(roadmap, "2.6.", approved, responsible_text=MOLSPORT)
    make_item(roadmap, "2.7.", approved, responsible_text=f"{MOLSPORT}; ОПФО Главного управления")
    return roadmap


@pytest.fixture
def act_329():
    return make_act("329-рп", date(2024, 11, 28), issued_by="Правительства Омской области")


def responsible(roadmap, number):
    return roadmap.items.get(number=number).responsible_text


def test_words_in_one_row_are_replaced_on_the_acts_basis(plan, act_329, world):
    written = words.amend_words(plan, [REPLACE_1_4], act_329, user=world.officer)
    assert responsible(plan, "1.4.") == "Министерство внутренней политики Омской области"
    record = plan.items.get(number="1.4.").history.latest("history_date")
    assert record.legal_act == act_329
    assert record.effective_date == date(2024, 11, 28)
    assert record.history_user == world.officer
    assert record.history_change_reason == f"Изменения внесены: {act_329}"
    assert [(c.where, c.column) for c in written] == [("строка 1.4.", "Ответственный")]
    # the edition after the act has the new words, the one before the old ones
    before = {r.number: r for r in history.items_on(plan, date(2024, 11, 27))}
    after = {r.number: r for r in history.items_after_act(plan, act_329)}
    assert before["1.4."].responsible_text == REGPOL
    assert after["1.4."].responsible_text.startswith("Министерство внутренней политики")
    assert act_329 in history.acts_of(plan)


def test_excluded_words_in_several_rows_close_up(plan, act_329, world):
    preview = words.plan_words(plan, [DROP_2_6_2_7])
    assert not preview.errors
    assert [(c.where, c.after) for c in preview] == [
        ("строка 2.6.", "Министерство спорта Омской области"),
        ("строка 2.7.", "Министерство спорта Омской области; ОПФО Главного управления"),
    ]
    assert responsible(plan, "2.6.") == MOLSPORT  # a preview writes nothing
    words.amend_words(plan, [DROP_2_6_2_7], act_329)
    assert responsible(plan, "2.6.") == "Министерство спорта Омской области"
    assert (
        responsible(plan, "2.7.") == "Министерство спорта Омской области; ОПФО Главного управления"
    )
    # the links follow the wording: the unit is still matched, the ministry kept as text
    links = plan.items.get(number="2.7.").responsibles.order_by("position")
    assert [(link.organization, link.name) for link in links] == [
        (None, "Министерство спорта Омской области"),
        (world.unit, "ОПФО Главного управления"),
    ]


def test_the_title_gets_its_star_and_the_footnote_is_added(plan, act_329):
    edits = [
        WordEdit(TITLE, old="Омской области", new="Омской области*"),
        WordEdit(FOOTNOTE, new=FOOTNOTE_5),
    ]
    preview = words.plan_words(plan, edits)
    title = preview.changes[0]
    assert (title.where, title.before, title.after) == (
        "название",
        TITLE_5,
        TITLE_5.replace("области", "области*"),
    )
    assert ("Омской области", True) in title.before_parts
    assert ("Омской области*", True) in title.after_parts
    words.amend_words(plan, edits, act_329)
    plan.refresh_from_db()
    assert plan.title.endswith("спорта Омской области* по внедрению Стандартов клиентоцентричности")
    assert plan.footnote == FOOTNOTE_5
    record = plan.history.latest("history_date")
    assert (record.basis_act, record.effective_date) == (act_329, date(2024, 11, 28))
    assert record.history_change_reason == f"Изменения внесены: {act_329}"
    assert act_329 in history.acts_of(plan)  # an act changing no item is an edition too
    assert history.wording_on(plan, date(2024, 11, 27)) == {"title": TITLE_5, "footnote": ""}
    assert history.wording_on(plan, date(2024, 11, 28)) == {
        "title": plan.title,
        "footnote": FOOTNOTE_5,
    }
    # applied twice, the star is not doubled: refused
    twice = words.plan_words(plan, edits[:1])
    assert twice.errors == [
        "В названии плана слова «Омской области» уже заменены словами «Омской области*»: "
        "изменения не внесены."
    ]
    # the same footnote twice is refused
    again = words.plan_words(plan, [WordEdit(FOOTNOTE, new=FOOTNOTE_5)])
    assert again.errors == ["Изменение: такая сноска в плане уже есть."]


def test_words_a_row_does_not_have_refuse_every_row(plan):
    plan.items.filter(number="2.7.").update(responsible_text="ОПФО Главного управления")
    values = {
        "kind": "order",
        "number": "329-рп",
        "day": date(2024, 11, 28),
        "issued_by": "Правительства Омской области",
        "title": "",
        "url": "",
    }
    with pytest.raises(AmendmentRefused) as refused:
        words.amend_words(plan, [REPLACE_1_4, DROP_2_6_2_7], values)
    assert str(refused.value) == (
        "Изменения не внесены: В строке 2.7. нет слов «по делам молодежи, физической культуры "
        "и»: изменения не внесены."
    )
    # nothing half-written: neither 1.4 nor 2.6, nor the act
    assert responsible(plan, "1.4.") == REGPOL
    assert responsible(plan, "2.6.") == MOLSPORT
    assert not LegalAct.objects.filter(number="329-рп").exists()
    missing = words.plan_words(plan, [WordEdit(ROWS, ["9.9."], "слова", "")])
    assert missing.errors == ["Строки 9.9. в плане нет: изменения не внесены."]
    title = words.plan_words(plan, [WordEdit(TITLE, old="Самарской области", new="x")])
    assert title.errors == ["В названии плана нет слов «Самарской области»: изменения не внесены."]


def test_seed_000s_sentences_read_as_edits():
    assert act_text.parse_act_text(SENTENCES) == [
        REPLACE_1_4,
        DROP_2_6_2_7,
        WordEdit(TITLE, [], "Омской области", "Омской области*"),
        WordEdit(FOOTNOTE, [], "", FOOTNOTE_5),
    ]
    whole = act_text.parse_act_text(OMSK.read_text(encoding="utf-8"))  # seed 000 as it is
    # item 1: two row edits, then a title and a footnote for each of appendices 5, 9, 10, 17, 26
    assert [e.target for e in whole] == [ROWS, ROWS] + [TITLE, FOOTNOTE] * 5
    assert whole[-1].new.startswith("*С 15 мая 2024 года реализация мероприятий осуществляется")


# The amendment page

ACT = {
    "act-kind": "order",
    "act-number": "329-рп",
    "act-date": "2024-11-28",
    "act-issued_by": "Правительства Омской области",
    "act-title": "",
    "act-url": "",
}


def word_data(*edits, **extra):
    data = {
        "words-TOTAL_FORMS": str(len(edits)),
        "words-INITIAL_FORMS": "0",
        "words-MIN_NUM_FORMS": "0",
        "words-MAX_NUM_FORMS": "200",
        "opened_at": timezone.now().isoformat(),
    }
    for index, (target, numbers, old, new) in enumerate(edits):
        data.update(
            {
                f"words-{index}-target": target,
                f"words-{index}-numbers": numbers,
                f"words-{index}-old": old,
                f"words-{index}-new": new,
            }
        )
    return {**data, **extra}


ROW_EDITS = (
    ("rows", "1.4", "региональной политики и массовых коммуникаций", "внутренней политики"),
    ("rows", "2.6, 2.7", "по делам молодежи, физической культуры и", ""),
    ("title", "", "Омской области", "Омской области*"),
    ("footnote", "", "", FOOTNOTE_5),
)


def amend_url(roadmap):
    return reverse("roadmaps:roadmap_amend", args=[roadmap.pk])


def test_the_page_shows_each_row_before_and_after_then_writes_on_the_act(client, world, plan):
    client.force_login(world.officer)
    page = client.post(amend_url(plan), word_data(*ROW_EDITS, action="words_preview"))
    assert page.status_code == 200
    html = page.content.decode()
    assert (
        '<del class="bg-danger-subtle">региональной политики и массовых коммуникаций</del>' in html
    )
    assert '<ins class="bg-success-subtle">внутренней политики</ins>' in html
    assert '<ins class="bg-success-subtle">Омской области*</ins>' in html
    assert [c.where for c in page.context["word_plan"]] == [
        "строка 1.4.",
        "строка 2.6.",
        "строка 2.7.",
        "название",
        "сноска после таблицы",
    ]
    assert responsible(plan, "1.4.") == REGPOL  # nothing written by the check
    fingerprint = page.context["word_plan"].fingerprint()
    assert f'name="words_fingerprint" value="{fingerprint}"' in html
    done = client.post(
        amend_url(plan),
        word_data(*ROW_EDITS, **ACT, action="words_apply", words_fingerprint=fingerprint),
    )
    assert done.status_code == 302
    detail = reverse("roadmaps:roadmap_detail", args=[plan.pk])
    assert done["Location"] == f"{detail}?since=2024-11-27"
    act = LegalAct.objects.get(number="329-рп")
    assert responsible(plan, "2.6.") == "Министерство спорта Омской области"
    assert plan.items.get(number="1.4.").history.latest("history_date").legal_act == act
    shown = client.get(done["Location"]).content.decode()
    assert "спорта Омской области* по внедрению" in shown
    assert f'data-testid="plan-footnote">{FOOTNOTE_5}' in shown
    assert (
        "Изменения слов внесены на основании акта: распоряжение Правительства Омской области "
        "от 28.11.2024 № 329-рп." in shown
    )
    # the edition before the act: the title without the star, no footnote
    before = client.get(f"{detail}?on=2024-11-27").content.decode()
    assert "спорта Омской области по внедрению" in before
    assert "plan-footnote" not in before
    item = plan.items.get(number="1.4.")
    item_page = client.get(reverse("roadmaps:item_detail", args=[item.pk])).content.decode()
    assert "№ 329-рп" in item_page


def test_the_page_refuses_words_not_in_a_row_naming_it(client, world, plan):
    client.force_login(world.officer)
    edits = (ROW_EDITS[0], ("rows", "2.6, 2.7", "по делам культуры", ""))
    page = client.post(
        amend_url(plan), word_data(*edits, **ACT, action="words_apply", words_fingerprint="x")
    )
    assert page.status_code == 400
    html = page.content.decode()
    assert "В строке 2.6. нет слов «по делам культуры»: изменения не внесены." in html
    assert "В строке 2.7. нет слов «по делам культуры»: изменения не внесены." in html
    assert "Внести изменения слов" not in html
    assert responsible(plan, "1.4.") == REGPOL
    assert not LegalAct.objects.filter(number="329-рп").exists()
    bad = client.post(
        amend_url(plan), word_data(("rows", "1.4, строка", "слова", ""), action="words_preview")
    )
    assert bad.status_code == 400
    assert "не номер строки: «строка»" in bad.content.decode()


def test_a_plan_changed_after_the_check_is_refused(client, world, plan):
    client.force_login(world.officer)
    page = client.post(amend_url(plan), word_data(ROW_EDITS[0], action="words_preview"))
    fingerprint = page.context["word_plan"].fingerprint()
    plan.items.filter(number="1.4.").update(responsible_text=f"{REGPOL}; ОПФО Главного управления")
    refused = client.post(
        amend_url(plan),
        word_data(ROW_EDITS[0], **ACT, action="words_apply", words_fingerprint=fingerprint),
    )
    assert refused.status_code == 400
    assert words.STALE in refused.content.decode()
    assert responsible(plan, "1.4.").startswith(REGPOL)


def test_the_acts_text_fills_the_edits(client, world, plan):
    client.force_login(world.officer)
    page = client.post(amend_url(plan), word_data(act_text=SENTENCES, action="words_parse"))
    assert page.status_code == 200
    forms = page.context["words_formset"].forms
    assert [f.initial.get("numbers") for f in forms[:2]] == ["1.4.", "2.6., 2.7."]
    assert forms[2].initial["target"] == "title"
    assert forms[3].initial["new"] == FOOTNOTE_5
    assert "Из текста акта прочитано изменений: 4. Проверьте их." in page.content.decode()
    assert Roadmap.objects.get(pk=plan.pk).title == TITLE_5


# manage.py amend_roadmap_words


def run(*args):
    out = StringIO()
    call_command("amend_roadmap_words", *args, stdout=out)
    return out.getvalue()


def test_the_command_prints_before_after_and_writes_on_the_act(plan, tmp_path):
    checked = run(str(plan.pk), "--exclude", "2.6, 2.7", DROP_2_6_2_7.old, "--dry-run")
    assert f"строка 2.6. · Ответственный:\n  было:   {MOLSPORT}\n" in checked
    assert "  станет: Министерство спорта Омской области\n" in checked
    assert responsible(plan, "2.6.") == MOLSPORT
    text = tmp_path / "329.txt"
    text.write_text(SENTENCES, encoding="utf-8")
    done = run(
        str(plan.pk),
        "--from-text",
        str(text),
        "--act-number",
        "329-рп",
        "--act-date",
        "28.11.2024",
        "--act-issuer",
        "Правительства Омской области",
    )
    assert "Изменения слов внесены (распоряжение Правительства Омской области от 28.11.2024" in done
    plan.refresh_from_db()
    assert (plan.footnote, responsible(plan, "2.6.")) == (
        FOOTNOTE_5,
        "Министерство спорта Омской области",
    )
    assert plan.history.latest("history_date").basis_act.number == "329-рп"
    with pytest.raises(CommandError) as refused:
        run(str(plan.pk), "--replace", "1.4", "нет таких слов", "x", "--dry-run")
    assert str(refused.value) == "В строке 1.4. нет слов «нет таких слов»: изменения не внесены."


def test_seed_demo_plans_are_amended_by_329_rps_own_sentences(db):
    """Appendices 5, 9, 10, 17, 26 load with 214-рп's title, then take 329-рп's edits read
    from seed 000 itself: the title's «*» and the footnote, on 329-рп's basis."""
    load_seed_roadmaps()
    with open(demo.MANIFEST, encoding="utf-8") as fh:
        manifest = {r.get("appendix_number"): r for r in json.load(fh)["roadmaps"]}
    for number in ("5", "9", "10", "17", "26"):
        plan = Roadmap.objects.get(appendix_number=number)
        assert plan.title == manifest[number]["title"].replace(
            "Омской области по внедрению", "Омской области* по внедрению"
        )
        assert plan.footnote == manifest[number]["footnote"]
        assert plan.title.count("*") == 1
        assert [a.number for a in history.acts_of(plan)] == ["214-рп", "329-рп"]
        assert history.wording_on(plan, date(2024, 11, 27))["title"] == manifest[number]["title"]
    again = load_seed_roadmaps()  # a second run amends nothing twice
    assert Roadmap.objects.get(appendix_number="5").title.count("*") == 1
    assert all(report is None for _, report in again)
