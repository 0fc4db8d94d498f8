"""Word-level amendments, as acts word them (seed 000, item 1(1)): «в строке 1.4 слова "…"
заменить словами "…"», «в строках 2.6, 2.7 слова "…" исключить», «в названии слова "…"
заменить словами "…"», «после таблицы дополнить сноской …».

`plan_words` shows each row before and after, with the words highlighted, and refuses, naming
the row, words a row does not have; `amend_words` writes every row or none. The rows' new
wording goes through the amendment of a plan (`compare`, `write`), so items keep its checks
and their history names the act; the title and the footnote are saved on the plan with the
act in its history (`Roadmap.history`, `basis_act`).

Words are found as written (case and letters exact, any spacing between them) and replaced
wherever the row has them: an act that changes only one occurrence says so («в первом
случае»), which this does not read.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction

from roadmaps.models import ItemStatus, LegalAct, Roadmap
from roadmaps.services.amendments.compare import plan_amendment
from roadmaps.services.amendments.plan import COLUMNS, AmendmentRefused, ItemEdit
from roadmaps.services.amendments.write import apply_amendment, check_act
from roadmaps.services.reader import NUMBER, canonical_number, clean_cell

ROWS, TITLE, FOOTNOTE = "rows", "title", "footnote"
TARGETS = (
    (ROWS, "в строках (номера пунктов)"),
    (TITLE, "в названии плана"),
    (FOOTNOTE, "после таблицы: дополнить сноской"),
)
STALE = "План изменился после проверки: проверьте изменения слов снова. Изменения не внесены."
# punctuation that follows a word without a space: "и, спорта" -> joint without a space
_CLOSING = ",.;:)»!?"


@dataclass
class WordEdit:
    """One instruction of the act. `new` empty: the words are excluded («исключить»); for a
    footnote `new` is its text and `old` is empty."""

    target: str  # ROWS, TITLE or FOOTNOTE
    numbers: list[str] = field(default_factory=list)  # ROWS: "1.4.", "2.6."
    old: str = ""
    new: str = ""

    @property
    def verb(self) -> str:
        if self.target == FOOTNOTE:
            return f"дополнить сноской «{self.new}»"
        if not self.new:
            return f"слова «{self.old}» исключить"
        return f"слова «{self.old}» заменить словами «{self.new}»"


@dataclass
class RowChange:
    """A row (an item's column, the title or the footnote) before and after; `before_parts`
    and `after_parts` are (text, highlighted) pieces the page marks."""

    where: str  # "строка 1.4.", "название", "сноска после таблицы"
    column: str
    before: str
    after: str
    before_parts: list[tuple[str, bool]]
    after_parts: list[tuple[str, bool]]
    number: str = ""  # the item's number, for a row of the table


@dataclass
class WordPlan:
    roadmap: Roadmap
    edits: list[WordEdit]
    changes: list[RowChange] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    item_edits: list[ItemEdit] = field(default_factory=list)
    title: str | None = None  # the new title, when it changes
    footnote: str | None = None
    amendment: object = None  # the AmendmentPlan of the items' edits
    act: LegalAct | None = None  # the act it was written on

    @property
    def has_errors(self) -> bool:
        return bool(self.errors)

    def fingerprint(self) -> str:
        text = "\x1f".join(f"{c.where}\x1e{c.column}\x1e{c.before}\x1e{c.after}" for c in self)
        return hashlib.sha256(text.encode()).hexdigest()

    def __iter__(self):
        return iter(self.changes)


def parse_numbers(text: str) -> tuple[list[str], list[str]]:
    """ "2.6, 2.7" or "2.6 и 2.7" -> (["2.6.", "2.7."], the parts that are not numbers)."""
    numbers, bad = [], []
    for part in re.split(r"[,;]|\s+и\s+|\s+", text or ""):
        part = part.strip()
        if not part:
            continue
        match = NUMBER.match(part)
        if match and not match["rest"]:
            numbers.append(canonical_number(match["number"]))
        else:
            bad.append(part)
    return numbers, bad


def _pattern(words: str) -> re.Pattern:
    # the words as written, any spacing between them (a cell is read with spaces collapsed)
    return re.compile(r"\s+".join(re.escape(w) for w in words.split()))


def replace_words(text: str, old: str, new: str) -> tuple[str, list, list] | None:
    """`text` with every `old` replaced by `new` (excluded when `new` is empty, the spacing
    around closed up); None when `text` does not have the words. Also the pieces of the text
    before and after, (text, highlighted): the words replaced, and the words put in."""
    pattern = _pattern(old)
    matches = list(pattern.finditer(text))
    if not matches:
        return None
    before, after, position = [], [], 0
    for match in matches:
        left = text[position : match.start()]
        before += [(left, False), (match.group(), True)]
        after += [(left, False), (new, True)]
        position = match.end()
    before.append((text[position:], False))
    after.append((text[position:], False))
    if new:
        result = pattern.sub(lambda _: new, text)
    else:
        # "Министерства по делам молодежи, физической культуры и спорта" -> "… Министерства
        # спорта": the excluded words take the spaces around them, one space stays between
        # words (none before a comma or at either end)
        def joint(match):
            head, tail = text[: match.start()].rstrip(), text[match.end() :].lstrip()
            return " " if head and tail and tail[0] not in _CLOSING else ""

        result = re.sub(r"\s*" + pattern.pattern + r"\s*", joint, text)
        after = [(result, False)]
    return clean_cell(result), [p for p in before if p[0]], [p for p in after if p[0]]


def already_done(text: str, old: str, new: str) -> bool:
    """The new words contain the old ones ("Омской области" -> "Омской области*") and every
    occurrence of the old ones is already inside the new: the act was applied before."""
    if not new or old not in new:
        return False
    olds = len(_pattern(old).findall(text))
    return olds > 0 and olds == len(_pattern(new).findall(text)) * new.count(old)


def _edit_row(plan: WordPlan, items: dict, rows: dict, number: str, old: str, new: str) -> None:
    """One row's words replaced in every column that has them (`rows`: the text after the
    edits so far), or the reason it cannot be."""
    item = items.get(number)
    if item is None:
        plan.errors.append(f"Строки {number} в плане нет: изменения не внесены.")
        return
    if item.status == ItemStatus.CANCELLED:
        plan.errors.append(f"Строка {number} исключена из плана: изменения не внесены.")
        return
    row = rows.setdefault(number, {name: getattr(item, name) for name, _ in COLUMNS})
    if any(already_done(row[name], old, new) for name, _ in COLUMNS):
        plan.errors.append(
            f"В строке {number} слова «{old}» уже заменены словами «{new}»: изменения не внесены."
        )
        return
    found = False
    for name, heading in COLUMNS:
        replaced = replace_words(row[name], old, new)
        if replaced is not None:
            found = True
            plan.changes.append(
                RowChange(f"строка {number}", heading, row[name], *replaced, number=number)
            )
            row[name] = replaced[0]
    if not found:
        plan.errors.append(f"В строке {number} нет слов «{old}»: изменения не внесены.")


def plan_words(roadmap: Roadmap, edits: list[WordEdit]) -> WordPlan:
    """Each row the edits touch, before and after; errors naming the row. Nothing is
    written. Edits apply in order: a second edit of a row sees the first one's result."""
    plan = WordPlan(roadmap, edits)
    items = {i.number: i for i in roadmap.items.all()}
    rows: dict[str, dict[str, str]] = {}  # number -> column -> text after the edits so far
    title, footnote = roadmap.title, roadmap.footnote
    for index, edit in enumerate(edits, 1):
        old, new = clean_cell(edit.old), clean_cell(edit.new)
        said = f"Изменение {index} ({edit.verb})" if len(edits) > 1 else "Изменение"
        if edit.target == FOOTNOTE:
            if not new:
                plan.errors.append(f"{said}: укажите текст сноски.")
            elif new in footnote:
                plan.errors.append(f"{said}: такая сноска в плане уже есть.")
            else:
                after = f"{footnote}\n{new}" if footnote else new
                plan.changes.append(
                    RowChange(
                        "сноска после таблицы",
                        "Сноска",
                        footnote,
                        after,
                        [(footnote, False)] if footnote else [],
                        ([(footnote + "\n", False)] if footnote else []) + [(new, True)],
                    )
                )
                footnote = after
            continue
        if not old:
            plan.errors.append(f"{said}: укажите слова, которые заменяются или исключаются.")
            continue
        if edit.target == TITLE:
            if already_done(title, old, new):
                plan.errors.append(
                    f"В названии плана слова «{old}» уже заменены словами «{new}»: изменения не "
                    "внесены."
                )
                continue
            replaced = replace_words(title, old, new)
            if replaced is None:
                plan.errors.append(f"В названии плана нет слов «{old}»: изменения не внесены.")
                continue
            plan.changes.append(RowChange("название", "Наименование", title, *replaced))
            title = replaced[0]
            continue
        if not edit.numbers:
            plan.errors.append(f"{said}: укажите номера строк (пунктов) плана.")
        for number in edit.numbers:
            _edit_row(plan, items, rows, number, old, new)
    plan.title = title if title != roadmap.title else None
    plan.footnote = footnote if footnote != roadmap.footnote else None
    for number, row in rows.items():
        item = items[number]
        plan.item_edits.append(ItemEdit.of(item))
        for name, value in row.items():
            setattr(plan.item_edits[-1], name, value)
    if plan.item_edits and not plan.errors:
        # the amendment's own checks: lengths, a deadline still a date, responsible bodies
        plan.amendment = plan_amendment(roadmap, plan.item_edits)
        plan.errors += plan.amendment.errors
    if not plan.errors and not plan.changes:
        plan.errors.append("Изменений нет: укажите, какие слова и где меняются.")
    return plan


@transaction.atomic
def amend_words(
    roadmap: Roadmap,
    edits: list[WordEdit],
    act: LegalAct | dict,
    *,
    user=None,
    reason: str = "",
    today: date | None = None,
    fingerprint: str | None = None,
) -> WordPlan:
    """Writes the word edits on the act's basis: every row or none. `act`: a LegalAct or the
    requisites of one (reused when the portal knows it); `fingerprint`: of the plan the person
    checked, which the plan as it is now must still give."""
    from roadmaps.services.importer import get_or_create_act

    roadmap = Roadmap.objects.select_for_update().get(pk=roadmap.pk)
    plan = plan_words(roadmap, edits)
    if plan.errors:
        raise AmendmentRefused("Изменения не внесены: " + " ".join(plan.errors))
    if fingerprint is not None and plan.fingerprint() != fingerprint:
        raise AmendmentRefused(STALE)
    if isinstance(act, dict):
        act = get_or_create_act(**act)
    check_act(roadmap, act, today or date.today())
    plan.act = act
    reason = reason or f"Изменения внесены: {act}"
    if plan.amendment is not None and plan.amendment.changes:
        apply_amendment(plan.amendment, act, user=user, reason=reason, today=today)
    if plan.title is not None or plan.footnote is not None:
        roadmap.title = plan.title if plan.title is not None else roadmap.title
        roadmap.footnote = plan.footnote if plan.footnote is not None else roadmap.footnote
        roadmap.full_clean()
        roadmap._basis_act = act
        roadmap._history_user = user
        roadmap._change_reason = reason
        try:
            roadmap.save()
        finally:
            for name in ("_basis_act", "_history_user", "_change_reason"):
                roadmap.__dict__.pop(name, None)
    return plan
