"""Party-screening clearances: analysts' decisions that a party is not a given list entry.

A row names the party (its spelling-insensitive key, as `stce.parties.clearance.party_key`
computes it), the list entry id and the entry's content hash at the time of the decision. The
clearance applies only while the entry's content hash is unchanged.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, Index, Integer, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from stce.parties.clearance import Clearance, Clearances
from stce.store.base import Base


class PartyClearance(Base):
    __tablename__ = "party_clearances"
    __table_args__ = (Index("ix_party_clearances_key_entry", "party_key", "entry_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    party_key: Mapped[str] = mapped_column(String(1024))
    party_name: Mapped[str] = mapped_column(Text)
    country: Mapped[str | None] = mapped_column(String(2), nullable=True)
    entry_id: Mapped[str] = mapped_column(String(128))
    entry_hash: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    cleared_by: Mapped[str] = mapped_column(String(128))
    cleared_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def add_clearance(
    session: Session,
    *,
    party_key: str,
    party_name: str,
    country: str | None,
    entry_id: str,
    entry_hash: str,
    reason: str,
    cleared_by: str,
) -> PartyClearance:
    """Record a clearance (the caller commits)."""
    if not reason.strip():
        raise ValueError("a clearance needs a reason")
    row = PartyClearance(
        party_key=party_key,
        party_name=party_name,
        country=country,
        entry_id=entry_id,
        entry_hash=entry_hash,
        reason=reason.strip(),
        cleared_by=cleared_by,
        cleared_at=datetime.now(UTC),
    )
    session.add(row)
    return row


def load_clearances(session: Session) -> Clearances:
    """Every recorded clearance, for `stce.parties.build_check` (lapsed ones simply never match)."""
    rows = session.execute(
        select(PartyClearance.party_key, PartyClearance.entry_id, PartyClearance.entry_hash)
    ).all()
    return Clearances(Clearance(k, e, h) for k, e, h in rows)
