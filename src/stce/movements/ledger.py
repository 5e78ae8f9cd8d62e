"""The free-zone ledger: what each operator should hold, and what it says it holds.

Flows come from declarations (ftz_entry = admission; ftz_exit to the home market = withdrawal;
ftz_exit abroad or reexport = re-export) and from operator records (`stce ftz import-stock`):
transfers between operators, processing operations (inputs consumed, outputs produced) and the
stock an operator reports at the end of a period. Reconciliation per operator, HS subheading and
period compares expected closing stock (opening + flows) with the reported stock, and lists
unexplained losses and gains, controlled goods that left without a licence and re-exports to a
destination other than the one declared on entry (OECD 2019 / WCO 2020 free-zone guidance: Customs
must see each operator's stock and movements).

Operator record file (CSV with a header, or JSON Lines with the same keys), one record a row:

    kind,zone_id,operator_id,period,date,reference,to_operator_id,hs_code,quantity,unit
    stock,AEJAFZ,OP-17,2026-Q3,,,,848510,12,NAR
    transfer,AEJAFZ,OP-17,,2026-08-02,T-88,OP-20,848510,2,NAR
    processing_input,AEJAFZ,OP-17,,2026-08-09,P-5,,760110,500,KGM
    processing_output,AEJAFZ,OP-17,,2026-08-09,P-5,,760410,480,KGM

`stock` needs `period` (YYYY, YYYY-Qn or YYYY-MM); the others need `date`; `transfer` needs
`to_operator_id`; processing records need `reference`.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from stce.licences.io import RecordError, read_json_objects
from stce.licences.units import base_unit, convert, normalise_unit
from stce.model import Procedure
from stce.movements.legs import Leg
from stce.movements.rules import MovementRules


# -- periods -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Period:
    label: str
    start: date
    end: date
    """Exclusive."""

    def contains(self, when: date) -> bool:
        return self.start <= when < self.end

    def previous(self) -> Period:
        if "-Q" in self.label:
            y, q = int(self.label[:4]), int(self.label[-1])
            return parse_period(f"{y - 1}-Q4" if q == 1 else f"{y}-Q{q - 1}")
        if len(self.label) == 7:
            y, m = int(self.label[:4]), int(self.label[5:])
            return parse_period(f"{y - 1}-12" if m == 1 else f"{y}-{m - 1:02d}")
        return parse_period(str(int(self.label) - 1))


def parse_period(text: str) -> Period:
    """ "2026-Q3", "2026-07" or "2026"."""
    t = text.strip().upper()
    try:
        if len(t) == 7 and t[4:6] == "-Q" and t[6] in "1234":
            y, q = int(t[:4]), int(t[6])
            start = date(y, 3 * (q - 1) + 1, 1)
            end = date(y + 1, 1, 1) if q == 4 else date(y, 3 * q + 1, 1)
            return Period(t, start, end)
        if len(t) == 7 and t[4] == "-":
            y, m = int(t[:4]), int(t[5:])
            return Period(t, date(y, m, 1), date(y + 1, 1, 1) if m == 12 else date(y, m + 1, 1))
        if len(t) == 4:
            y = int(t)
            return Period(t, date(y, 1, 1), date(y + 1, 1, 1))
    except ValueError:
        pass
    raise ValueError(f"period {text!r} is not YYYY, YYYY-Qn or YYYY-MM")


# -- operator records ------------------------------------------------------------------------------
class RecordKind(StrEnum):
    STOCK = "stock"
    TRANSFER = "transfer"
    PROCESSING_INPUT = "processing_input"
    PROCESSING_OUTPUT = "processing_output"


_Date = date
"""Alias: `OperatorRecord.date` would shadow the type inside the class body."""


class OperatorRecord(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    kind: RecordKind
    zone_id: str = Field(min_length=1, max_length=128)
    operator_id: str = Field(min_length=1, max_length=512)
    period: str | None = None
    date: _Date | None = None
    reference: str | None = Field(default=None, max_length=256)
    to_operator_id: str | None = Field(default=None, max_length=512)
    hs_code: Annotated[str, StringConstraints(pattern=r"^[0-9]{6,10}$")]
    quantity: float = Field(ge=0)
    unit: str

    @field_validator("unit")
    @classmethod
    def _unit(cls, v: str) -> str:
        return normalise_unit(v)

    @field_validator("period")
    @classmethod
    def _period(cls, v: str | None) -> str | None:
        return None if v is None else parse_period(v).label

    @model_validator(mode="after")
    def _required(self) -> OperatorRecord:
        need = {
            RecordKind.STOCK: ("period",),
            RecordKind.TRANSFER: ("date", "to_operator_id"),
            RecordKind.PROCESSING_INPUT: ("date", "reference"),
            RecordKind.PROCESSING_OUTPUT: ("date", "reference"),
        }[self.kind]
        for f in need:
            if getattr(self, f) in (None, ""):
                raise ValueError(f"{f} is required for {self.kind.value} records")
        return self

    def natural_key(self) -> str:
        when = (
            self.period
            if self.kind is RecordKind.STOCK
            else (self.date.isoformat() if self.date else "")
        )
        return "|".join(
            [
                self.zone_id,
                self.operator_id,
                self.kind.value,
                when or "",
                self.reference or "",
                self.to_operator_id or "",
                self.hs_code,
                base_unit(self.unit),
            ]
        )


class OperatorFileError(ValueError):
    def __init__(self, path: Path, errors: list[RecordError]) -> None:
        self.path = path
        self.errors = errors
        shown = "\n".join(f"  {e}" for e in errors[:50])
        super().__init__(f"{path}: {len(errors)} error(s), nothing imported:\n{shown}")


def read_operator_records(path: Path, fmt: str | None = None) -> list[OperatorRecord]:
    """Every record of an operator file, or OperatorFileError naming each bad record and field."""
    kind = (fmt or path.suffix.lstrip(".")).lower()
    errors: list[RecordError] = []
    raws: list[tuple[str, dict[str, Any]]] = []
    if kind == "csv":
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for n, row in enumerate(csv.DictReader(fh), start=2):
                raws.append(
                    (f"line {n}", {k: v for k, v in row.items() if k and v not in (None, "")})
                )
    elif kind in ("jsonl", "ndjson"):
        raws.extend((f"line {n}", obj) for n, obj in read_json_objects(path, errors))
    else:
        raise OperatorFileError(
            path, [RecordError("file", "format", f"unknown format {kind!r} (csv or jsonl)")]
        )
    out: list[OperatorRecord] = []
    for where, raw in raws:
        try:
            out.append(OperatorRecord.model_validate(raw))
        except ValidationError as exc:
            for e in exc.errors():
                loc = ".".join(str(p) for p in e["loc"]) or "(record)"
                errors.append(RecordError(where, loc, e["msg"].removeprefix("Value error, ")))
    if errors:
        raise OperatorFileError(path, errors)
    return out


# -- ledger --------------------------------------------------------------------------------------
class FlowKind(StrEnum):
    ADMISSION = "admission"
    TRANSFER_IN = "transfer_in"
    PROCESSING_OUTPUT = "processing_output"
    WITHDRAWAL = "withdrawal"
    REEXPORT = "reexport"
    TRANSFER_OUT = "transfer_out"
    PROCESSING_INPUT = "processing_input"


_SIGN = {
    FlowKind.ADMISSION: 1,
    FlowKind.TRANSFER_IN: 1,
    FlowKind.PROCESSING_OUTPUT: 1,
    FlowKind.WITHDRAWAL: -1,
    FlowKind.REEXPORT: -1,
    FlowKind.TRANSFER_OUT: -1,
    FlowKind.PROCESSING_INPUT: -1,
}


@dataclass(frozen=True)
class Flow:
    operator_id: str
    hs6: str
    unit: str
    on: date
    kind: FlowKind
    quantity: float
    source: str
    """Declaration id or operator record reference."""
    strategic: bool = False


def _day(leg: Leg) -> date | None:
    return leg.lodged_at.date() if leg.lodged_at else None


def exit_kind(leg: Leg, home: str | None) -> FlowKind | None:
    if leg.procedure is Procedure.FTZ_ENTRY:
        return FlowKind.ADMISSION
    if leg.procedure is Procedure.FTZ_EXIT:
        abroad = leg.destination is not None and leg.destination != home
        return FlowKind.REEXPORT if abroad else FlowKind.WITHDRAWAL
    if leg.procedure in (Procedure.REEXPORT, Procedure.EXPORT, Procedure.TRANSSHIPMENT):
        return FlowKind.REEXPORT
    return None


def flows_from_legs(legs: Iterable[Leg], home: str | None) -> list[Flow]:
    out: list[Flow] = []
    for leg in legs:
        kind = exit_kind(leg, home)
        on = _day(leg)
        if kind is None or on is None or not leg.operator_id:
            continue
        for g in leg.goods:
            if g.quantity is None or g.unit is None:
                continue
            out.append(
                Flow(
                    leg.operator_id,
                    g.hs6,
                    g.unit,
                    on,
                    kind,
                    g.quantity,
                    leg.declaration_id,
                    g.strategic,
                )
            )
    return out


def flows_from_records(records: Iterable[OperatorRecord]) -> list[Flow]:
    out: list[Flow] = []
    for r in records:
        if r.kind is RecordKind.STOCK or r.date is None:
            continue
        unit = base_unit(r.unit)
        qty = convert(r.quantity, r.unit, unit) or 0.0
        ref = r.reference or r.kind.value
        if r.kind is RecordKind.TRANSFER and r.to_operator_id:
            out.append(
                Flow(r.operator_id, r.hs_code[:6], unit, r.date, FlowKind.TRANSFER_OUT, qty, ref)
            )
            out.append(
                Flow(r.to_operator_id, r.hs_code[:6], unit, r.date, FlowKind.TRANSFER_IN, qty, ref)
            )
        elif r.kind is RecordKind.PROCESSING_INPUT:
            out.append(
                Flow(
                    r.operator_id, r.hs_code[:6], unit, r.date, FlowKind.PROCESSING_INPUT, qty, ref
                )
            )
        elif r.kind is RecordKind.PROCESSING_OUTPUT:
            out.append(
                Flow(
                    r.operator_id, r.hs_code[:6], unit, r.date, FlowKind.PROCESSING_OUTPUT, qty, ref
                )
            )
    return out


def reported_stock(
    records: Iterable[OperatorRecord], period: str
) -> dict[tuple[str, str, str], float]:
    out: dict[tuple[str, str, str], float] = defaultdict(float)
    for r in records:
        if r.kind is RecordKind.STOCK and r.period == period:
            unit = base_unit(r.unit)
            out[(r.operator_id, r.hs_code[:6], unit)] += convert(r.quantity, r.unit, unit) or 0.0
    return dict(out)


# -- reconciliation ------------------------------------------------------------------------------
class GapKind(StrEnum):
    STOCK_LOSS = "FTZ_STOCK_LOSS"
    STOCK_GAIN = "FTZ_STOCK_GAIN"
    STOCK_NOT_REPORTED = "FTZ_STOCK_NOT_REPORTED"
    CONTROLLED_EXIT_NO_LICENCE = "FTZ_CONTROLLED_EXIT_NO_LICENCE"
    REEXPORT_DESTINATION_CHANGED = "FTZ_REEXPORT_DESTINATION_CHANGED"


FTZ_GAP_CODES = tuple(k.value for k in GapKind)


@dataclass
class StockLine:
    operator_id: str
    hs6: str
    unit: str
    opening: float = 0.0
    opening_source: str = "ledger"
    flows: dict[str, float] = field(default_factory=lambda: {k.value: 0.0 for k in FlowKind})
    reported: float | None = None
    strategic: bool = False

    @property
    def expected(self) -> float:
        return self.opening + sum(_SIGN[FlowKind(k)] * v for k, v in self.flows.items())

    @property
    def gap(self) -> float | None:
        return None if self.reported is None else self.reported - self.expected


@dataclass(frozen=True)
class Finding:
    kind: GapKind
    operator_id: str
    message: str
    hs6: str | None = None
    declaration_id: str | None = None
    quantity: float | None = None
    unit: str | None = None
    evidence: dict[str, Any] = field(default_factory=dict)


@dataclass
class Reconciliation:
    zone_id: str
    period: Period
    operator_id: str | None
    lines: list[StockLine]
    findings: list[Finding]

    def strategic_held(self) -> list[StockLine]:
        return [ln for ln in self.lines if ln.strategic and (ln.reported or ln.expected) > 0]


def _as_dt(d: date) -> datetime:
    return datetime.combine(d, time(), tzinfo=UTC)


def reconcile(
    zone_id: str,
    period: Period,
    legs: Iterable[Leg],
    records: Iterable[OperatorRecord],
    rules: MovementRules,
    earlier_legs: Mapping[str, list[Leg]] | None = None,
    operator_id: str | None = None,
) -> Reconciliation:
    """Expected versus reported stock, and the findings, for one zone and period.

    `earlier_legs` maps an exit declaration id to the earlier legs of its chain (from the chain
    index), to compare the re-export destination with the one declared on entry.
    """
    legs = [lg for lg in legs if lg.zone_id == zone_id]
    records = [r for r in records if r.zone_id == zone_id]
    home = rules.home_country
    flows = flows_from_legs(legs, home) + flows_from_records(records)
    strategic_hs = {(f.operator_id, f.hs6) for f in flows if f.strategic}
    lines: dict[tuple[str, str, str], StockLine] = {}

    def line(key: tuple[str, str, str]) -> StockLine:
        if key not in lines:
            lines[key] = StockLine(*key, strategic=(key[0], key[1]) in strategic_hs)
        return lines[key]

    prev_reported = reported_stock(records, period.previous().label)
    for f in flows:
        key = (f.operator_id, f.hs6, f.unit)
        if f.on < period.start:
            if key not in prev_reported:
                line(key).opening += _SIGN[f.kind] * f.quantity
        elif period.contains(f.on):
            line(key).flows[f.kind.value] += f.quantity
    for key, qty in prev_reported.items():
        ln = line(key)
        ln.opening, ln.opening_source = qty, f"reported {period.previous().label}"
    for key, qty in reported_stock(records, period.label).items():
        line(key).reported = qty
    chosen = [ln for ln in lines.values() if operator_id is None or ln.operator_id == operator_id]
    chosen.sort(key=lambda ln: (ln.operator_id, ln.hs6, ln.unit))
    findings: list[Finding] = []
    reporting_ops = {
        r.operator_id for r in records if r.kind is RecordKind.STOCK and r.period == period.label
    }
    for ln in chosen:
        if ln.reported is None:
            if abs(ln.expected) > rules.stock_tolerance_abs and ln.operator_id in reporting_ops:
                findings.append(
                    Finding(
                        GapKind.STOCK_NOT_REPORTED,
                        ln.operator_id,
                        f"{ln.operator_id} reports no stock of HS {ln.hs6} although"
                        f" {ln.expected:g} {ln.unit} are expected.",
                        ln.hs6,
                        quantity=ln.expected,
                        unit=ln.unit,
                    )
                )
            continue
        gap = ln.gap or 0.0
        moved = sum(ln.flows.values()) + abs(ln.opening)
        tol = max(rules.stock_tolerance_abs, moved * rules.stock_tolerance_pct / 100.0)
        if abs(gap) > tol:
            kind = GapKind.STOCK_LOSS if gap < 0 else GapKind.STOCK_GAIN
            findings.append(
                Finding(
                    kind,
                    ln.operator_id,
                    f"{ln.operator_id} reports {ln.reported:g} {ln.unit} of HS {ln.hs6}; the ledger"
                    f" expects {ln.expected:g} (unexplained {'loss' if gap < 0 else 'gain'}"
                    f" of {abs(gap):g}).",
                    ln.hs6,
                    quantity=gap,
                    unit=ln.unit,
                    evidence={"expected": ln.expected, "reported": ln.reported, "tolerance": tol},
                )
            )
    for leg in sorted(legs, key=lambda lg: lg.lodged_at or _as_dt(period.start)):
        on = _day(leg)
        if on is None or not period.contains(on):
            continue
        if operator_id is not None and leg.operator_id != operator_id:
            continue
        if exit_kind(leg, home) is not FlowKind.REEXPORT:
            continue
        before = list((earlier_legs or {}).get(leg.declaration_id, []))
        controlled = [g for g in leg.goods if g.strategic] or [
            g for e in before for g in e.goods if g.strategic
        ]
        if controlled and not leg.licences:
            g = controlled[0]
            findings.append(
                Finding(
                    GapKind.CONTROLLED_EXIT_NO_LICENCE,
                    leg.operator_id or "",
                    f"{leg.declaration_id} took strategic goods (HS {g.hs_code}) out of the zone to"
                    f" {leg.destination or '?'} without a licence.",
                    g.hs6,
                    declaration_id=leg.declaration_id,
                    evidence={"control_entries": g.control_entries, "country": leg.destination},
                )
            )
        entries = [e for e in before if e.procedure is Procedure.FTZ_ENTRY]
        onward = leg.final_destination(home)
        for e in entries:
            declared = e.final_destination(home)
            if declared and onward and declared != onward:
                findings.append(
                    Finding(
                        GapKind.REEXPORT_DESTINATION_CHANGED,
                        leg.operator_id or "",
                        f"{leg.declaration_id} re-exports to {onward}; entry {e.declaration_id}"
                        f" declared {declared}.",
                        leg.goods[0].hs6 if leg.goods else None,
                        declaration_id=leg.declaration_id,
                        evidence={
                            "entry": e.declaration_id,
                            "declared": declared,
                            "country": onward,
                        },
                    )
                )
                break
    return Reconciliation(zone_id, period, operator_id, chosen, findings)
