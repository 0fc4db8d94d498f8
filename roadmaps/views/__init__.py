"""Roadmap pages: the coordinator's deadlines board (also as XLSX), the list of roadmaps, a
roadmap as its document shows it (also as it stood on a day), a measure with its evidence and
status, a collective measure's split into the authorities' shares, its roll-up and the units
an authority names for its share, the iCalendar feed, the amendment of a plan by a legal act,
an authority's plan made from a typical one, and "Мои мероприятия". Querysets come from
portal.scoping; writing is left to services (items, amendments, templates, collective)."""

from .amendments import RoadmapAmendView
from .autocomplete import OwnerChoicesView, ResponsibleChoicesView, SectionChoicesView
from .boards import DeadlineBoardView, MyMeasuresView
from .calendar import CalendarFeedView, CalendarReissueView
from .collective import ItemSharesView, ItemSplitView, ItemUnitsView
from .instantiate import RoadmapInstantiateView
from .items import (
    EditItemView,
    EvidenceAddView,
    EvidenceFileView,
    ItemDetailView,
    ItemStatusView,
)
from .plans import RoadmapDetailView, RoadmapListView
from .reports import AllRoadmapsReportView, RoadmapReportView

__all__ = [
    "AllRoadmapsReportView",
    "RoadmapReportView",
    "CalendarFeedView",
    "CalendarReissueView",
    "DeadlineBoardView",
    "EditItemView",
    "EvidenceAddView",
    "EvidenceFileView",
    "ItemDetailView",
    "ItemSharesView",
    "ItemSplitView",
    "ItemStatusView",
    "ItemUnitsView",
    "MyMeasuresView",
    "OwnerChoicesView",
    "ResponsibleChoicesView",
    "RoadmapAmendView",
    "SectionChoicesView",
    "RoadmapDetailView",
    "RoadmapInstantiateView",
    "RoadmapListView",
]
