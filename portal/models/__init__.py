from .calendar import CalendarCorrection
from .removable import NotRemovedManager, Removable

__all__ = ["CalendarCorrection", "NotRemovedManager", "Removable"]
