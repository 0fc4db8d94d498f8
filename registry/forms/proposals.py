"""The details of a proposal of changes to the registry."""

from __future__ import annotations

from django import forms


class ProposalDetailsForm(forms.Form):
    changed_on = forms.DateField(required=False, input_formats=["%Y-%m-%d", "%d.%m.%Y"])
    note = forms.CharField(required=False)
