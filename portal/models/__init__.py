"""The kernel's models: rows every app may point at (the production calendar's corrections,
jobs of long work, parts of large stored files) and the abstract bases the apps' models share."""

from .calendar import CalendarCorrection
from .files import StoredFilePart
from .jobs import Job, JobState
from .removable import NotRemovedManager, Removable
from .tokens import APIToken

__all__ = [
    "APIToken",
    "CalendarCorrection",
    "Job",
    "JobState",
    "NotRemovedManager",
    "Removable",
    "StoredFilePart",
]
