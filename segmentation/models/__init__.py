"""Client segmentation of an authority (appendix № 2 to order 329-рп, "Форма профиля
клиентского сегмента"), the touchpoints with clients and satisfaction assessments, each tied
to process groups and registry rows (the measures 3.x.1-3.x.3 of the roadmaps)."""

from segmentation.choices import Channel, ClientKind

from .figures import SegmentationFigures
from .profiles import PROFILE_HISTORY, SegmentAttribute, SegmentProfile
from .records import AuthorityRecord, ScopedToService
from .surveys import AnswerTag, Survey, SurveyAnswer, SurveyContact, SurveyTemplate
from .touchpoints import SatisfactionAssessment, Touchpoint

__all__ = [
    "PROFILE_HISTORY",
    "AnswerTag",
    "AuthorityRecord",
    "Channel",
    "ClientKind",
    "SatisfactionAssessment",
    "ScopedToService",
    "SegmentAttribute",
    "SegmentProfile",
    "SegmentationFigures",
    "Survey",
    "SurveyAnswer",
    "SurveyContact",
    "SurveyTemplate",
    "Touchpoint",
]
