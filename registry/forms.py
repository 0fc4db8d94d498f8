"""Forms of the registry. Labels are the typical form's column headers of the row's edition."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from portal.cells import limit_form_field
from portal.locking import VersionField
from portal.spreadsheets.reader import within_upload_limit
from portal.widgets import BootstrapErrorsMixin, style_widgets
from registry.columns import edition_columns
from registry.models import (
    CampaignKind,
    LifeSituation,
    LinkType,
    Organization,
    PlacementPoint,
    Process,
    ProcessGroup,
    ProcessKind,
    ReengineeringStatus,
    TypicalProcess,
    normalize_identifier,
)
from registry.services.campaigns import quarter_due
from registry.services.processes import LinkSpec

# form field -> column of the typical form whose header is its label
FORM_FIELD_COLUMNS = {
    "identifier": 1,
    "life_situation_name": 2,
    "function_name": 3,
    "client": 4,
    "regulating_act": 5,
    "group": 6,
    "typical_process": 7,
    "responsible": 8,
    "status": 9,
    "input_data": 10,
    "output_data": 11,
    "kind": 13,
    "placement_points": 14,
}
# Free-text columns: each held to one XLSX cell (the published XLSX must hold what JSON does).
TEXT_FIELD_COLUMNS = {
    "function_name": 3,
    "client": 4,
    "regulating_act": 5,
    "process_name": 7,
    "responsible": 8,
    "input_data": 10,
    "output_data": 11,
}


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
        ]
        widgets = {
            "function_name": forms.Textarea(attrs={"rows": 2}),
            "client": forms.Textarea(attrs={"rows": 2}),
            "regulating_act": forms.Textarea(attrs={"rows": 2}),
            "process_name": forms.Textarea(attrs={"rows": 2}),
            "responsible": forms.Textarea(attrs={"rows": 2}),
            "input_data": forms.Textarea(attrs={"rows": 3}),
            "output_data": forms.Textarea(attrs={"rows": 3}),
            "placement_points": forms.CheckboxSelectMultiple,
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
        for name, number in TEXT_FIELD_COLUMNS.items():
            limit_form_field(self.fields[name], f"Графа {number}")
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
        for name, number in FORM_FIELD_COLUMNS.items():
            column = self.columns.get(number)
            if column is None or name not in self.fields:
                continue
            field = self.fields[name]
            field.label = f"{number}. {column.header}"
            if number == 7:
                field.label = f"{number}. {column.header} (из перечня типовых процессов)"
            if column.mandatory and number not in (1, 7):
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
        edition_level = authority.level

        unit = cleaned.get("unit")
        if unit is not None and unit.authority_id != authority.pk:
            self.add_error("unit", "Подразделение не входит в выбранный орган власти.")

        for name in ("group", "status", "kind"):
            value = cleaned.get(name)
            if value is not None and value.edition.level != edition_level:
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
            if typical.group.edition.level != edition_level:
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


class ExcludeForm(forms.Form):
    reason = forms.CharField(
        label="Основание исключения",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Укажите основание исключения процесса из реестра."},
    )


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="Файл реестра (XLSX или XLS)",
        error_messages={
            "required": "Выберите файл реестра.",
            "empty": "Файл пустой: выберите файл реестра XLSX или XLS, в котором есть таблица.",
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls", "class": "form-control"}),
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

    def clean_file(self):
        return within_upload_limit(self.cleaned_data["file"])

    def clean(self):
        cleaned = super().clean()
        authority = cleaned.get("authority") or self.user.authority
        unit = cleaned.get("default_unit")
        if authority is not None and unit is not None and unit.authority_id != authority.pk:
            self.add_error("default_unit", "Подразделение не входит в выбранный орган власти.")
        cleaned["authority"] = authority
        return cleaned


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
        authorities = Organization.objects.authorities().active_on(today)
        units = Organization.objects.units().active_on(today).select_related("authority")
        if not user.sees_all_authorities:
            authorities = authorities.filter(pk=user.authority.pk)
            units = units.filter(authority=user.authority)
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


class ProposalDetailsForm(forms.Form):
    changed_on = forms.DateField(required=False, input_formats=["%Y-%m-%d", "%d.%m.%Y"])
    note = forms.CharField(required=False)
