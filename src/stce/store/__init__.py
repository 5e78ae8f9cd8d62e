"""Persistence (SQLAlchemy 2 + Alembic): SQLite by default, PostgreSQL in production."""

from stce.store import licences, movements  # noqa: F401  (register their tables)
from stce.store.base import Base
from stce.store.engine import get_engine, session_factory, upgrade
from stce.store.parties import PartyClearance
from stce.store.refdata import ListSnapshotRecord, RetroHit
from stce.store.risk import InspectionOutcome
from stce.store.tables import ScreenedParty, ScreeningRecord, ScreeningRun

__all__ = [
    "Base",
    "InspectionOutcome",
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
