"""Persistence: typed models, the async engine, migrations and the diary's units of work."""

from storage.db import create_engine, session_factory, upgrade
from storage.diary import Diary, EventLike, Recorded
from storage.models import Event, SourceMessage, User

__all__ = [
    "Diary",
    "Event",
    "EventLike",
    "Recorded",
    "SourceMessage",
    "User",
    "create_engine",
    "session_factory",
    "upgrade",
]
