"""What the officer records about a published version: its placement on the official
website and the act approving it (registry.services.version_records checks the dates)."""

from __future__ import annotations

from django import forms

from portal import documents
from portal.widgets import style_widgets

DATE_WIDGET = {"attrs": {"type": "date"}, "format": "%Y-%m-%d"}
DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]


class PlacementForm(forms.Form):
    url = forms.URLField(
        label="Адрес страницы на официальном сайте",
        max_length=500,
        assume_scheme="https",
        error_messages={
            "required": "Укажите адрес страницы, на которой размещен реестр.",
            "invalid": "Укажите адрес полностью, начиная с https:// или http://.",
        },
    )
    placed_on = forms.DateField(
        label="Дата размещения",
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(**DATE_WIDGET),
        error_messages={
            "required": "Укажите дату размещения.",
            "invalid": "Укажите дату в виде ДД.ММ.ГГГГ.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widgets(self, small=True)

    def clean_url(self):
        url = self.cleaned_data["url"]
        if not url.lower().startswith(("http://", "https://")):
            raise forms.ValidationError("Укажите адрес полностью, начиная с https:// или http://.")
        return url


class ApprovalForm(forms.Form):
    act_kind = forms.CharField(
        label="Вид акта",
        max_length=200,
        help_text="Например: распоряжение, приказ.",
        error_messages={"required": "Укажите вид акта."},
    )
    act_number = forms.CharField(
        label="Номер акта", max_length=100, error_messages={"required": "Укажите номер акта."}
    )
    act_date = forms.DateField(
        label="Дата акта",
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(**DATE_WIDGET),
        error_messages={
            "required": "Укажите дату акта.",
            "invalid": "Укажите дату в виде ДД.ММ.ГГГГ.",
        },
    )
    # Checked by content once, in the service (portal.documents), as evidence files are.
    file = forms.FileField(
        label="Файл акта",
        required=False,
        allow_empty_file=True,
        widget=forms.ClearableFileInput(attrs={"accept": documents.ACCEPT}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = f"Необязательно. {documents.allowed_sentence()}"
        style_widgets(self, small=True)
