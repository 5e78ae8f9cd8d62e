"""Tables of the screening record: runs, their per-declaration results, and the parties and
wallets of screened declarations (kept so that a new list entry can be screened retroactively).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from stce.store.base import Base


class ScreeningRun(Base):
    """One `stce screen` of one input file with one set of reference data and rules."""

    __tablename__ = "screening_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    batch_id: Mapped[str] = mapped_column(String(64), unique=True)
    input_name: Mapped[str] = mapped_column(String(1024))
    input_sha256: Mapped[str] = mapped_column(String(64), index=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    versions: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class ScreeningRecord(Base):
    """The lane, score and hits given to one declaration in one run."""

    __tablename__ = "screening_results"
    __table_args__ = (
        Index("ix_screening_results_run_decl", "run_id", "declaration_id", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("screening_runs.id", ondelete="CASCADE"))
    declaration_id: Mapped[str] = mapped_column(String(128), index=True)
    lodged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    lane: Mapped[str] = mapped_column(String(8))
    score: Mapped[float] = mapped_column(Float)
    hits: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)


class ScreenedParty(Base):
    """A party or wallet of a screened declaration, for retro-screening against new entries."""

    __tablename__ = "screened_parties"
    __table_args__ = (Index("ix_screened_parties_lodged", "lodged_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("screening_runs.id", ondelete="CASCADE"))
    declaration_id: Mapped[str] = mapped_column(String(128), index=True)
    lodged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    role: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(Text)
    country: Mapped[str | None] = mapped_column(String(2), nullable=True)
    wallet_chain: Mapped[str | None] = mapped_column(String(16), nullable=True)
    wallet_address: Mapped[str | None] = mapped_column(String(128), nullable=True)
