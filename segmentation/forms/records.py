"""A touchpoint and a satisfaction assessment of a service group."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from portal.widgets import text_areas
from segmentation.models import SatisfactionAssessment, Touchpoint

from .base import AuthorityScopedForm


class TouchpointForm(AuthorityScopedForm):
    class Meta:
        model = Touchpoint
        fields = ["authority", "group", "process", "channel", "place", "description"]
        widgets = text_areas(2, "description")


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
            **text_areas(2, "result", "problems", "actions"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and not self.instance.pk:
            self.initial.setdefault("period_end", timezone.localdate())
