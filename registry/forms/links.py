"""The links of a registry row to other rows (column 12), entered as a formset."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from portal.widgets import BootstrapErrorsMixin, style_widgets
from registry.models import (
    LinkType,
    Organization,
    Process,
)
from registry.services.processes import LinkSpec


class ProcessLinkForm(BootstrapErrorsMixin, forms.Form):
    """One entry of column 12: the other row and its role relative to this row."""

    link_type = forms.ChoiceField(label="Тип связи", choices=LinkType.choices)
    target_authority = forms.ModelChoiceField(
        label="Орган власти", queryset=Organization.objects.authorities().order_by("full_name")
    )
    target_identifier = forms.CharField(
        label="Идентификатор процесса",
        max_length=50,
        widget=forms.TextInput(attrs={"autocomplete": "off", "class": "link-target-identifier"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widgets(self)

    def has_changed(self):
        # A row is filled in when it names a process: the type and authority selects always
        # carry a value, so they alone do not make a blank extra row count.
        return bool((self["target_identifier"].value() or "").strip())

    def clean(self):
        cleaned = super().clean()
        authority = cleaned.get("target_authority")
        identifier = (cleaned.get("target_identifier") or "").strip()
        if authority is None or not identifier:
            return cleaned
        target = (
            Process.objects.link_targets()
            .filter(authority=authority, identifier=identifier)
            .first()
        )
        if target is None:
            raise ValidationError(
                f"Графа 12: в реестре «{authority.display_name}» нет процесса "
                f"с идентификатором «{identifier}»."
            )
        cleaned["target"] = target
        return cleaned


class BaseProcessLinkFormSet(forms.BaseFormSet):
    def __init__(self, *args, process=None, **kwargs):
        self.process = process
        super().__init__(*args, **kwargs)
        self._authority_choices = None

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        # One query for the list of authorities, not one per link row.
        field = form.fields["target_authority"]
        if self._authority_choices is None:
            self._authority_choices = list(field.choices)
        field.choices = self._authority_choices
        return form

    @property
    def empty_form(self):
        form = super().empty_form
        if self._authority_choices is not None:
            form.fields["target_authority"].choices = self._authority_choices
        return form

    def clean(self):
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            target = form.cleaned_data["target"]
            if self.process is not None and target.pk == self.process.pk:
                raise ValidationError("Графа 12: процесс не может быть связан сам с собой.")
            if target.pk in seen:
                raise ValidationError(
                    f"Графа 12: процесс «{target.identifier}» указан в связях дважды."
                )
            seen.add(target.pk)

    def link_specs(self) -> list[LinkSpec]:
        return [
            LinkSpec(other=form.cleaned_data["target"], link_type=form.cleaned_data["link_type"])
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


ProcessLinkFormSet = forms.formset_factory(
    ProcessLinkForm, formset=BaseProcessLinkFormSet, extra=1, can_delete=True
)


def link_initial(process: Process) -> list[dict]:
    """The links this row's authority entered: the ones its form may change."""
    return [
        {
            "link_type": link_type,
            "target_authority": other.authority_id,
            "target_identifier": other.identifier,
        }
        for link, other, link_type in process.link_entries()
        if link.owner_authority_id == process.authority_id
    ]


def foreign_links(process: Process) -> list[tuple[Process, str]]:
    """Links another authority entered to this row: shown read-only in the form."""
    return [
        (other, LinkType(link_type).label)
        for link, other, link_type in process.link_entries()
        if link.owner_authority_id != process.authority_id
    ]
