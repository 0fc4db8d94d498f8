"""The form that opens a campaign of collecting the registry's information."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from portal.scoping import restrict
from portal.widgets import BootstrapErrorsMixin, style_widgets
from registry.models import ActivityDirection, CampaignKind, Organization
from registry.models.organizations import editions_by_authority
from registry.services.campaigns import quarter_due
from registry.services.directions import responsible_units


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

    directions = forms.ModelMultipleChoiceField(
        label="Направления деятельности: ответственные подразделения по приложению № 1 к акту",
        queryset=ActivityDirection.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Подразделения, ответственные за отмеченные направления, участвуют в "
        "кампании; «Отметить подразделения» покажет их в списке до открытия.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        today = timezone.localdate()
        # the authorities and units the user may open a campaign for (Organization.scoping)
        reachable = restrict(Organization, user, "open_campaign").active_on(today)
        authorities = reachable.authorities()
        self.editions = editions_by_authority(authorities)
        directions = ActivityDirection.objects.filter(edition__in=set(self.editions.values()))
        if directions.exists():
            self.fields["directions"].queryset = directions.select_related("edition")
        else:
            del self.fields["directions"]
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
        if cleaned.get("directions"):
            cleaned["units"] = self.with_direction_units(cleaned)
        if not cleaned.get("authorities") and not cleaned.get("units"):
            self.add_error("authorities", "Выберите органы власти или подразделения.")
        return cleaned

    def with_direction_units(self, cleaned) -> list[Organization]:
        """The units chosen and those the act makes responsible for the chosen directions,
        in the chosen authorities (every reachable one of the direction's edition if none)."""
        chosen = list(cleaned.get("units") or [])
        wanted = list(cleaned.get("authorities") or []) or list(self.fields["authorities"].queryset)
        for direction in cleaned["directions"]:
            for authority in wanted:
                if self.editions.get(authority.pk) == direction.edition_id:
                    chosen += responsible_units(direction, authority)
        return list({u.pk: u for u in chosen}.values())

    def preselected(self) -> CampaignForm:
        """The same form unbound, its units marked from the directions (nothing opened)."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        initial = {
            name: cleaned.get(name, self.data.get(name))
            for name in ("kind", "year", "quarter", "due_date", "title", "basis")
        }
        initial["authorities"] = [a.pk for a in cleaned.get("authorities") or []]
        initial["directions"] = [d.pk for d in cleaned.get("directions") or []]
        initial["units"] = [u.pk for u in cleaned.get("units") or []]
        return CampaignForm(user=self.user, initial=initial)
