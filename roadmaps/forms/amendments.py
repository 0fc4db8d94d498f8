"""Forms of the amendment of a plan by a legal act: the act, the file of a newer edition, the
rows of the plan."""

from __future__ import annotations

from functools import partial

from django import forms

from portal.cells import limit_form_field
from portal.spreadsheets.forms import SpreadsheetField
from portal.widgets import style_widgets
from roadmaps.filters import DateInput
from roadmaps.models import LegalAct
from roadmaps.services.amendments import ItemEdit, words

from .items import DEADLINE_MAX_LENGTH


class LegalActForm(forms.Form):
    """The act's requisites, the model's fields as a plain form: an act the portal already
    has (same kind, number, date and issuer) is reused, not refused as a duplicate."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="act", **kwargs)
        self.fields.update(
            forms.fields_for_model(
                LegalAct,
                fields=("kind", "number", "date", "issued_by", "title", "url"),
                widgets={"date": DateInput(), "title": forms.Textarea(attrs={"rows": 2})},
                labels={"kind": "Вид акта", "number": "Номер", "date": "Дата"},
                field_classes={"url": partial(forms.URLField, assume_scheme="https")},
            )
        )
        style_widgets(self, small=True)

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "number": data["number"].strip(),
            "day": data["date"],
            "issued_by": data["issued_by"].strip(),
            "title": data["title"].strip(),
            "url": data["url"],
        }


class EditionUploadForm(forms.Form):
    edition = SpreadsheetField(
        label="Новая редакция плана (таблица: текст с табуляциями, XLSX или XLS)",
        what="файл новой редакции плана",
        accept=".txt,.tsv,.xlsx,.xls",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widgets(self, small=True)


class ItemEditForm(forms.Form):
    """One row of the plan in the amendment form; all optional: a row left as it is, or an
    empty new row, is no change (services.amendments decides what changed)."""

    item_id = forms.IntegerField(label="Пункт", required=False, widget=forms.HiddenInput)
    line = forms.IntegerField(label="Строка файла", required=False, widget=forms.HiddenInput)
    footnotes = forms.CharField(
        label="Сноски", required=False, max_length=100, widget=forms.HiddenInput
    )
    number = forms.CharField(label="№ п/п", required=False, max_length=30)
    text = forms.CharField(label="Мероприятие", required=False, widget=forms.Textarea)
    deadline_text = forms.CharField(
        label="Срок реализации", required=False, max_length=DEADLINE_MAX_LENGTH
    )
    responsible_text = forms.CharField(label="Ответственный", required=False, widget=forms.Textarea)
    document_type = forms.CharField(label="Вид документа", required=False, widget=forms.Textarea)
    cancel = forms.BooleanField(label="исключить", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("text", "responsible_text", "document_type"):
            self.fields[name].widget.attrs["rows"] = 2
            limit_form_field(self.fields[name], f"Графа «{self.fields[name].label}»")
        style_widgets(self, small=True)

    def edit(self) -> ItemEdit:
        data = self.cleaned_data  # an extra row left empty has no cleaned values
        return ItemEdit(
            number=data.get("number", ""),
            text=data.get("text", ""),
            deadline_text=data.get("deadline_text", ""),
            responsible_text=data.get("responsible_text", ""),
            document_type=data.get("document_type", ""),
            footnotes=data.get("footnotes", ""),
            item_id=data.get("item_id"),
            cancel=data.get("cancel", False),
            line=data.get("line"),
        )


ItemEditFormSet = forms.formset_factory(ItemEditForm, extra=0, max_num=5000, absolute_max=5000)


class WordEditForm(forms.Form):
    """One word-level instruction of the act: where, which words, the words instead (empty:
    «исключить»). An empty form is no instruction."""

    target = forms.ChoiceField(label="Где", choices=words.TARGETS, initial=words.ROWS)
    numbers = forms.CharField(
        label="Номера строк",
        required=False,
        max_length=500,
        help_text="Например: 1.4 или 2.6, 2.7",
    )
    old = forms.CharField(label="Слова", required=False, widget=forms.Textarea)
    new = forms.CharField(
        label="Заменить словами (пусто — исключить; для сноски — ее текст)",
        required=False,
        widget=forms.Textarea,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("old", "new"):
            self.fields[name].widget.attrs["rows"] = 2
            limit_form_field(self.fields[name], f"Поле «{self.fields[name].label}»")
        style_widgets(self, small=True)

    def clean_numbers(self):
        numbers, bad = words.parse_numbers(self.cleaned_data["numbers"])
        if bad:
            raise forms.ValidationError(
                "не номер строки: " + ", ".join(f"«{b}»" for b in bad) + "; нужен вид 1.4 или 2.6"
            )
        return numbers

    @property
    def empty(self) -> bool:
        data = self.cleaned_data
        return not (
            data.get("numbers") or data.get("old", "").strip() or data.get("new", "").strip()
        )

    def edit(self) -> words.WordEdit:
        data = self.cleaned_data
        target = data["target"]
        return words.WordEdit(
            target,
            data["numbers"] if target == words.ROWS else [],
            data["old"] if target != words.FOOTNOTE else "",
            data["new"],
        )


WordEditFormSet = forms.formset_factory(WordEditForm, extra=0, max_num=200, absolute_max=200)
