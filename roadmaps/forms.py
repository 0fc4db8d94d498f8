"""Forms of the item page: evidence of completion and the status of a measure."""

from __future__ import annotations

from django import forms

from registry.widgets import style_widgets
from roadmaps.filters import DateInput
from roadmaps.models import ItemStatus


class EvidenceForm(forms.Form):
    document_type = forms.CharField(
        label="Вид документа",
        widget=forms.TextInput,
        help_text="По умолчанию — вид документа, который указан в плане.",
    )
    number = forms.CharField(label="Номер", required=False, max_length=100)
    date = forms.DateField(label="Дата", required=False, widget=DateInput())
    title = forms.CharField(label="Реквизиты / наименование", required=False)
    url = forms.URLField(label="Ссылка", required=False, max_length=500, assume_scheme="https")
    file = forms.FileField(label="Файл", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widgets(self, small=True)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label="Статус", choices=ItemStatus.choices)
    reason = forms.CharField(label="Основание / комментарий", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widgets(self, small=True)
