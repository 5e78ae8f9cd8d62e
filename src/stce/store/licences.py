"""Licence registry tables and the decrement.

The decrement is the one place where two screening workers can race for the same licence
balance. `apply_declaration` locks the licence rows concerned (`SELECT ... FOR UPDATE`, in id
order, so two workers never deadlock) before it reads balances, and balances move by relative
`UPDATE ... SET left = left - x`, so no update is lost on PostgreSQL. A unique key on
(declaration, line, licence) makes a write-off happen once however often a declaration is
re-screened; an amendment or cancellation restores what the old version wrote off. Every change is
an event in `licence_events`, which `stce licences show` prints as the licence's history.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from stce.licences.determiner import StrategicDeterminer
from stce.licences.model import ItemBalance, Licence, LicenceState, WriteOff
from stce.licences.registry import LicenceRegistry
from stce.licences.rules import LicensingRules, normalise_number
from stce.licences.verify import licence_documents, plan_writeoffs
from stce.model import Declaration
from stce.store.base import Base


def _now() -> datetime:
    return datetime.now(UTC)


class LicenceRow(Base):
    __tablename__ = "licences"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    number_key: Mapped[str] = mapped_column(String(128), unique=True)
    number: Mapped[str] = mapped_column(String(128))
    type: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    holder: Mapped[str] = mapped_column(Text)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date] = mapped_column(Date, index=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class LicenceItemRow(Base):
    __tablename__ = "licence_items"
    __table_args__ = (UniqueConstraint("licence_id", "item_no", name="uq_licence_items_item"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    licence_id: Mapped[int] = mapped_column(ForeignKey("licences.id", ondelete="CASCADE"))
    item_no: Mapped[int] = mapped_column(Integer)
    unit: Mapped[str | None] = mapped_column(String(8), nullable=True)
    currency: Mapped[str | None] = mapped_column(String(3), nullable=True)
    quantity_licensed: Mapped[float | None] = mapped_column(Float, nullable=True)
    value_licensed: Mapped[float | None] = mapped_column(Float, nullable=True)
    quantity_left: Mapped[float | None] = mapped_column(Float, nullable=True)
    value_left: Mapped[float | None] = mapped_column(Float, nullable=True)


class LicenceWriteOffRow(Base):
    __tablename__ = "licence_writeoffs"
    __table_args__ = (
        UniqueConstraint(
            "declaration_id", "line", "licence_id", name="uq_licence_writeoffs_decl_line"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    licence_id: Mapped[int] = mapped_column(
        ForeignKey("licences.id", ondelete="CASCADE"), index=True
    )
    item_no: Mapped[int] = mapped_column(Integer)
    declaration_id: Mapped[str] = mapped_column(String(128), index=True)
    line: Mapped[int] = mapped_column(Integer)
    quantity: Mapped[float | None] = mapped_column(Float, nullable=True)
    value: Mapped[float | None] = mapped_column(Float, nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class LicenceEventRow(Base):
    __tablename__ = "licence_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    licence_id: Mapped[int] = mapped_column(
        ForeignKey("licences.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    kind: Mapped[str] = mapped_column(String(16))
    """imported, updated, writeoff, amendment, reversal."""
    declaration_id: Mapped[str | None] = mapped_column(String(128), nullable=True)
    line: Mapped[int | None] = mapped_column(Integer, nullable=True)
    item_no: Mapped[int | None] = mapped_column(Integer, nullable=True)
    quantity_delta: Mapped[float | None] = mapped_column(Float, nullable=True)
    value_delta: Mapped[float | None] = mapped_column(Float, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")


# -- import ------------------------------------------------------------------------------------
@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0


def import_licences(session: Session, licences: Iterable[Licence]) -> ImportSummary:
    """Insert or update licences in the caller's transaction (all or nothing).

    On update the licensed amounts change and the balance is recomputed from the active write-offs.
    """
    summary = ImportSummary()
    now = _now()
    for lic in licences:
        key = normalise_number(lic.number)
        row = session.execute(
            select(LicenceRow).where(LicenceRow.number_key == key).with_for_update()
        ).scalar_one_or_none()
        data = lic.model_dump(mode="json")
        if row is None:
            row = LicenceRow(
                number_key=key,
                number=lic.number,
                type=lic.type.value,
                status=lic.status.value,
                holder=lic.holder,
                valid_from=lic.valid_from,
                valid_to=lic.valid_to,
                data=data,
                imported_at=now,
                updated_at=now,
            )
            session.add(row)
            session.flush()
            summary.created += 1
            kind, note = "imported", f"{lic.status.value}, {len(lic.items)} item(s)"
        else:
            changes = _diff(row.data, data)
            row.number, row.type, row.status = lic.number, lic.type.value, lic.status.value
            row.holder, row.valid_from, row.valid_to = lic.holder, lic.valid_from, lic.valid_to
            row.data, row.updated_at = data, now
            summary.updated += 1
            kind, note = "updated", changes or "no change"
        _sync_items(session, row.id, lic)
        session.add(LicenceEventRow(licence_id=row.id, at=now, kind=kind, note=note))
    session.flush()
    return summary


def _diff(old: dict[str, Any], new: dict[str, Any]) -> str:
    keys = [k for k in new if old.get(k) != new.get(k)]
    return "changed: " + ", ".join(keys) if keys else ""


def _sync_items(session: Session, licence_id: int, lic: Licence) -> None:
    rows = {
        r.item_no: r
        for r in session.execute(
            select(LicenceItemRow).where(LicenceItemRow.licence_id == licence_id)
        ).scalars()
    }
    used: dict[int, tuple[float, float]] = {}
    for w in session.execute(
        select(LicenceWriteOffRow).where(
            LicenceWriteOffRow.licence_id == licence_id, LicenceWriteOffRow.active.is_(True)
        )
    ).scalars():
        q, v = used.get(w.item_no, (0.0, 0.0))
        used[w.item_no] = (q + (w.quantity or 0.0), v + (w.value or 0.0))
    for it in lic.items:
        q, v = used.get(it.item_no, (0.0, 0.0))
        row = rows.pop(it.item_no, None)
        if row is None:
            row = LicenceItemRow(licence_id=licence_id, item_no=it.item_no)
            session.add(row)
        row.unit, row.currency = it.unit, it.currency
        row.quantity_licensed, row.value_licensed = it.quantity, it.value
        row.quantity_left = None if it.quantity is None else it.quantity - q
        row.value_left = None if it.value is None else it.value - v
    for gone in rows.values():
        session.delete(gone)


# -- snapshot for the check --------------------------------------------------------------------
def load_registry(session: Session, numbers: Iterable[str] | None = None) -> LicenceRegistry:
    """Licences (all, or those numbered) with balances and active write-offs."""
    stmt = select(LicenceRow)
    if numbers is not None:
        keys = sorted({normalise_number(n) for n in numbers})
        if not keys:
            return LicenceRegistry([], version="empty")
        stmt = stmt.where(LicenceRow.number_key.in_(keys))
    return _registry(session, list(session.execute(stmt).scalars()))


def load_registry_for(
    session: Session, declarations: Iterable[Declaration], rules: LicensingRules
) -> LicenceRegistry:
    """The snapshot a batch needs: only the licences its declarations cite."""
    numbers = {d.id for decl in declarations for d in licence_documents(decl, rules)}
    return load_registry(session, numbers)


def _registry(session: Session, rows: list[LicenceRow], writeoffs: bool = True) -> LicenceRegistry:
    ids = [r.id for r in rows]
    items: dict[int, list[LicenceItemRow]] = {}
    offs: dict[int, list[LicenceWriteOffRow]] = {}
    if ids:
        for it in session.execute(
            select(LicenceItemRow).where(LicenceItemRow.licence_id.in_(ids))
        ).scalars():
            items.setdefault(it.licence_id, []).append(it)
        if writeoffs:
            for w in session.execute(
                select(LicenceWriteOffRow).where(
                    LicenceWriteOffRow.licence_id.in_(ids), LicenceWriteOffRow.active.is_(True)
                )
            ).scalars():
                offs.setdefault(w.licence_id, []).append(w)
    states: list[LicenceState] = []
    latest = max((r.updated_at for r in rows), default=None)
    for r in rows:
        lic = Licence.model_validate(r.data)
        states.append(
            LicenceState(
                licence=lic,
                balances={
                    i.item_no: ItemBalance(
                        item_no=i.item_no, quantity=i.quantity_left, value=i.value_left
                    )
                    for i in items.get(r.id, [])
                },
                writeoffs=[
                    WriteOff(
                        licence_number=lic.number,
                        item_no=w.item_no,
                        declaration_id=w.declaration_id,
                        line=w.line,
                        quantity=w.quantity,
                        value=w.value,
                    )
                    for w in offs.get(r.id, [])
                ],
            )
        )
    version = f"licences:{len(rows)}@{latest.isoformat() if latest else '-'}"
    return LicenceRegistry(states, version=version)


# -- decrement -----------------------------------------------------------------------------------
@dataclass
class DecrementResult:
    applied: list[WriteOff] = field(default_factory=list)
    amended: list[WriteOff] = field(default_factory=list)
    reversed: list[WriteOff] = field(default_factory=list)
    unchanged: list[WriteOff] = field(default_factory=list)


def _lock_licences(
    session: Session, keys: Iterable[str], declaration_ids: Iterable[str]
) -> list[LicenceRow]:
    """Lock the licences cited, and those the declarations wrote off before, in id order (so
    concurrent workers never deadlock)."""
    held = select(LicenceWriteOffRow.licence_id).where(
        LicenceWriteOffRow.declaration_id.in_(sorted(set(declaration_ids)))
    )
    stmt = (
        select(LicenceRow)
        .where(or_(LicenceRow.number_key.in_(sorted(set(keys))), LicenceRow.id.in_(held)))
        .order_by(LicenceRow.id)
        .with_for_update()
    )
    return list(session.execute(stmt).scalars())


def _move(session: Session, licence_id: int, item_no: int, dq: float, dv: float) -> None:
    """Move the balance of one item by (dq, dv): negative writes off, positive restores."""
    session.execute(
        update(LicenceItemRow)
        .where(LicenceItemRow.licence_id == licence_id, LicenceItemRow.item_no == item_no)
        .values(
            quantity_left=LicenceItemRow.quantity_left + dq,
            value_left=LicenceItemRow.value_left + dv,
        )
    )


def _event(
    session: Session, kind: str, licence_id: int, w: WriteOff, sign: float, note: str = ""
) -> None:
    session.add(
        LicenceEventRow(
            licence_id=licence_id,
            at=_now(),
            kind=kind,
            declaration_id=w.declaration_id,
            line=w.line,
            item_no=w.item_no,
            quantity_delta=None if w.quantity is None else sign * w.quantity,
            value_delta=None if w.value is None else sign * w.value,
            note=note,
        )
    )


def apply_declaration(
    session: Session,
    declaration: Declaration,
    rules: LicensingRules,
    determiner: StrategicDeterminer | None = None,
) -> DecrementResult:
    """Write off what a cleared (or amended) declaration uses, exactly once per line.

    Call it after the lane is decided and the goods are released, in a transaction of its own
    (`with session.begin(): ...`). Re-running it for the same version of a declaration changes
    nothing; running it for an amended version restores the old write-offs and applies the new.
    """
    keys = [normalise_number(d.id) for d in licence_documents(declaration, rules)]
    rows = _lock_licences(session, keys, [declaration.declaration_id])
    return _apply_locked(session, declaration, rules, determiner, rows)


def apply_declarations(
    session: Session,
    declarations: Sequence[Declaration],
    rules: LicensingRules,
    determiner: StrategicDeterminer | None = None,
) -> DecrementResult:
    """`apply_declaration` for a batch in one transaction: one lock query, one commit.

    The batch's licences are locked together in id order before any is changed, so concurrent
    batches serialise per licence without deadlocks.
    """
    keys = [normalise_number(d.id) for decl in declarations for d in licence_documents(decl, rules)]
    rows = _lock_licences(session, keys, [d.declaration_id for d in declarations])
    total = DecrementResult()
    for decl in declarations:
        res = _apply_locked(session, decl, rules, determiner, rows)
        total.applied += res.applied
        total.amended += res.amended
        total.reversed += res.reversed
        total.unchanged += res.unchanged
    return total


def _apply_locked(
    session: Session,
    declaration: Declaration,
    rules: LicensingRules,
    determiner: StrategicDeterminer | None,
    rows: list[LicenceRow],
) -> DecrementResult:
    keys = {normalise_number(d.id) for d in licence_documents(declaration, rules)}
    by_id = {r.id: r for r in rows}
    by_number = {r.number: r for r in rows}
    # The plan needs licences and items only: a licence's many earlier write-offs stay unread.
    registry = _registry(session, [r for r in rows if r.number_key in keys], writeoffs=False)
    plan = plan_writeoffs(declaration, registry, rules, determiner)
    existing = {
        (w.line, w.licence_id): w
        for w in session.execute(
            select(LicenceWriteOffRow).where(
                LicenceWriteOffRow.declaration_id == declaration.declaration_id
            )
        ).scalars()
    }
    result = DecrementResult()
    now = _now()
    for w in plan:
        lic = by_number[w.licence_number]
        row = existing.pop((w.line, lic.id), None)
        if row is None:
            session.add(
                LicenceWriteOffRow(
                    licence_id=lic.id,
                    item_no=w.item_no,
                    declaration_id=w.declaration_id,
                    line=w.line,
                    quantity=w.quantity,
                    value=w.value,
                    active=True,
                    updated_at=now,
                )
            )
            session.flush()  # the unique key claims the line now
            _move(session, lic.id, w.item_no, -(w.quantity or 0.0), -(w.value or 0.0))
            _event(session, "writeoff", lic.id, w, -1.0)
            result.applied.append(w)
            continue
        same = (
            row.active
            and row.item_no == w.item_no
            and row.quantity == w.quantity
            and row.value == w.value
        )
        if same:
            result.unchanged.append(w)
            continue
        if row.active:
            old = _as_writeoff(row, lic.number)
            _move(session, lic.id, row.item_no, row.quantity or 0.0, row.value or 0.0)
            _event(session, "reversal", lic.id, old, 1.0, "amended declaration")
        row.item_no, row.quantity, row.value, row.active, row.updated_at = (
            w.item_no,
            w.quantity,
            w.value,
            True,
            now,
        )
        _move(session, lic.id, w.item_no, -(w.quantity or 0.0), -(w.value or 0.0))
        _event(session, "amendment", lic.id, w, -1.0)
        result.amended.append(w)
    for row in existing.values():
        if row.active:
            lic = by_id[row.licence_id]
            result.reversed.append(_reverse(session, row, lic.number, "line no longer declared"))
    session.flush()
    return result


def _as_writeoff(row: LicenceWriteOffRow, number: str) -> WriteOff:
    return WriteOff(
        licence_number=number,
        item_no=row.item_no,
        declaration_id=row.declaration_id,
        line=row.line,
        quantity=row.quantity,
        value=row.value,
    )


def _reverse(session: Session, row: LicenceWriteOffRow, number: str, note: str) -> WriteOff:
    w = _as_writeoff(row, number)
    _move(session, row.licence_id, row.item_no, row.quantity or 0.0, row.value or 0.0)
    row.active = False
    row.updated_at = _now()
    _event(session, "reversal", row.licence_id, w, 1.0, note)
    return w


def reverse_declaration(
    session: Session, declaration_id: str, note: str = "declaration cancelled"
) -> list[WriteOff]:
    """Restore every balance a cancelled declaration wrote off."""
    rows = _lock_licences(session, [], [declaration_id])
    numbers = {r.id: r.number for r in rows}
    out: list[WriteOff] = []
    for row in session.execute(
        select(LicenceWriteOffRow)
        .where(
            LicenceWriteOffRow.declaration_id == declaration_id,
            LicenceWriteOffRow.active.is_(True),
        )
        .order_by(LicenceWriteOffRow.id)
    ).scalars():
        out.append(_reverse(session, row, numbers[row.licence_id], note))
    session.flush()
    return out


# -- history -------------------------------------------------------------------------------------
@dataclass
class LicenceHistory:
    licence: Licence
    balances: list[LicenceItemRow]
    events: list[LicenceEventRow]


def licence_history(session: Session, number: str) -> LicenceHistory | None:
    row = session.execute(
        select(LicenceRow).where(LicenceRow.number_key == normalise_number(number))
    ).scalar_one_or_none()
    if row is None:
        return None
    items = list(
        session.execute(
            select(LicenceItemRow)
            .where(LicenceItemRow.licence_id == row.id)
            .order_by(LicenceItemRow.item_no)
        ).scalars()
    )
    events = list(
        session.execute(
            select(LicenceEventRow)
            .where(LicenceEventRow.licence_id == row.id)
            .order_by(LicenceEventRow.id)
        ).scalars()
    )
    return LicenceHistory(Licence.model_validate(row.data), items, events)
