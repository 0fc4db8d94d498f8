"""Forms of the segmentation records: a segment profile with its attribute rows, a
touchpoint, a satisfaction assessment."""

from .base import AuthorityScopedForm
from .profiles import AttributeForm, AttributeFormSet, SegmentProfileForm, attribute_rows
from .records import AssessmentForm, TouchpointForm
from .surveys import AnswerForm, SurveyForm

__all__ = [
    "AnswerForm",
    "AssessmentForm",
    "AttributeForm",
    "AttributeFormSet",
    "AuthorityScopedForm",
    "SegmentProfileForm",
    "SurveyForm",
    "TouchpointForm",
    "attribute_rows",
]
