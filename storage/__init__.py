"""Persistence: typed models, the async engine, migrations and the diary's units of work."""

from storage.db import create_engine, session_factory, upgrade
from storage.diary import Diary, EventLike, Recorded, SameAttack, Undone
from storage.models import Event, Nudge, Reminder, SourceMessage, User
from storage.reminders import Claimed, NewEvent, Reminders

__all__ = [
    "Claimed",
    "Diary",
    "Event",
    "EventLike",
    "NewEvent",
    "Nudge",
    "Recorded",
    "Reminder",
    "Reminders",
    "SameAttack",
    "SourceMessage",
    "Undone",
    "User",
    "create_engine",
    "session_factory",
    "upgrade",
]
