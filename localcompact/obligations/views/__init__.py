"""The obligations pages: dashboards, one obligation, activities, compliance, calendars."""

from . import activities, calendar, compliance, dashboards, obligation

__all__ = ["activities", "calendar", "compliance", "dashboards", "obligation"]
