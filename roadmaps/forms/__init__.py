"""Forms of the item page (evidence of completion, the status of a measure, a share's units)
and of the amendment of a plan by a legal act (the act, a newer edition's file, the rows of
the plan)."""

from .amendments import (
    EditionUploadForm,
    ItemEditForm,
    ItemEditFormSet,
    LegalActForm,
    WordEditForm,
    WordEditFormSet,
)
from .instantiate import InstantiateForm
from .items import EvidenceForm, StatusForm, UnitsForm

__all__ = [
    "EditionUploadForm",
    "EvidenceForm",
    "InstantiateForm",
    "ItemEditForm",
    "ItemEditFormSet",
    "LegalActForm",
    "StatusForm",
    "UnitsForm",
    "WordEditForm",
    "WordEditFormSet",
]
