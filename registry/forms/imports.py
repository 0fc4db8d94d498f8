"""The upload of a registry spreadsheet."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from portal.spreadsheets.forms import SpreadsheetField
from portal.widgets import empty_choices
from registry.models import (
    Organization,
)


class ImportUploadForm(forms.Form):
    file = SpreadsheetField(
        label="Файл реестра (XLSX или XLS)",
        what="файл реестра",
        formats="XLSX или XLS",
        accept=".xlsx,.xls",
        attrs={"class": "form-control"},
    )
    authority = forms.ModelChoiceField(
        label="Орган власти",
        queryset=Organization.objects.authorities().order_by("full_name"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    default_unit = forms.ModelChoiceField(
        label="Подразделение для новых строк",
        required=False,
        queryset=Organization.objects.none(),
        widget=forms.Select(attrs={"class": "form-select"}),
        help_text="В таблице нет графы подразделения: новые строки будут отнесены к этому.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        empty_choices(self)
        if not user.is_administrator:
            del self.fields["authority"]
        units = Organization.objects.units().active_on(timezone.localdate())
        if user.is_official:
            units = units.filter(pk__in=user.unit_ids)
        elif user.authority is not None:
            units = units.filter(authority=user.authority)
        self.fields["default_unit"].queryset = units.order_by("full_name")
        if len(self.fields["default_unit"].queryset) == 1:
            self.fields["default_unit"].initial = self.fields["default_unit"].queryset[0].pk

    def clean(self):
        cleaned = super().clean()
        authority = cleaned.get("authority") or self.user.authority
        unit = cleaned.get("default_unit")
        if authority is not None and unit is not None and unit.authority_id != authority.pk:
            self.add_error("default_unit", "Подразделение не входит в выбранный орган власти.")
        cleaned["authority"] = authority
        return cleaned
