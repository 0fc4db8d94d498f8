"""The form of a registry row. Labels are the typical form's column headers of the row's edition."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from portal.cells import limit_form_field
from portal.locking import VersionField
from portal.widgets import BootstrapErrorsMixin, style_widgets, text_areas
from registry import columns as spec
from registry.columns import edition_columns
from registry.models import (
    ExclusionGround,
    InclusionReason,
    LifeSituation,
    Organization,
    PlacementPoint,
    Process,
    ProcessGroup,
    ProcessKind,
    ReengineeringStatus,
    TypicalProcess,
    normalize_identifier,
)


class ProcessForm(BootstrapErrorsMixin, forms.ModelForm):
    life_situation_name = forms.CharField(
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"list": "life-situations", "autocomplete": "off"}),
        help_text="Выберите из списка или введите новую — она станет доступна всем.",
    )
    version = VersionField(required=False, widget=forms.HiddenInput)
    placement_url = forms.URLField(required=False, max_length=500, assume_scheme="https")

    class Meta:
        model = Process
        fields = [
            "authority",
            "unit",
            "identifier",
            "function_name",
            "client",
            "regulating_act",
            "group",
            "typical_process",
            "is_non_typical",
            "process_name",
            "responsible",
            "status",
            "input_data",
            "output_data",
            "kind",
            "placement_points",
            "placement_url",
            "is_interdepartmental",
            "inclusion_reasons",
        ]
        widgets = {
            **text_areas(
                2, "function_name", "client", "regulating_act", "process_name", "responsible"
            ),
            **text_areas(3, "input_data", "output_data"),
            "placement_points": forms.CheckboxSelectMultiple,
            "inclusion_reasons": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user, authority=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance.pk:
            authority = self.instance.authority
            self.initial.setdefault("version", self.instance.version)
            if self.instance.life_situation_id:
                self.initial.setdefault("life_situation_name", self.instance.life_situation.name)
        self.authority_obj = authority or user.authority
        if self.authority_obj is not None:
            self.instance.authority = self.authority_obj

        # Only an administrator places a new row into an authority of his choice.
        if self.instance.pk or not user.is_administrator:
            del self.fields["authority"]
        else:
            self.fields["authority"].queryset = Organization.objects.authorities()

        if not user.applies_changes_directly:
            # Outside the 14 columns a proposal carries: the officer records them (item 8).
            del self.fields["is_interdepartmental"], self.fields["inclusion_reasons"]
        else:
            self.fields["inclusion_reasons"].queryset = InclusionReason.objects.all()
        edition = self.authority_obj.edition if self.authority_obj is not None else None
        self.edition = edition
        self._restrict_choices(edition)
        self._label_by_columns(edition)

        self.fields["identifier"].required = bool(self.instance.pk)
        if not self.instance.pk:
            self.fields[
                "identifier"
            ].help_text = (
                "Оставьте пустым — будет присвоен следующий номер по порядку внесения в реестр."
            )
        for column in spec.COLUMNS:
            for name in column.text_fields:
                limit_form_field(self.fields[name], f"Графа {column.number}")
        style_widgets(self)
        self.fields["is_non_typical"].label = "Нетиповой процесс (названия нет в перечне)"
        self.fields["process_name"].label = "Название нетипового процесса"
        self.fields["placement_url"].label = "Адрес в сети «Интернет»"
        self.fields["placement_url"].error_messages["invalid"] = (
            "Графа 14: укажите адрес полностью, например https://omskportal.ru/..."
        )

    def _restrict_choices(self, edition):
        units = Organization.objects.units().active_on(timezone.localdate())
        if self.instance.pk:
            units = units | Organization.objects.filter(pk=self.instance.unit_id)
        if self.user.is_official:
            units = units.filter(pk__in=self.user.unit_ids)
        elif self.authority_obj is not None:
            units = units.filter(authority=self.authority_obj)
        self.fields["unit"].queryset = units.order_by("full_name")
        if not self.instance.pk and not self.initial.get("unit") and len(units) == 1:
            self.initial["unit"] = units[0].pk

        def scoped(qs):
            return qs.filter(edition=edition) if edition is not None else qs

        self.fields["group"].queryset = scoped(ProcessGroup.objects.select_related("edition"))
        self.fields["typical_process"].queryset = (
            TypicalProcess.objects.filter(group__edition=edition)
            if edition is not None
            else TypicalProcess.objects.all()
        ).select_related("group")
        self.fields["status"].queryset = scoped(ReengineeringStatus.objects.all())
        self.fields["kind"].queryset = scoped(ProcessKind.objects.all())
        self.fields["placement_points"].queryset = PlacementPoint.objects.all()
        self.fields["unit"].label = "Структурное подразделение"
        if self.instance.pk and not self.user.applies_changes_directly:
            # A proposal changes the row's columns; which unit keeps the row is the officer's.
            self.fields["unit"].disabled = True
        self.fields["unit"].error_messages["required"] = (
            "Укажите структурное подразделение, которое готовит сведения о процессе."
        )

    def _label_by_columns(self, edition):
        self.columns = edition_columns(edition)
        for spec_column in spec.COLUMNS:
            name, number = spec_column.form_field, spec_column.number
            column = self.columns.get(number)
            if column is None or name not in self.fields:
                continue
            field = self.fields[name]
            field.label = spec_column.label(self.columns)
            if name == "typical_process":
                field.label += " (из перечня типовых процессов)"
            # The identifier is given on saving; column 7 is checked in clean().
            if column.mandatory and name not in ("identifier", "typical_process"):
                field.required = True
            field.error_messages["required"] = (
                f"Графа {number} «{column.header}» обязательна для заполнения."
            )
            field.column_mandatory = column.mandatory
        self.fields["typical_process"].required = False

    def typical_process_options(self) -> list[dict]:
        """For the script that makes the typical-process list follow the chosen group."""
        return [
            {"id": tp.pk, "group": tp.group_id, "label": str(tp)}
            for tp in self.fields["typical_process"].queryset
        ]

    def clean_identifier(self):
        identifier = normalize_identifier(self.cleaned_data.get("identifier"))
        authority = self.cleaned_data.get("authority") or self.authority_obj
        if identifier and authority is not None:
            clash = Process.objects.filter(authority=authority, identifier=identifier)
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                raise ValidationError(
                    f"Графа 1: идентификатор «{identifier}» уже есть в реестре этого органа "
                    f"власти. Идентификатор процесса должен быть уникальным."
                )
        return identifier

    def clean(self):
        cleaned = super().clean()
        authority = cleaned.get("authority") or self.authority_obj
        if authority is None:
            raise ValidationError("Выберите орган власти.")
        self.instance.authority = authority
        edition_id = authority.edition.pk

        unit = cleaned.get("unit")
        if unit is not None and unit.authority_id != authority.pk:
            self.add_error("unit", "Подразделение не входит в выбранный орган власти.")

        for name in ("group", "status", "kind"):
            value = cleaned.get(name)
            if value is not None and value.edition_id != edition_id:
                self.add_error(name, "Значение не из редакции перечня этого органа власти.")

        group = cleaned.get("group")
        typical = cleaned.get("typical_process")
        header7 = self.columns.get(7).header if self.columns.get(7) else "Название процесса"
        if cleaned.get("is_non_typical"):
            cleaned["typical_process"] = None
            if not (cleaned.get("process_name") or "").strip():
                self.add_error(
                    "process_name",
                    f"Графа 7 «{header7}» обязательна: для нетипового процесса введите название.",
                )
        elif typical is None:
            self.add_error(
                "typical_process",
                f"Графа 7 «{header7}» обязательна: выберите процесс из перечня типовых процессов "
                f"группы или отметьте «Нетиповой процесс».",
            )
        else:
            if typical.group.edition_id != edition_id:
                self.add_error("typical_process", "Типовой процесс не из редакции этого органа.")
            elif group is not None and typical.group_id != group.pk:
                self.add_error(
                    "typical_process",
                    f"Типовой процесс «{typical}» не входит в группу «{group}». "
                    f"Выберите процесс этой группы.",
                )
            else:
                cleaned["group"] = typical.group
        return cleaned

    def save_instance(self) -> Process:
        """Fills the instance from the form without saving it: the service saves."""
        process = self.instance
        process.life_situation = LifeSituation.get_or_create_by_name(
            self.cleaned_data.get("life_situation_name", "")
        )
        process.group = self.cleaned_data.get("group")
        process.typical_process = self.cleaned_data.get("typical_process")
        return process


class ExcludeForm(forms.Form):
    """Item 9's grounds (ExclusionGround, reference data) as choices beside free text; the
    row keeps the ground's wording with the text as its reason."""

    ground = forms.ModelChoiceField(
        label="Основание исключения",
        queryset=ExclusionGround.objects.all(),
        required=False,
        empty_label=None,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Пояснение",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Для основания «Иное» — обязательно.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widgets(self)

    def clean(self):
        data = super().clean()
        ground, text = data.get("ground"), (data.get("reason") or "").strip()
        if ground is None and not text:
            raise ValidationError("Укажите основание исключения процесса из реестра.")
        if ground is not None and ground.requires_text and not text:
            self.add_error(
                "reason", f"Для основания «{ground.name}» укажите основание своими словами."
            )
            return data
        if ground is None or ground.requires_text:
            data["reason"] = text
        else:
            data["reason"] = f"{ground.name}: {text}" if text else ground.name
        return data
