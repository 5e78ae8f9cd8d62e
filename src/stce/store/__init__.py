"""Persistence (SQLAlchemy 2 + Alembic): SQLite by default, PostgreSQL in production."""

from stce.store.base import Base
from stce.store.engine import get_engine, session_factory, upgrade
from stce.store.parties import PartyClearance
from stce.store.refdata import ListSnapshotRecord, RetroHit
from stce.store.tables import ScreenedParty, ScreeningRecord, ScreeningRun

__all__ = [
    "Base",
    "ListSnapshotRecord",
    "PartyClearance",
    "RetroHit",
    "ScreenedParty",
    "ScreeningRecord",
    "ScreeningRun",
    "get_engine",
    "session_factory",
    "upgrade",
]
