"""Movement legs, chain membership and free-zone operator records.

The chain index must survive between screening batches: `load_chain_index` rebuilds it from
the legs of a look-back window, and `save_legs` writes back what a run added (upsert by
declaration id, so re-screening replaces a leg instead of duplicating it). Operator stock
reports, transfers and processing operations (`stce ftz import-stock`) are kept per natural key
so that re-importing a corrected report replaces the old figures.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Date, DateTime, Float, Integer, String, Text, delete, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from stce.movements.chains import ChainIndex, Link
from stce.movements.ledger import OperatorRecord, RecordKind
from stce.movements.legs import Leg
from stce.movements.rules import MovementRules
from stce.store.base import Base


class MovementLegRow(Base):
    __tablename__ = "movement_legs"

    declaration_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    chain_id: Mapped[str] = mapped_column(String(128), index=True)
    procedure: Mapped[str] = mapped_column(String(16))
    lodged_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), nullable=True, index=True
    )
    zone_id: Mapped[str | None] = mapped_column(String(128), nullable=True, index=True)
    operator_id: Mapped[str | None] = mapped_column(String(512), nullable=True)
    link_to: Mapped[str | None] = mapped_column(String(128), nullable=True)
    link_via: Mapped[str | None] = mapped_column(String(32), nullable=True)
    link_key: Mapped[str | None] = mapped_column(Text, nullable=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class FtzRecordRow(Base):
    __tablename__ = "ftz_operator_records"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    natural_key: Mapped[str] = mapped_column(String(1024), unique=True)
    zone_id: Mapped[str] = mapped_column(String(128), index=True)
    operator_id: Mapped[str] = mapped_column(String(512))
    kind: Mapped[str] = mapped_column(String(32))
    period: Mapped[str | None] = mapped_column(String(16), nullable=True)
    record_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    reference: Mapped[str | None] = mapped_column(String(256), nullable=True)
    to_operator_id: Mapped[str | None] = mapped_column(String(512), nullable=True)
    hs_code: Mapped[str] = mapped_column(String(10))
    quantity: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(8))
    source: Mapped[str] = mapped_column(Text)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def _row_to_leg(row: MovementLegRow) -> tuple[Leg, str, Link | None]:
    leg = Leg.model_validate(row.data)
    link = (
        Link(row.link_to, row.link_via or "", row.link_key or "")
        if row.link_to is not None
        else None
    )
    return leg, row.chain_id, link


def load_chain_index(
    session: Session, rules: MovementRules, since: datetime | None = None
) -> ChainIndex:
    """The chain index of the legs lodged since `since` (all when None, plus undated legs)."""
    stmt = select(MovementLegRow)
    if since is not None:
        stmt = stmt.where(
            (MovementLegRow.lodged_at >= since) | (MovementLegRow.lodged_at.is_(None))
        )
    return ChainIndex(rules, [_row_to_leg(r) for r in session.execute(stmt).scalars()])


def save_legs(session: Session, legs: Iterable[tuple[Leg, str, Link | None]]) -> int:
    """Upsert legs (by declaration id) with their chain and link; returns how many."""
    now = datetime.now(UTC)
    todo = list(legs)
    ids = [leg.declaration_id for leg, _, _ in todo]
    existing: dict[str, MovementLegRow] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        for r in session.execute(
            select(MovementLegRow).where(MovementLegRow.declaration_id.in_(chunk))
        ).scalars():
            existing[r.declaration_id] = r
    n = 0
    for leg, chain_id, link in todo:
        row = existing.get(leg.declaration_id)
        if row is None:
            row = MovementLegRow(declaration_id=leg.declaration_id)
            session.add(row)
            existing[leg.declaration_id] = row
        row.chain_id = chain_id
        row.procedure = leg.procedure.value
        row.lodged_at = leg.lodged_at
        row.zone_id, row.operator_id = leg.zone_id, leg.operator_id
        row.link_to = link.predecessor if link else None
        row.link_via = link.via if link else None
        row.link_key = link.key if link else None
        row.data = leg.model_dump(mode="json")
        row.recorded_at = now
        n += 1
    session.flush()
    return n


def chain_legs(session: Session, ident: str) -> tuple[str, list[tuple[Leg, Link | None]]] | None:
    """The chain that `ident` names (a chain id or any declaration id in it), oldest leg first."""
    row = session.get(MovementLegRow, ident)
    chain_id = row.chain_id if row is not None else ident
    rows = list(
        session.execute(select(MovementLegRow).where(MovementLegRow.chain_id == chain_id)).scalars()
    )
    if not rows:
        return None
    legs = [(leg, link) for leg, _, link in map(_row_to_leg, rows)]
    legs.sort(key=lambda t: t[0].lodged_at.timestamp() if t[0].lodged_at else 0.0)
    return chain_id, legs


def zone_legs(session: Session, zone_id: str, until: datetime | None = None) -> list[Leg]:
    stmt = select(MovementLegRow).where(MovementLegRow.zone_id == zone_id)
    if until is not None:
        stmt = stmt.where((MovementLegRow.lodged_at < until) | (MovementLegRow.lodged_at.is_(None)))
    return [Leg.model_validate(r.data) for r in session.execute(stmt).scalars()]


def legs_by_id(session: Session, ids: Iterable[str]) -> dict[str, tuple[Leg, str, Link | None]]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = session.execute(
        select(MovementLegRow).where(MovementLegRow.declaration_id.in_(wanted))
    ).scalars()
    return {r.declaration_id: _row_to_leg(r) for r in rows}


def chain_ids(session: Session, ids: Iterable[str]) -> dict[str, str]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = session.execute(
        select(MovementLegRow.declaration_id, MovementLegRow.chain_id).where(
            MovementLegRow.declaration_id.in_(wanted)
        )
    )
    return {d: c for d, c in rows}


def chain_members(session: Session, chain: Iterable[str]) -> list[tuple[Leg, str]]:
    """Legs of the chains named, with their chain id."""
    wanted = sorted(set(chain))
    if not wanted:
        return []
    rows = session.execute(
        select(MovementLegRow).where(MovementLegRow.chain_id.in_(wanted))
    ).scalars()
    return [(Leg.model_validate(r.data), r.chain_id) for r in rows]


def import_operator_records(
    session: Session, records: Iterable[OperatorRecord], source: str
) -> int:
    """Upsert operator records in the caller's transaction (all or nothing)."""
    now = datetime.now(UTC)
    n = 0
    for rec in records:
        key = rec.natural_key()
        session.execute(delete(FtzRecordRow).where(FtzRecordRow.natural_key == key))
        session.add(
            FtzRecordRow(
                natural_key=key,
                zone_id=rec.zone_id,
                operator_id=rec.operator_id,
                kind=rec.kind.value,
                period=rec.period,
                record_date=rec.date,
                reference=rec.reference,
                to_operator_id=rec.to_operator_id,
                hs_code=rec.hs_code,
                quantity=rec.quantity,
                unit=rec.unit,
                source=source,
                imported_at=now,
            )
        )
        n += 1
    session.flush()
    return n


def operator_records(session: Session, zone_id: str) -> list[OperatorRecord]:
    rows = session.execute(select(FtzRecordRow).where(FtzRecordRow.zone_id == zone_id)).scalars()
    return [
        OperatorRecord(
            kind=RecordKind(r.kind),
            zone_id=r.zone_id,
            operator_id=r.operator_id,
            period=r.period,
            date=r.record_date,
            reference=r.reference,
            to_operator_id=r.to_operator_id,
            hs_code=r.hs_code,
            quantity=r.quantity,
            unit=r.unit,
        )
        for r in rows
    ]


def ledger_inputs(
    session: Session, zone_id: str, until: date
) -> tuple[list[Leg], list[OperatorRecord], dict[str, list[Leg]]]:
    """Everything `stce.movements.ledger.reconcile` needs for a zone up to `until`: the zone's
    legs, its operator records, and for each leg the earlier legs of its chain."""
    legs = zone_legs(session, zone_id, datetime.combine(until, datetime.min.time(), tzinfo=UTC))
    records = operator_records(session, zone_id)
    ids = chain_ids(session, [lg.declaration_id for lg in legs])
    members = chain_members(session, ids.values())
    by_chain: dict[str, list[Leg]] = {}
    for m, cid in members:
        by_chain.setdefault(cid, []).append(m)
    earlier: dict[str, list[Leg]] = {}
    for lg in legs:
        chain = by_chain.get(ids.get(lg.declaration_id, ""), [])
        t = lg.lodged_at
        earlier[lg.declaration_id] = [
            m
            for m in chain
            if m.declaration_id != lg.declaration_id
            and (t is None or m.lodged_at is None or m.lodged_at <= t)
        ]
    return legs, records, earlier
