"""Inspection outcomes, and the history and statistics the risk engine draws from the store.

`load_history` builds the engine's `InMemoryHistory` from stored screened parties and
outcomes (the engine itself never reads the store); `rule_stats` joins stored screening
results with outcomes for `stce rules stats`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from sqlalchemy import DateTime, Index, Integer, String, Text, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from stce.risk.history import InMemoryHistory, party_key
from stce.risk.outcomes import Outcome, Result
from stce.risk.stats import StatsReport, compute_stats
from stce.store.base import Base
from stce.store.tables import ScreenedParty, ScreeningRecord, ScreeningRun


class InspectionOutcome(Base):
    """What an inspection of one declaration found (imported by `stce outcomes import`)."""

    __tablename__ = "risk_outcomes"
    __table_args__ = (
        Index("ix_risk_outcomes_decl_when", "declaration_id", "inspected_at", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    declaration_id: Mapped[str] = mapped_column(String(128), index=True)
    inspected_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    result: Mapped[str] = mapped_column(String(16))
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)
    source: Mapped[str] = mapped_column(String(1024))
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def _naive(dt: datetime) -> datetime:
    return dt.astimezone(UTC).replace(tzinfo=None) if dt.tzinfo else dt


def import_outcomes(session: Session, outcomes: Iterable[Outcome], source: str) -> tuple[int, int]:
    """Insert outcomes; a second import of the same (declaration, time) updates it.

    Returns (inserted, updated)."""
    inserted = updated = 0
    now = datetime.now(UTC)
    for o in outcomes:
        when = _naive(o.inspected_at)
        row = session.scalars(
            select(InspectionOutcome).where(
                InspectionOutcome.declaration_id == o.declaration_id,
                InspectionOutcome.inspected_at == when,
            )
        ).first()
        if row is None:
            session.add(
                InspectionOutcome(
                    declaration_id=o.declaration_id,
                    inspected_at=when,
                    result=o.result.value,
                    notes=o.notes,
                    source=source,
                    imported_at=now,
                )
            )
            inserted += 1
        else:
            row.result = o.result.value
            row.notes = o.notes
            row.source = source
            row.imported_at = now
            updated += 1
    session.flush()
    return inserted, updated


def latest_outcomes(
    session: Session, start: datetime | None = None, end: datetime | None = None
) -> dict[str, Result]:
    """The most serious result per declaration among inspections in [start, end)."""
    q = select(InspectionOutcome.declaration_id, InspectionOutcome.result)
    if start is not None:
        q = q.where(InspectionOutcome.inspected_at >= _naive(start))
    if end is not None:
        q = q.where(InspectionOutcome.inspected_at < _naive(end))
    out: dict[str, Result] = {}
    for decl_id, result in session.execute(q):
        r = Result(result)
        prev = out.get(decl_id)
        if prev is None or r.rank > prev.rank:
            out[decl_id] = r
    return out


def rule_stats(
    session: Session, start: datetime | None = None, end: datetime | None = None
) -> StatsReport:
    """Per-rule and per-lane statistics for declarations lodged (or, without a lodgement
    date, screened) in [start, end). The latest screening of each declaration counts;
    outcomes of any date are joined."""
    when = func.coalesce(ScreeningRecord.lodged_at, ScreeningRun.started_at)
    q = (
        select(ScreeningRecord.declaration_id, ScreeningRecord.lane, ScreeningRecord.hits)
        .join(ScreeningRun, ScreeningRun.id == ScreeningRecord.run_id)
        .order_by(ScreeningRecord.run_id)
    )
    if start is not None:
        q = q.where(when >= _naive(start))
    if end is not None:
        q = q.where(when < _naive(end))
    latest: dict[str, tuple[str, list[dict[str, object]]]] = {}
    for decl_id, lane, hits in session.execute(q):
        latest[decl_id] = (lane, list(hits or []))
    outcomes = latest_outcomes(session)
    return compute_stats(((d, lane, h) for d, (lane, h) in latest.items()), outcomes)


def load_history(
    session: Session, since: datetime | None = None, *, min_unit_values: int = 20
) -> InMemoryHistory:
    """The engine's history from stored screened parties and outcomes (since `since`).

    Unit values are not stored with screened parties, so they are learnt from the batch as it
    streams; trader counts, party pairs and earlier offences come from the store."""
    history = InMemoryHistory(min_unit_values=min_unit_values)
    q = select(
        ScreenedParty.declaration_id,
        ScreenedParty.role,
        ScreenedParty.name,
        ScreenedParty.lodged_at,
    ).where(ScreenedParty.wallet_address.is_(None))
    if since is not None:
        q = q.where(ScreenedParty.lodged_at >= _naive(since))
    per_decl: dict[str, dict[str, object]] = {}
    names_of: dict[str, set[str]] = {}
    for decl_id, role, name, lodged in session.execute(q):
        key = party_key(name)
        names = names_of.setdefault(decl_id, set())
        if key not in names:
            names.add(key)
            history.add_party(key)
        d = per_decl.setdefault(decl_id, {"at": lodged})
        if role in ("consignor", "consignee") and role not in d:
            d[role] = key
    history.seen = len(per_decl)
    for d in per_decl.values():
        a, b, at = d.get("consignor"), d.get("consignee"), d.get("at")
        if isinstance(a, str) and isinstance(b, str):
            history.add_pair(a, b, _naive(at) if isinstance(at, datetime) else None, 0.0)
    for decl_id, result in latest_outcomes(session).items():
        if result.is_finding:
            for key in names_of.get(decl_id, ()):
                history.add_offence(key)
    return history


def history_from_store(
    url: str | None = None, days: int = 90, now: datetime | None = None
) -> InMemoryHistory:
    """The engine's history from the last `days` days of the store (empty on a new database).

    For the pipeline registry: `build_engine(context, history=history_from_store(url))`.
    It aggregates screened parties in memory, which suits a national store of a few months;
    beyond that a materialised profile table is the way (not built yet)."""
    from stce.store.engine import session_factory

    since = (now or datetime.now(UTC)) - timedelta(days=days)
    with session_factory(url)() as session:
        return load_history(session, since)
