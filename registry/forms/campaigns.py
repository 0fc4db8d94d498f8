"""The form that opens a campaign of collecting the registry's information."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from portal.scoping import restrict
from portal.widgets import BootstrapErrorsMixin, style_widgets
from registry.models import (
    CampaignKind,
    Organization,
)
from registry.services.campaigns import quarter_due


class CampaignForm(BootstrapErrorsMixin, forms.Form):
    kind = forms.ChoiceField(
        label="Вид кампании", choices=CampaignKind.choices, initial=CampaignKind.QUARTERLY
    )
    year = forms.IntegerField(label="Год", required=False, min_value=2020, max_value=2100)
    quarter = forms.TypedChoiceField(
        label="Квартал",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—"), (1, "I"), (2, "II"), (3, "III"), (4, "IV")],
    )
    due_date = forms.DateField(
        label="Срок представления сведений",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Для квартала по умолчанию — 10 рабочих дней после его окончания.",
    )
    title = forms.CharField(label="Название", required=False, max_length=300)
    basis = forms.CharField(
        label="Основание", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    authorities = forms.ModelMultipleChoiceField(
        label="Органы власти (все их подразделения)",
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    units = forms.ModelMultipleChoiceField(
        label="или отдельные структурные подразделения",
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        # the authorities and units the user may open a campaign for (Organization.scoping)
        reachable = restrict(Organization, user, "open_campaign").active_on(today)
        authorities = reachable.authorities()
        units = reachable.units().select_related("authority")
        self.fields["authorities"].queryset = authorities.order_by("full_name")
        self.fields["units"].queryset = units.order_by("authority__full_name", "full_name")
        self.fields["units"].label_from_instance = lambda u: (
            f"{u.authority.display_name} — {u.full_name}"
        )
        if not self.is_bound:
            quarter = (today.month - 1) // 3 + 1
            self.initial.setdefault("year", today.year)
            self.initial.setdefault("quarter", quarter)
        style_widgets(self)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == CampaignKind.QUARTERLY:
            if not cleaned.get("year") or not cleaned.get("quarter"):
                self.add_error("quarter", "Укажите год и квартал актуализации.")
            elif not cleaned.get("due_date"):
                cleaned["due_date"] = quarter_due(cleaned["year"], cleaned["quarter"])
        elif not cleaned.get("due_date"):
            self.add_error("due_date", "Укажите срок, к которому подразделения направят сведения.")
        if not cleaned.get("authorities") and not cleaned.get("units"):
            self.add_error("authorities", "Выберите органы власти или подразделения.")
        return cleaned
