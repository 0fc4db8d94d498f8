"""A registry row written through the API: the JSON is put into the page's own ProcessForm
and links formset, so the API checks exactly what the page checks, then
registry.services.row_writes writes it as the page does."""

from __future__ import annotations

from django.forms.models import model_to_dict
from django.utils.datastructures import MultiValueDict
from rest_framework import serializers

from registry.forms import ProcessForm
from registry.forms.links import ProcessLinkFormSet, link_initial
from registry.models import LinkType, Process

# The API's names of the form's fields (the same as the read serializer's).
FORM_NAMES = {"life_situation": "life_situation_name"}
# The row's own fields as the page's form has them (authority is chosen for a new row only),
# so a field the form gains is one the API keeps on a PATCH too.
ROW_FIELDS = [name for name in ProcessForm.Meta.fields if name != "authority"]


class LinkInSerializer(serializers.Serializer):
    link_type = serializers.ChoiceField(choices=LinkType.choices)
    authority = serializers.IntegerField()
    identifier = serializers.CharField(max_length=50)


class ProcessWriteSerializer(serializers.Serializer):
    """Новая строка или изменяемые поля строки (неуказанные остаются как есть); проверки —
    как у формы строки на портале."""

    version = serializers.IntegerField(
        required=False, help_text="Версия строки, которую вы прочитали (обязательна при PATCH)."
    )
    authority = serializers.IntegerField(
        required=False, help_text="Только администратор: орган власти новой строки."
    )
    unit = serializers.IntegerField(required=False)
    identifier = serializers.CharField(required=False, allow_blank=True)
    life_situation = serializers.CharField(required=False, allow_blank=True)
    function_name = serializers.CharField(required=False, allow_blank=True)
    client = serializers.CharField(required=False, allow_blank=True)
    regulating_act = serializers.CharField(required=False, allow_blank=True)
    group = serializers.IntegerField(required=False, allow_null=True)
    typical_process = serializers.IntegerField(required=False, allow_null=True)
    is_non_typical = serializers.BooleanField(required=False)
    process_name = serializers.CharField(required=False, allow_blank=True)
    responsible = serializers.CharField(required=False, allow_blank=True)
    status = serializers.IntegerField(required=False, allow_null=True)
    input_data = serializers.CharField(required=False, allow_blank=True)
    output_data = serializers.CharField(required=False, allow_blank=True)
    kind = serializers.IntegerField(required=False, allow_null=True)
    placement_points = serializers.ListField(child=serializers.IntegerField(), required=False)
    placement_url = serializers.CharField(required=False, allow_blank=True)
    is_interdepartmental = serializers.BooleanField(required=False)
    inclusion_reasons = serializers.ListField(child=serializers.IntegerField(), required=False)
    links = LinkInSerializer(many=True, required=False)


class ProposedSerializer(serializers.Serializer):
    """Запись сотрудника подразделения: строка изменится, когда предложение одобрят."""

    detail = serializers.CharField()
    proposal = serializers.IntegerField()
    item = serializers.IntegerField()


def current_values(process: Process) -> dict:
    """The row as the API names its fields, for the fields a PATCH does not send."""
    initial = model_to_dict(process, fields=ROW_FIELDS)
    values = {
        name: [obj.pk for obj in value] if isinstance(value, list) else value
        for name, value in initial.items()
    }
    values["life_situation"] = process.life_situation.name if process.life_situation_id else ""
    values["version"] = process.version
    values["links"] = [
        {
            "link_type": link["link_type"],
            "authority": link["target_authority"],
            "identifier": link["target_identifier"],
        }
        for link in link_initial(process)
    ]
    return values


def _put(data: MultiValueDict, name: str, value) -> None:
    if isinstance(value, list):
        data.setlist(name, [str(v) for v in value])
    elif isinstance(value, bool):
        if value:  # a checkbox: absent is False
            data[name] = "on"
    elif value is not None:
        data[name] = str(value)


def form_data(values: dict) -> MultiValueDict:
    """The values as the page's form would post them."""
    data = MultiValueDict()
    for name, value in values.items():
        if name != "links":
            _put(data, FORM_NAMES.get(name, name), value)
    links = values.get("links") or []
    data.update(
        {
            "links-TOTAL_FORMS": str(len(links)),
            "links-INITIAL_FORMS": "0",
            "links-MIN_NUM_FORMS": "0",
            "links-MAX_NUM_FORMS": "1000",
        }
    )
    for index, link in enumerate(links):
        data[f"links-{index}-link_type"] = link["link_type"]
        data[f"links-{index}-target_authority"] = str(link["authority"])
        data[f"links-{index}-target_identifier"] = link["identifier"]
    return data


def bound_forms(user, given: dict, process: Process | None):
    """The page's form and links formset bound to the request's values (over the row's)."""
    values = {**(current_values(process) if process is not None else {}), **given}
    data = form_data(values)
    form = ProcessForm(data, instance=process or Process(), user=user)
    formset = ProcessLinkFormSet(data, prefix="links", process=process or Process())
    return form, formset


def form_errors(form, formset) -> dict:
    """The form's errors under the API's names; column 12's under "links"."""
    names = {form_name: api_name for api_name, form_name in FORM_NAMES.items()}
    errors = {
        ("non_field_errors" if name == "__all__" else names.get(name, name)): list(messages)
        for name, messages in form.errors.items()
    }
    links = [message for row in formset.errors for messages in row.values() for message in messages]
    links += list(formset.non_form_errors())
    if links:
        errors["links"] = links
    return errors
