from __future__ import annotations

from django import forms
from django.utils import timezone

from portal.locking import VersionFormMixin
from portal.widgets import BootstrapErrorsMixin, style_widgets
from registry.models import Organization, Process, ProcessGroup
from segmentation.models import SatisfactionAssessment, SegmentProfile, Touchpoint


class AuthorityScopedForm(VersionFormMixin, BootstrapErrorsMixin, forms.ModelForm):
    """The authority is the user's own; an administrator chooses it. The hidden version is the
    record's as the form was opened: the service refuses a save over a later one."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        authority = self.instance.authority if self.instance.authority_id else user.authority
        if user.authority is None:  # an administrator
            self.fields["authority"].queryset = Organization.objects.authorities().order_by(
                "full_name"
            )
            authority = authority or None
        else:
            self.fields["authority"].queryset = Organization.objects.filter(pk=authority.pk)
            self.fields["authority"].initial = authority.pk
            self.fields["authority"].widget = forms.HiddenInput()
        self.fields["authority"].label = "Орган власти"
        self._scope(authority)
        style_widgets(self, small=True)

    def _scope(self, authority):
        rows = (
            Process.objects.filter(is_excluded=False)
            .select_related("typical_process")
            .order_by("identifier_number")
        )
        groups = ProcessGroup.objects.select_related("edition").order_by("edition", "order")
        if authority is not None:
            rows = rows.filter(authority=authority)
            groups = groups.filter(edition__level=authority.level)
        if self.instance.pk and hasattr(self.instance, "processes"):
            # Rows excluded since they were linked stay choosable, so an edit keeps the link.
            linked = Process.objects.filter(pk__in=self.instance.processes.values("pk"))
            rows = (rows | linked.select_related("typical_process")).distinct()
        for name, queryset in (("group", groups), ("groups", groups)):
            if name in self.fields:
                self.fields[name].queryset = queryset
        for name in ("process", "processes"):
            if name in self.fields:
                self.fields[name].queryset = rows
                self.fields[name].label_from_instance = lambda p: f"{p.identifier}. {p.name}"


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
            "direction": forms.Textarea(attrs={"rows": 2}),
            "path_features": forms.Textarea(attrs={"rows": 3}),
            "channels": forms.Textarea(attrs={"rows": 2}),
            "groups": forms.CheckboxSelectMultiple,
            "processes": forms.SelectMultiple(attrs={"size": 8}),
        }
        labels = {
            "direction": "1. Наименование направления деятельности органа власти",
            "name": "2. Профиль клиентского сегмента",
            "path_features": "4. Особенности клиентского пути",
            "channels": "5. Предпочтительные каналы взаимодействия",
        }


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


class TouchpointForm(AuthorityScopedForm):
    class Meta:
        model = Touchpoint
        fields = ["authority", "group", "process", "channel", "place", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class AssessmentForm(AuthorityScopedForm):
    class Meta:
        model = SatisfactionAssessment
        fields = [
            "authority",
            "group",
            "process",
            "period_start",
            "period_end",
            "method",
            "sample_size",
            "result",
            "satisfied_share",
            "problems",
            "actions",
        ]
        date = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        widgets = {
            "period_start": date,
            "period_end": date,
            "result": forms.Textarea(attrs={"rows": 2}),
            "problems": forms.Textarea(attrs={"rows": 2}),
            "actions": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and not self.instance.pk:
            self.initial.setdefault("period_end", timezone.localdate())
