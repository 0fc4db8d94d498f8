"""Roadmaps (планы мероприятий): a plan of a region or an authority, its numbered items,
the legal acts that approve and amend it, and the evidence that closes a measure.

Nothing here is deleted: a measure that is dropped is "cancelled", a reorganized responsible
body keeps its row and names its successor (registry.Organization.successor).
"""

from roadmaps.choices import DeadlineKind, ItemStatus, LegalActKind, Metric

from .evidence import Evidence, evidence_upload_to
from .feeds import CalendarFeedToken, _new_feed_token
from .items import (
    DATED_KINDS,
    NUMBER_PART,
    SPLIT,
    UNTIL_IS_EXCLUSIVE,
    DeadlineGroup,
    ItemResponsible,
    LegalActBasis,
    RegistryTarget,
    RoadmapItem,
    number_sort_key,
)
from .metrics import MeasureArea, MeasureMetric
from .plans import OWNER_KINDS, LegalAct, Roadmap, successor_note

__all__ = [
    "DATED_KINDS",
    "NUMBER_PART",
    "OWNER_KINDS",
    "UNTIL_IS_EXCLUSIVE",
    "DeadlineGroup",
    "CalendarFeedToken",
    "DeadlineKind",
    "Evidence",
    "ItemResponsible",
    "ItemStatus",
    "LegalAct",
    "LegalActBasis",
    "LegalActKind",
    "MeasureArea",
    "MeasureMetric",
    "Metric",
    "RegistryTarget",
    "SPLIT",
    "Roadmap",
    "RoadmapItem",
    "_new_feed_token",  # migration 0002 names it
    "evidence_upload_to",  # migration 0006 names it
    "number_sort_key",
    "successor_note",
]
