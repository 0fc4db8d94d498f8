"""What every segmentation form shares: the authority (the user's own; an administrator
chooses it) and the version of the record as the form was opened."""

from __future__ import annotations

from django import forms

from portal.locking import VersionFormMixin
from portal.widgets import BootstrapErrorsMixin, style_widgets
from registry.models import Organization, Process, ProcessGroup


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
            groups = groups.filter(edition=authority.edition)
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
