"""The deadlines of an authority's plan made from a typical one."""

from __future__ import annotations

from django import forms

from portal.widgets import style_widgets

from .items import DEADLINE_MAX_LENGTH


class InstantiateForm(forms.Form):
    """A typical plan copied for an authority: its own unit for "структурное подразделение
    органа" and its own deadlines (one field per measure, the typical plan's as written)."""

    authority = forms.ModelChoiceField(label="Орган власти", queryset=None)
    unit = forms.ModelChoiceField(
        label="Структурное подразделение органа",
        queryset=None,
        required=False,
        help_text="Будет указано ответственным вместо «структурное подразделение органа».",
    )

    def __init__(self, *args, template, authorities, units, addressees=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = authorities
        if len(authorities) == 1:
            self.fields["authority"].initial = authorities[0].pk
            self.fields["authority"].widget = forms.HiddenInput()
        self.fields["unit"].queryset = units
        # The typical plan's other units ("…, ответственное за кадровое обеспечение"): each
        # gets the authority's own unit for it, so its rows reach that unit's officials.
        self.addressees = list(addressees)
        for n, name in enumerate(self.addressees):
            self.fields[f"addressee_{n}"] = forms.ModelChoiceField(
                label=name[:1].upper() + name[1:],
                queryset=units,
                required=False,
                help_text=f"Будет указано ответственным вместо «{name}».",
            )
        self.measures = list(template.items.filter(is_section=False).order_by("sort_key"))
        for item in self.measures:
            self.fields[f"deadline_{item.pk}"] = forms.CharField(
                label=item.number,
                required=False,
                max_length=DEADLINE_MAX_LENGTH,
                initial=item.deadline_text,
            )
        style_widgets(self, small=True)

    def deadline_rows(self):
        return [(item, self[f"deadline_{item.pk}"]) for item in self.measures]

    def clean(self):
        cleaned = super().clean()
        authority = cleaned.get("authority")
        for name in ["unit", *(f"addressee_{n}" for n in range(len(self.addressees)))]:
            unit = cleaned.get(name)
            if authority and unit and unit.authority_id != authority.pk:
                self.add_error(name, "Подразделение не входит в выбранный орган власти.")
        return cleaned

    def addressee_fields(self):
        return [self[f"addressee_{n}"] for n in range(len(self.addressees))]

    def units(self) -> dict:
        """The addressee as the typical plan writes it -> the unit chosen for it."""
        chosen = {
            name: self.cleaned_data.get(f"addressee_{n}") for n, name in enumerate(self.addressees)
        }
        return {name: unit for name, unit in chosen.items() if unit is not None}

    def deadlines(self) -> dict[str, str]:
        """Only the deadlines the authority set differently from the typical plan."""
        own = {}
        for item in self.measures:
            text = self.cleaned_data[f"deadline_{item.pk}"].strip()
            if text != item.deadline_text.strip():  # the field strips what it shows
                own[item.number] = text
        return own
