"""Planted licence scenarios for `stce sample`: declarations, the licences they cite, and truth.

Pure functions of a seeded `random.Random`. Every mismatch the licence check knows is planted on
its own declaration; its truth record is `{"declaration_id", "scenarios": [{"type":
"licence_mismatch", "code": <the hit code the check should raise>, "licence_id", "line"}]}`,
next to clean licensed declarations that must raise nothing. Party names on clean declarations
are spelt differently from the licence ("ACME PRECISION" for "Acme Precision GmbH") so that
the normalised comparison is exercised.

The goods are HS 2022 subheadings created for strategic items, with indicative control entries
(see /work/shared/docs/domain.md, "HS 2022 subheadings new for strategic goods"); the truth
assumes a strategic-goods determiner that flags them, e.g. `scenario_determiner()`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from stce.licences.determiner import HsRule, HsSubheadingDeterminer
from stce.model import Declaration

# (HS 2022 subheading, indicative control entry, regime, description, unit, unit price EUR)
STRATEGIC_GOODS: tuple[tuple[str, str, str, str, str, float], ...] = (
    (
        "841933",
        "2B352",
        "AG",
        "freeze dryer, steam sterilisable, 12 kg ice capacity",
        "NAR",
        85000.0,
    ),
    ("902781", "3A233", "NSG", "magnetic sector mass spectrometer", "NAR", 240000.0),
    ("851431", "2B227", "NSG", "vacuum arc remelting furnace", "NAR", 410000.0),
    ("293141", "1C350", "AG", "dimethyl methylphosphonate (DMMP), 99 %", "KGM", 35.0),
    ("284520", "1C225", "NSG", "boron enriched in boron-10, elemental powder", "KGM", 5200.0),
)

_FIRST = (
    "Acme",
    "Borealis",
    "Cobalt",
    "Delta",
    "Everest",
    "Fjord",
    "Granite",
    "Helios",
    "Iris",
    "Juniper",
    "Kestrel",
    "Lumen",
    "Meridian",
    "Nimbus",
    "Orion",
    "Polaris",
    "Quasar",
    "Rhodium",
    "Sequoia",
    "Tundra",
    "Umbra",
    "Vega",
    "Wolfram",
    "Xenon",
    "Yarrow",
    "Zephyr",
)
_SECOND = (
    "Precision",
    "Scientific",
    "Instruments",
    "Vacuum Systems",
    "Chemicals",
    "Process Technology",
    "Laboratories",
    "Materials",
    "Engineering",
    "Trading",
)
_FORMS = ("GmbH", "Ltd", "S.A.", "LLC", "Co., Ltd.", "B.V.", "AG")
_LICENSED_DESTINATIONS = ("JP", "KR", "IN", "BR", "ZA", "MX", "TR", "MY", "TH", "CL")
_OTHER_DESTINATIONS = ("AE", "KZ", "AM", "GE", "HK", "PK", "EG")

LICENCE_CODES = (
    "LICENCE_MISSING",
    "LICENCE_NOT_FOUND",
    "LICENCE_NOT_VALID",
    "LICENCE_HOLDER_MISMATCH",
    "LICENCE_DESTINATION_MISMATCH",
    "LICENCE_CONSIGNEE_MISMATCH",
    "LICENCE_END_USER_MISMATCH",
    "LICENCE_ITEM_NOT_COVERED",
    "LICENCE_BALANCE_EXCEEDED",
)


@dataclass
class LicenceScenarios:
    declarations: list[dict[str, Any]] = field(default_factory=list)
    licences: list[dict[str, Any]] = field(default_factory=list)
    truth: list[dict[str, Any]] = field(default_factory=list)


def truth_codes(record: dict[str, Any]) -> set[str]:
    """The hit or finding codes a truth record expects (entries without a code are context)."""
    return {s["code"] for s in record["scenarios"] if "code" in s}


def scenario_determiner() -> HsSubheadingDeterminer:
    """A determiner that flags the scenario goods with their control entries."""
    return HsSubheadingDeterminer(
        {
            hs: HsRule((entry,), (regime,), desc)
            for hs, entry, regime, desc, _, _ in STRATEGIC_GOODS
        },
        version="scenario-goods",
    )


class _Names:
    """Distinct company names: no two share a first word, so they never match each other."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.pool = list(_FIRST)
        rng.shuffle(self.pool)
        self.round = 0

    def company(self) -> str:
        if not self.pool:
            self.round += 1
            self.pool = [f"{w}{self.round}" for w in _FIRST]
            self.rng.shuffle(self.pool)
        return f"{self.pool.pop()} {self.rng.choice(_SECOND)} {self.rng.choice(_FORMS)}"


def variant(name: str) -> str:
    """The same company as an exporter might type it: upper case, legal form dropped."""
    forms = {w for f in _FORMS for w in f.split()}
    return " ".join(w for w in name.split() if w not in forms).upper()


def generate_licence_scenarios(
    rng: random.Random,
    *,
    home: str = "AE",
    start: date = date(2026, 7, 1),
    clean: int = 3,
    repeats: int = 1,
    prefix: str = "LIC",
) -> LicenceScenarios:
    """`repeats` declarations per licence mismatch plus `clean` licensed ones without problems."""
    out = LicenceScenarios()
    names = _Names(rng)
    plan = [code for code in LICENCE_CODES for _ in range(repeats)] + ["CLEAN"] * clean
    rng.shuffle(plan)
    for n, kind in enumerate(plan, start=1):
        _one(rng, out, names, kind, n, home, start, prefix)
    return out


def _one(
    rng: random.Random,
    out: LicenceScenarios,
    names: _Names,
    kind: str,
    n: int,
    home: str,
    start: date,
    prefix: str,
) -> None:
    hs, entry, _, desc, unit, price = rng.choice(STRATEGIC_GOODS)
    holder, consignee, end_user = names.company(), names.company(), names.company()
    dests = rng.sample(_LICENSED_DESTINATIONS, 2)
    number = f"{home}-{start.year}-{prefix}{n:05d}"
    licensed_qty = float(rng.randint(4, 40)) if unit == "NAR" else float(rng.randint(50, 2000))
    tolerance = rng.choice((0.0, 5.0, 10.0))
    valid_from = start - timedelta(days=rng.randint(30, 200))
    valid_to = start + timedelta(days=rng.randint(120, 400))
    licence: dict[str, Any] = {
        "number": number,
        "type": rng.choice(("individual", "global")),
        "issuing_authority": f"{home} Export Control Office",
        "holder": holder,
        "holder_id": f"{home}{rng.randint(10**8, 10**9 - 1)}",
        "consignee": consignee,
        "end_user": end_user,
        "end_use": "civil research and production",
        "destinations": dests,
        "valid_from": valid_from.isoformat(),
        "valid_to": valid_to.isoformat(),
        "status": "valid",
        "tolerance_pct": tolerance,
        "items": [
            {
                "item_no": 1,
                "control_entry": entry,
                "hs_code": hs,
                "description": desc,
                "quantity": licensed_qty,
                "unit": unit,
                "value": round(licensed_qty * price, 2),
                "currency": "EUR",
            }
        ],
    }
    qty = max(1.0, float(int(licensed_qty * rng.uniform(0.1, 0.5))))
    lodged = start + timedelta(days=rng.randint(0, 60), hours=rng.randint(6, 18))
    decl_hs, decl_desc, decl_unit = hs, desc, unit
    consignor_name = variant(holder)
    consignee_name, end_user_name, dest = variant(consignee), end_user, dests[0]
    doc_id: str | None = number
    if kind == "LICENCE_NOT_FOUND":
        doc_id = f"{home}-{start.year}-X{rng.randint(10**6, 10**7 - 1)}"
    elif kind == "LICENCE_MISSING":
        doc_id = None
    elif kind == "LICENCE_NOT_VALID":
        if rng.random() < 0.5:
            licence["status"] = rng.choice(("suspended", "revoked"))
        else:
            lodged = valid_to + timedelta(days=rng.randint(5, 90), hours=10)
    elif kind == "LICENCE_HOLDER_MISMATCH":
        consignor_name = names.company()
    elif kind == "LICENCE_DESTINATION_MISMATCH":
        dest = rng.choice(_OTHER_DESTINATIONS)
    elif kind == "LICENCE_CONSIGNEE_MISMATCH":
        consignee_name = names.company()
    elif kind == "LICENCE_END_USER_MISMATCH":
        end_user_name = names.company()
    elif kind == "LICENCE_ITEM_NOT_COVERED":
        other = rng.choice([g for g in STRATEGIC_GOODS if g[0] != hs])
        decl_hs, decl_desc, decl_unit = other[0], other[3], other[4]
        qty = 1.0
    elif kind == "LICENCE_BALANCE_EXCEEDED":
        qty = float(int(licensed_qty * (1 + tolerance / 100.0) * rng.uniform(1.2, 2.0)) + 1)
    unit_price = {g[0]: g[5] for g in STRATEGIC_GOODS}[decl_hs]
    value = round(qty * unit_price, 2)
    decl_id = f"{prefix}-{start.year}-{n:06d}"
    decl: dict[str, Any] = {
        "declaration_id": decl_id,
        "procedure": "export",
        "lodged_at": lodged.isoformat(),
        "office": f"{home}EXP01",
        "parties": [
            {"role": "consignor", "name": consignor_name, "country": home},
            {"role": "consignee", "name": consignee_name, "country": dest},
            {"role": "end_user", "name": end_user_name, "country": dest},
        ],
        "country_of_dispatch": home,
        "country_of_destination": dest,
        "items": [
            {
                "line": 1,
                "hs_code": decl_hs,
                "description": decl_desc,
                "quantity": qty,
                "unit": decl_unit,
                "value": value,
                "currency": "EUR",
            }
        ],
        "documents": [] if doc_id is None else [{"type": "licence", "id": doc_id, "line": 1}],
    }
    Declaration.model_validate(decl)
    out.declarations.append(decl)
    if kind != "LICENCE_NOT_FOUND":
        out.licences.append(licence)
    if kind != "CLEAN":
        scen: dict[str, Any] = {"type": "licence_mismatch", "code": kind, "line": 1}
        if doc_id is not None:
            scen["licence_id"] = doc_id
        out.truth.append({"declaration_id": decl_id, "scenarios": [scen]})
