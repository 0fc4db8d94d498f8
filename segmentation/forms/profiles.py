"""A segment profile and the rows of its attribute table."""

from __future__ import annotations

from django import forms

from portal.widgets import style_widgets, text_areas
from registry.models.catalogue import template_edition
from segmentation.models import SegmentProfile

from .base import AuthorityScopedForm


class SegmentProfileForm(AuthorityScopedForm):
    class Meta:
        model = SegmentProfile
        fields = [
            "authority",
            "direction",
            "name",
            "client_kind",
            "path_features",
            "channels",
            "groups",
            "processes",
        ]
        widgets = {
            **text_areas(2, "direction", "channels"),
            **text_areas(3, "path_features"),
            "groups": forms.CheckboxSelectMultiple,
            "processes": forms.SelectMultiple(attrs={"size": 8}),
        }
        labels = {
            "name": "2. Профиль клиентского сегмента",
            "path_features": "4. Особенности клиентского пути",
            "channels": "5. Предпочтительные каналы взаимодействия",
        }

    def _scope(self, authority):
        super()._scope(authority)
        # item 1 in full, as the authority's act words it (CatalogueEdition.profile_direction)
        edition = authority.edition if authority is not None else template_edition()
        self.fields["direction"].label = f"1. {edition.profile_direction}"


class AttributeForm(forms.Form):
    attribute = forms.CharField(label="Признак сегментации", required=False, max_length=500)
    value = forms.CharField(label="Значение сегмента", required=False, max_length=1000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widgets(self, small=True)


AttributeFormSet = forms.formset_factory(AttributeForm, extra=0)


def attribute_rows(formset) -> list[tuple[str, str]]:
    return [
        (f.cleaned_data.get("attribute", ""), f.cleaned_data.get("value", ""))
        for f in formset.forms
    ]
