"""Planted transshipment, diversion and free-zone scenarios for `stce sample`.

Pure functions of a seeded `random.Random` returning declarations (JSON Lines declaration
format), free-zone operator records (the `stce ftz import-stock` format) and truth records
`{"declaration_id", "scenarios": [{"type", "code", ...}]}` (types `movement_flag`, `ftz_gap`,
`licence_mismatch`, `controlled_goods`; `code` is the hit or finding code expected). Each
chain plants one flag on its onward leg and is otherwise consistent (same parties,
destination, goods, quantity, ordinary dwell), next to clean chains. Reconciliation gaps have
no declaration: their truth id is `ftz:<zone>:<operator>:<hs6>:<period>`.

Codes planted: every movement flag (CHAIN_*, TRANSIT_NOT_EXITED, REEXPORT_CONTROLLED_NO_LICENCE)
and every reconciliation gap (FTZ_*). The controlled re-export also carries LICENCE_MISSING, which
the licence check raises on the same declaration. Strategic goods come from
`stce.licences.scenarios.STRATEGIC_GOODS`; the truth assumes a determiner that flags them.
"""

from __future__ import annotations

import random
import string
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from stce.licences.scenarios import STRATEGIC_GOODS, _Names, truth_codes
from stce.model import Declaration

# Ordinary goods: (HS 2022 subheading, description, unit, net kg per unit).
ORDINARY_GOODS: tuple[tuple[str, str, str, float], ...] = (
    ("847130", "portable laptop computers", "NAR", 2.1),
    ("940360", "wooden office furniture, desks", "NAR", 28.0),
    ("870830", "brake assemblies for motor cars", "NAR", 6.5),
    ("610910", "cotton T-shirts, knitted", "NAR", 0.2),
    ("848180", "industrial gate valves, cast iron", "NAR", 14.0),
    ("392690", "moulded plastic fittings", "KGM", 1.0),
    ("732690", "steel wire hangers", "KGM", 1.0),
)
_ORIGINS = ("CN", "DE", "JP", "KR", "IT", "US", "TW", "FR")
_DESTINATIONS = ("IN", "PK", "KE", "TZ", "EG", "SA", "OM", "IQ", "AZ", "KZ")

MOVEMENT_CODES = (
    "CHAIN_CONSIGNEE_CHANGED",
    "CHAIN_DESTINATION_CHANGED",
    "CHAIN_DESTINATION_SENSITIVE",
    "CHAIN_RELABELLED",
    "CHAIN_QUANTITY_CHANGED",
    "CHAIN_DWELL_UNUSUAL",
    "TRANSIT_NOT_EXITED",
    "REEXPORT_CONTROLLED_NO_LICENCE",
)
__all__ = [
    "FTZ_CODES",
    "MOVEMENT_CODES",
    "ORDINARY_GOODS",
    "MovementScenarios",
    "generate_movement_scenarios",
    "truth_codes",
]

FTZ_CODES = (
    "FTZ_STOCK_LOSS",
    "FTZ_STOCK_GAIN",
    "FTZ_CONTROLLED_EXIT_NO_LICENCE",
    "FTZ_REEXPORT_DESTINATION_CHANGED",
)


@dataclass
class MovementScenarios:
    zone_id: str
    period: str
    home: str
    as_of: datetime
    """When to sweep for overdue transits (end of the period)."""
    declarations: list[dict[str, Any]] = field(default_factory=list)
    operator_records: list[dict[str, Any]] = field(default_factory=list)
    truth: list[dict[str, Any]] = field(default_factory=list)


class _Gen:
    def __init__(self, rng: random.Random, home: str, start: date, prefix: str) -> None:
        self.rng = rng
        self.home = home
        self.start = datetime.combine(start, datetime.min.time(), tzinfo=UTC)
        self.prefix = prefix
        self.names = _Names(rng)
        self.n = 0

    def decl_id(self) -> str:
        self.n += 1
        return f"{self.prefix}-{self.start.year}-{self.n:06d}"

    def container(self) -> str:
        owner = "".join(self.rng.choice(string.ascii_uppercase) for _ in range(3)) + "U"
        return f"{owner}{self.rng.randint(10**6, 10**7 - 1)}"

    def bill(self) -> str:
        return f"BL{self.rng.randint(10**9, 10**10 - 1)}"

    def when(self, lo_days: int = 0, hi_days: int = 40) -> datetime:
        return self.start + timedelta(
            days=self.rng.randint(lo_days, hi_days), hours=self.rng.randint(6, 20)
        )

    def goods(self, kind: tuple[str, str, str, float], qty: float, line: int = 1) -> dict[str, Any]:
        hs, desc, unit, kg = kind
        return {
            "line": line,
            "hs_code": hs,
            "description": desc,
            "quantity": qty,
            "unit": unit,
            "net_mass_kg": round(qty * kg, 3),
            "value": round(qty * 40.0, 2),
            "currency": "USD",
        }

    def decl(
        self,
        procedure: str,
        at: datetime,
        consignor: str,
        consignee: str,
        dispatch: str,
        destination: str,
        items: list[dict[str, Any]],
        *,
        bill: str | None = None,
        containers: list[str] | None = None,
        previous: str | None = None,
        ftz: tuple[str, str] | None = None,
        itinerary: list[str] | None = None,
        documents: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        d: dict[str, Any] = {
            "declaration_id": self.decl_id(),
            "procedure": procedure,
            "lodged_at": at.isoformat(),
            "office": f"{self.home}PORT1",
            "parties": [
                {"role": "consignor", "name": consignor},
                {"role": "consignee", "name": consignee},
            ],
            "country_of_dispatch": dispatch,
            "country_of_destination": destination,
            "itinerary": itinerary or [],
            "transport": {
                "mode": "sea",
                "document_id": bill or self.bill(),
                "containers": containers or [],
            },
            "items": items,
            "documents": list(documents or []),
        }
        if previous:
            d["documents"].append({"type": "previous", "id": previous})
        if ftz:
            d["ftz"] = {"zone_id": ftz[0], "operator_id": ftz[1]}
        Declaration.model_validate(d)
        return d


def _flag(code: str, previous: str | None) -> dict[str, Any]:
    """Truth entry of a movement flag (`code` is the hit code the check raises)."""
    out: dict[str, Any] = {"type": "movement_flag", "code": code}
    if previous:
        out["previous_declaration"] = previous
    return out


def _gap(code: str, zone: str, operator: str, hs6: str, period: str) -> dict[str, Any]:
    """Truth entry of a free-zone reconciliation finding."""
    return {
        "type": "ftz_gap",
        "code": code,
        "zone_id": zone,
        "operator_id": operator,
        "hs6": hs6,
        "period": period,
    }


def _truth(decl: dict[str, Any], *scenarios: dict[str, Any]) -> dict[str, Any]:
    return {"declaration_id": decl["declaration_id"], "scenarios": list(scenarios)}


def _strategic(rng: random.Random) -> tuple[str, str, str, float]:
    hs, _, _, desc, unit, _ = rng.choice(STRATEGIC_GOODS)
    return hs, desc, unit, 1.0 if unit == "KGM" else 250.0


def generate_movement_scenarios(
    rng: random.Random,
    *,
    home: str = "AE",
    start: date = date(2026, 7, 1),
    period: str = "2026-Q3",
    clean: int = 3,
    prefix: str = "MOV",
    sensitive: tuple[str, ...] = ("KP", "IR"),
) -> MovementScenarios:
    """One chain per movement flag, one per free-zone gap, plus `clean` clean chains and a clean
    zone operator (with a transfer and a processing operation)."""
    g = _Gen(rng, home, start, prefix)
    zone = f"{home}-FZ1"
    out = MovementScenarios(
        zone_id=zone, period=period, home=home, as_of=g.start + timedelta(days=91)
    )
    # ---- transshipment chains -------------------------------------------------------------
    plan = [*MOVEMENT_CODES, *["CLEAN"] * clean]
    rng.shuffle(plan)
    for kind in plan:
        if kind == "REEXPORT_CONTROLLED_NO_LICENCE":
            continue  # planted in the zone below
        _chain(g, out, kind, sensitive)
    # ---- free zone -----------------------------------------------------------------------
    _zone(g, out, zone, period, sensitive)
    return out


def _chain(g: _Gen, out: MovementScenarios, kind: str, sensitive: tuple[str, ...]) -> None:
    rng = g.rng
    shipper, buyer = g.names.company(), g.names.company()
    origin, dest = rng.choice(_ORIGINS), rng.choice(_DESTINATIONS)
    goods = rng.choice(ORDINARY_GOODS)
    qty = float(rng.randint(20, 400))
    box = g.container()
    t0 = g.when(0, 45)
    if kind == "CHAIN_DESTINATION_SENSITIVE":
        dest = rng.choice(sensitive)
    if kind == "TRANSIT_NOT_EXITED":
        transit = g.decl(
            "transit", t0, shipper, buyer, origin, dest, [g.goods(goods, qty)], containers=[box]
        )
        out.declarations.append(transit)
        if rng.random() < 0.5:
            # Diverted into the home market: an import of the same container.
            imp = g.decl(
                "import",
                t0 + timedelta(days=rng.randint(1, 5)),
                shipper,
                g.names.company(),
                origin,
                g.home,
                [g.goods(goods, qty)],
                containers=[box],
            )
            out.declarations.append(imp)
            out.truth.append(_truth(imp, _flag(kind, transit["declaration_id"])))
        else:
            # Never exited: found by the overdue-transit sweep at `as_of`.
            out.truth.append(_truth(transit, _flag(kind, None)))
        return
    arrival = g.decl(
        "transshipment", t0, shipper, buyer, origin, dest, [g.goods(goods, qty)], containers=[box]
    )
    out.declarations.append(arrival)
    dwell = timedelta(days=rng.randint(1, 9), hours=rng.randint(0, 12))
    onward_consignee, onward_dest, onward_goods, onward_qty = buyer, dest, goods, qty
    if kind == "CHAIN_CONSIGNEE_CHANGED":
        onward_consignee = g.names.company()
    elif kind == "CHAIN_DESTINATION_CHANGED":
        onward_dest = rng.choice([c for c in _DESTINATIONS if c != dest])
    elif kind == "CHAIN_RELABELLED":
        onward_goods = rng.choice(
            [o for o in ORDINARY_GOODS if o[0] != goods[0] and o[2] == goods[2]]
        )
        onward_goods = (onward_goods[0], onward_goods[1], onward_goods[2], goods[3])  # same mass
    elif kind == "CHAIN_QUANTITY_CHANGED":
        onward_qty = float(int(qty * rng.choice((0.5, 0.6, 1.4, 1.6))))
    elif kind == "CHAIN_DWELL_UNUSUAL":
        dwell = timedelta(days=rng.randint(60, 120))
    # Containers link only within a window (they are reused), so a long dwell needs a
    # document link.
    links = (
        ("previous", "bill") if kind == "CHAIN_DWELL_UNUSUAL" else ("container", "previous", "bill")
    )
    link = rng.choice(links)
    onward = g.decl(
        "transshipment",
        t0 + dwell,
        shipper,
        onward_consignee,
        origin,
        onward_dest,
        [g.goods(onward_goods, onward_qty)],
        containers=[box] if link == "container" else [g.container()],
        previous=arrival["declaration_id"] if link == "previous" else None,
        bill=arrival["transport"]["document_id"] if link == "bill" else None,
    )
    out.declarations.append(onward)
    if kind != "CLEAN":
        out.truth.append(_truth(onward, _flag(kind, arrival["declaration_id"])))


def _zone(
    g: _Gen, out: MovementScenarios, zone: str, period: str, sensitive: tuple[str, ...]
) -> None:
    rng = g.rng
    ops = [f"OP-{rng.randint(100, 999)}{c}" for c in "ABCD"]
    stock: dict[tuple[str, str, str], float] = defaultdict(float)

    def entry(
        op: str, goods: tuple[str, str, str, float], qty: float, onward: str
    ) -> dict[str, Any]:
        origin = rng.choice(_ORIGINS)
        d = g.decl(
            "ftz_entry",
            g.when(0, 20),
            g.names.company(),
            op,
            origin,
            g.home,
            [g.goods(goods, qty)],
            containers=[g.container()],
            ftz=(zone, op),
            itinerary=[g.home, onward],
        )
        out.declarations.append(d)
        stock[(op, goods[0], goods[2])] += qty
        return d

    def exit_(
        op: str,
        src: dict[str, Any],
        goods: tuple[str, str, str, float],
        qty: float,
        dest: str,
        procedure: str = "reexport",
    ) -> dict[str, Any]:
        at = datetime.fromisoformat(src["lodged_at"]) + timedelta(days=rng.randint(10, 40))
        d = g.decl(
            procedure,
            at,
            op,
            op if procedure == "ftz_exit" else g.names.company(),
            g.home,
            dest,
            [g.goods(goods, qty)],
            previous=src["declaration_id"],
            ftz=(zone, op),
        )
        out.declarations.append(d)
        stock[(op, goods[0], goods[2])] -= qty
        return d

    clean_op, loss_op, gain_op, ctl_op = ops
    # Clean operator: entry, partial re-export to the declared destination, a withdrawal home,
    # a transfer to another operator and a processing operation.
    a = rng.choice([o for o in ORDINARY_GOODS if o[2] == "NAR"])
    onward = rng.choice(_DESTINATIONS)
    e1 = entry(clean_op, a, 100.0, onward)
    exit_(clean_op, e1, a, 40.0, onward)
    exit_(clean_op, e1, a, 10.0, g.home, procedure="ftz_exit")
    day = (g.start + timedelta(days=50)).date().isoformat()
    out.operator_records.append(
        {
            "kind": "transfer",
            "zone_id": zone,
            "operator_id": clean_op,
            "to_operator_id": loss_op,
            "date": day,
            "reference": "T-1",
            "hs_code": a[0],
            "quantity": 5,
            "unit": a[2],
        }
    )
    stock[(clean_op, a[0], a[2])] -= 5
    stock[(loss_op, a[0], a[2])] += 5
    raw = ("392690", "moulded plastic fittings", "KGM", 1.0)
    made = ("732690", "steel wire hangers", "KGM", 1.0)
    entry(clean_op, raw, 500.0, onward)
    out.operator_records += [
        {
            "kind": "processing_input",
            "zone_id": zone,
            "operator_id": clean_op,
            "date": day,
            "reference": "P-1",
            "hs_code": raw[0],
            "quantity": 300,
            "unit": "KGM",
        },
        {
            "kind": "processing_output",
            "zone_id": zone,
            "operator_id": clean_op,
            "date": day,
            "reference": "P-1",
            "hs_code": made[0],
            "quantity": 290,
            "unit": "KGM",
        },
    ]
    stock[(clean_op, raw[0], "KGM")] -= 300
    stock[(clean_op, made[0], "KGM")] += 290
    # Loss and gain: reported stock below / above the ledger.
    b = rng.choice(ORDINARY_GOODS)
    entry(loss_op, b, 200.0, rng.choice(_DESTINATIONS))
    c = rng.choice(ORDINARY_GOODS)
    entry(gain_op, c, 150.0, rng.choice(_DESTINATIONS))
    # Controlled goods: re-exported without a licence, and a re-export to another destination.
    s = _strategic(rng)
    declared = rng.choice(_DESTINATIONS)
    es = entry(ctl_op, s, 10.0, declared)
    rs = exit_(ctl_op, es, s, 4.0, declared)
    strategic = next(x for x in STRATEGIC_GOODS if x[0] == s[0])
    out.truth.append(
        _truth(
            rs,
            _flag("REEXPORT_CONTROLLED_NO_LICENCE", es["declaration_id"]),
            _gap("FTZ_CONTROLLED_EXIT_NO_LICENCE", zone, ctl_op, s[0], period),
            {"type": "licence_mismatch", "code": "LICENCE_MISSING", "line": 1},
            {
                "type": "controlled_goods",
                "licence": False,
                "entry": strategic[1],
                "hs_code": s[0],
                "line": 1,
                "description": s[1],
            },
        )
    )
    d = rng.choice(ORDINARY_GOODS)
    first = rng.choice(_DESTINATIONS)
    ed = entry(ctl_op, d, 60.0, first)
    other = rng.choice([c for c in _DESTINATIONS if c != first])
    rd = exit_(ctl_op, ed, d, 60.0, other)
    out.truth.append(
        _truth(
            rd,
            _gap("FTZ_REEXPORT_DESTINATION_CHANGED", zone, ctl_op, d[0], period),
            _flag("CHAIN_DESTINATION_CHANGED", ed["declaration_id"]),
        )
    )
    # Stock reports at the end of the period: exact except the planted loss and gain.
    for (op, hs, unit), qty in sorted(stock.items()):
        reported = qty
        gap = None
        if op == loss_op and hs == b[0]:
            reported, gap = qty - max(5.0, round(qty * 0.2)), "FTZ_STOCK_LOSS"
        elif op == gain_op and hs == c[0]:
            reported, gap = qty + max(5.0, round(qty * 0.2)), "FTZ_STOCK_GAIN"
        out.operator_records.append(
            {
                "kind": "stock",
                "zone_id": zone,
                "operator_id": op,
                "period": period,
                "hs_code": hs,
                "quantity": reported,
                "unit": unit,
            }
        )
        if gap:
            out.truth.append(
                {
                    "declaration_id": f"ftz:{zone}:{op}:{hs}:{period}",
                    "scenarios": [_gap(gap, zone, op, hs, period)],
                }
            )
