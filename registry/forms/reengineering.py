"""The reengineering plan's forms: a queued row put into the plan, an entry's new target or
responsible, an entry taken out (registry.services.reengineering checks the rest)."""

from __future__ import annotations

from django import forms

from portal.locking import VersionFormMixin
from portal.widgets import style_widgets

from .versions import DATE_FORMATS, DATE_WIDGET

TARGET_DATE = {
    "label": "Срок завершения реинжиниринга",
    "input_formats": DATE_FORMATS,
    "widget": forms.DateInput(**DATE_WIDGET),
    "error_messages": {
        "required": "Укажите срок завершения реинжиниринга.",
        "invalid": "Укажите дату в виде ДД.ММ.ГГГГ.",
    },
}
RESPONSIBLE = {
    "label": "Ответственный",
    "max_length": 500,
    "help_text": "Фамилия, имя, отчество и должность.",
    "error_messages": {"required": "Укажите ответственного: фамилию, имя, отчество и должность."},
}


class ProcessChoice(forms.ModelChoiceField):
    def label_from_instance(self, process):
        name = process.name
        return f"{process.identifier}. {name[:120]}{'…' if len(name) > 120 else ''}"


class PlanEntryForm(forms.Form):
    process = ProcessChoice(
        label="Процесс (в очереди на реинжиниринг или проходит реинжиниринг)",
        queryset=None,
        error_messages={
            "required": "Выберите процесс.",
            "invalid_choice": "Этого процесса нет среди строк, ожидающих реинжиниринга.",
        },
    )
    target_date = forms.DateField(**TARGET_DATE)
    responsible = forms.CharField(**RESPONSIBLE)

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["process"].queryset = rows
        style_widgets(self, small=True)


class PlanEntryChangeForm(VersionFormMixin, forms.Form):
    target_date = forms.DateField(**TARGET_DATE)
    responsible = forms.CharField(**RESPONSIBLE)
    reason = forms.CharField(
        label="Основание изменения",
        required=False,
        max_length=1000,
        help_text="Например: срок перенесен протоколом рабочей группы от 10.02.2025 № 2.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widgets(self, small=True)


class PlanEntryRemoveForm(VersionFormMixin, forms.Form):
    reason = forms.CharField(
        label="Почему строка исключается из плана",
        max_length=1000,
        error_messages={"required": "Укажите, почему строка исключается из плана."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widgets(self, small=True)
