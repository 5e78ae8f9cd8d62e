"""Tables of the list snapshots (an audit copy of the snapshot index, queryable in SQL) and of
the hits found by retro-screening stored parties against newly listed entries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, DateTime, Engine, Float, Index, Integer, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from stce.store.base import Base


class ListSnapshotRecord(Base):
    """One imported version of one list (the snapshot index in `snapshots_dir` is the
    authority on which is current; this row records every import for audit and SQL)."""

    __tablename__ = "refdata_snapshots"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    snapshot_id: Mapped[str] = mapped_column(String(200), unique=True)
    slot: Mapped[str] = mapped_column(String(100), index=True)
    title: Mapped[str] = mapped_column(String(200))
    published: Mapped[date | None] = mapped_column(Date, nullable=True)
    checksum: Mapped[str] = mapped_column(String(64))
    content_checksum: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(16))
    status_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    entries: Mapped[int] = mapped_column(Integer)
    names: Mapped[int] = mapped_column(Integer)
    wallets: Mapped[int] = mapped_column(Integer)
    by_kind: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    files: Mapped[list[str]] = mapped_column(JSON, default=list)
    rejected: Mapped[list[str]] = mapped_column(JSON, default=list)


class RetroHit(Base):
    """A stored party or wallet of a past declaration that matches an entry added or changed
    by a new snapshot."""

    __tablename__ = "refdata_retro_hits"
    __table_args__ = (
        Index("ix_refdata_retro_hits_party_entry", "screened_party_id", "entry_id", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    found_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    snapshot_id: Mapped[str] = mapped_column(String(200), index=True)
    entry_id: Mapped[str] = mapped_column(String(200))
    code: Mapped[str] = mapped_column(String(32))
    score: Mapped[float] = mapped_column(Float)
    screened_party_id: Mapped[int] = mapped_column(Integer)
    run_id: Mapped[int] = mapped_column(Integer)
    declaration_id: Mapped[str] = mapped_column(String(128), index=True)
    lodged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    role: Mapped[str] = mapped_column(String(32))
    party_name: Mapped[str] = mapped_column(Text)
    matched_name: Mapped[str] = mapped_column(Text)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


def record_snapshots(engine: Engine, metas: Sequence[Any]) -> None:
    """Upsert the audit rows of the given snapshots (objects shaped like
    `stce.refdata.SnapshotMeta`), so their status in SQL follows the snapshot index."""
    with Session(engine) as session, session.begin():
        for meta in metas:
            row = session.scalar(
                select(ListSnapshotRecord).where(ListSnapshotRecord.snapshot_id == meta.id)
            )
            if row is None:
                row = ListSnapshotRecord(snapshot_id=meta.id)
                session.add(row)
            row.slot = meta.slot
            row.title = meta.title
            row.published = meta.published
            row.checksum = meta.checksum
            row.content_checksum = meta.content_checksum
            row.imported_at = meta.imported_at
            row.status = str(meta.status)
            row.status_reason = meta.status_reason
            row.entries = meta.entries
            row.names = meta.names
            row.wallets = meta.wallets
            row.by_kind = dict(meta.by_kind)
            row.files = list(meta.files)
            row.rejected = list(meta.rejected)
