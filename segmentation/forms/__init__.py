"""Forms of the segmentation records: a segment profile with its attribute rows, a
touchpoint, a satisfaction assessment."""

from .base import AuthorityScopedForm
from .profiles import AttributeForm, AttributeFormSet, SegmentProfileForm, attribute_rows
from .records import AssessmentForm, TouchpointForm

__all__ = [
    "AssessmentForm",
    "AttributeForm",
    "AttributeFormSet",
    "AuthorityScopedForm",
    "SegmentProfileForm",
    "TouchpointForm",
    "attribute_rows",
]
