from .calendar import CalendarCorrection

__all__ = ["CalendarCorrection"]
