"""Synthetic declarations for demos, tests and benchmarks, with planted risky scenarios.

The sample imitates the traffic of a transshipment hub administration (home office AE, with free
zones): e-commerce parcels are the largest share by count, cargo the largest by value. A small
share of declarations carries planted scenarios (listed parties under spelling variants, listed
wallets, controlled goods, embargoed destinations, diversion through hubs and free zones,
licence misuse, misclassification); the truth file lists, for each planted declaration, what was
planted. The same seed always gives the same files.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from stce.ingest.codes import iso_countries
from stce.sample.listed import ListedName, ListedWallet, listed_names, listed_wallets
from stce.sample.names import company_name, forwarder_name, person_name, variant

HOME = "AE"
OFFICES = ["AEJEA", "AEJEA", "AEJEA", "AEDXB", "AEAUH", "AESHJ"]
FREE_ZONES = ["AE-JAFZ", "AE-JAFZ", "AE-DAFZA", "AE-SAIF", "AE-KEZAD"]
PARTNERS = {
    "CN": 20, "IN": 10, "US": 6, "DE": 5, "JP": 4, "GB": 4, "SA": 6, "IT": 3, "TR": 3, "KR": 3,
    "FR": 2, "NL": 2, "SG": 2, "HK": 2, "PK": 3, "IQ": 2, "OM": 3, "KW": 2, "QA": 2, "BH": 1,
    "EG": 2, "KE": 1, "ZA": 1, "MY": 1, "TH": 1, "VN": 1, "ES": 1, "PL": 1, "BR": 1, "AU": 1,
}  # fmt: skip
SANCTIONED = ["IR", "IR", "RU", "RU", "SY", "BY", "KP"]
DIVERSION_HUBS = ["TR", "KZ", "AM", "GE", "KG", "UZ", "HK", "CN", "MY", "TJ"]
PROCEDURES = {
    "export": 30, "import": 38, "transit": 8, "transshipment": 10, "ftz_entry": 6,
    "ftz_exit": 5, "reexport": 3,
}  # fmt: skip
PREFIX = {
    "export": "EX", "import": "IM", "transit": "TR", "transshipment": "TS", "ftz_entry": "FE",
    "ftz_exit": "FX", "reexport": "RX",
}  # fmt: skip
SCENARIOS = {
    "listed_party": 22,
    "listed_wallet": 6,
    "controlled_goods": 16,
    "embargoed_destination": 10,
    "diversion": 14,
    "ftz_diversion": 8,
    "licence_misuse": 8,
    "misclassification": 8,
    "ecommerce_controlled": 8,
}
START = datetime(2026, 11, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Good:
    hs: str
    desc: list[str]
    unit: str
    value: tuple[float, float]
    kg: float
    qty: tuple[float, float]
    channels: tuple[str, ...] = ("cargo",)
    cas: str | None = None
    entry: str | None = None


@dataclass(frozen=True)
class Misdeclared:
    hs: str
    desc: str
    entry: str


@cache
def catalogue() -> tuple[list[Good], list[Good], list[Misdeclared]]:
    text = resources.files("stce.sample").joinpath("data/goods.yaml").read_text("utf-8")
    raw = yaml.safe_load(text)

    def good(g: dict[str, Any]) -> Good:
        return Good(
            hs=g["hs"],
            desc=list(g["desc"]),
            unit=g["unit"],
            value=(float(g["value"][0]), float(g["value"][1])),
            kg=float(g["kg"]),
            qty=(float(g["qty"][0]), float(g["qty"][1])),
            channels=tuple(g.get("channels", ["cargo"])),
            cas=g.get("cas"),
            entry=g.get("entry"),
        )

    return (
        [good(g) for g in raw["ordinary"]],
        [good(g) for g in raw["strategic"]],
        [Misdeclared(g["hs"], g["desc"], g["entry"]) for g in raw["misdeclared"]],
    )


class SampleGenerator:
    """Yields (declaration, truth or None) pairs; deterministic for a given seed."""

    def __init__(self, seed: int, risky_share: float = 0.03, mirror: Path | None = None) -> None:
        self.rng = random.Random(seed)
        self.risky_share = risky_share
        self.ordinary, self.strategic, self.misdeclared = catalogue()
        self.by_channel = {
            ch: [g for g in self.ordinary if ch in g.channels]
            for ch in ("cargo", "ecommerce", "postal")
        }
        self.listed: list[ListedName] = listed_names(mirror)
        self.listed_entities = [n for n in self.listed if not n.is_person]
        self.listed_persons = [n for n in self.listed if n.is_person]
        self.wallets: list[ListedWallet] = listed_wallets(mirror)
        self._partners = list(PARTNERS)
        self._partner_w = list(PARTNERS.values())
        self._procs = list(PROCEDURES)
        self._proc_w = list(PROCEDURES.values())
        scen = dict(SCENARIOS)
        if not self.listed:
            scen.pop("listed_party")
        if not self.wallets:
            scen.pop("listed_wallet")
        self._scen = list(scen)
        self._scen_w = list(scen.values())
        self._seq = 0

    # --- building blocks ---------------------------------------------------------------

    def partner(self) -> str:
        return self.rng.choices(self._partners, self._partner_w)[0]

    def lodged(self) -> str:
        t = START + timedelta(minutes=self.rng.randrange(0, 30 * 24 * 60))
        return t.strftime("%Y-%m-%dT%H:%M:%SZ")

    def item(self, line: int, g: Good, channel: str, currency: str, origin: str) -> dict[str, Any]:
        r = self.rng
        qty: float
        if channel == "cargo":
            qty = round(r.uniform(*g.qty)) or 1
        else:
            qty = (
                r.randint(1, 3) if g.unit in ("PCE", "PAR", "SET") else round(r.uniform(0.2, 2), 1)
            )
        unit_value = r.uniform(*g.value)
        item: dict[str, Any] = {
            "line": line,
            "hs_code": g.hs,
            "description": r.choice(g.desc),
            "quantity": qty,
            "unit": g.unit,
            "net_mass_kg": round(qty * g.kg, 2),
            "value": round(qty * unit_value, 2),
            "currency": currency,
            "origin": origin,
        }
        if g.cas:
            item["cas"] = g.cas
        return item

    def _next_id(self, procedure: str, channel: str) -> str:
        self._seq += 1
        prefix = "EC" if channel != "cargo" else PREFIX[procedure]
        return f"{prefix}-2026-{self._seq:07d}"

    def clean(self) -> dict[str, Any]:
        """An ordinary declaration with nothing planted."""
        r = self.rng
        channel = r.choices(("ecommerce", "cargo", "postal"), (55, 35, 10))[0]
        if channel == "cargo":
            procedure = r.choices(self._procs, self._proc_w)[0]
        else:
            procedure = "import" if r.random() < 0.93 else "export"
        return self._declaration(procedure, channel)

    def _declaration(
        self, procedure: str, channel: str, destination: str | None = None
    ) -> dict[str, Any]:
        r = self.rng
        partner = self.partner()
        other = self.partner()
        if other == partner:
            other = "SA" if partner != "SA" else "IN"
        if procedure in ("import", "ftz_entry"):
            dispatch, dest = partner, HOME
        elif procedure in ("export", "reexport", "ftz_exit"):
            dispatch, dest = HOME, destination or partner
        else:  # transit, transshipment: through the home hub
            dispatch, dest = partner, destination or other
        if channel == "cargo":
            mode = r.choices(("sea", "air", "road"), (60, 25, 15))[0]
        else:
            mode = "air" if channel == "ecommerce" else "post"
        itinerary = [dispatch, dest] if dispatch == HOME or dest == HOME else [dispatch, HOME, dest]
        currency = r.choice(("USD", "USD", "AED", "EUR"))
        origin = dispatch if dispatch != HOME else r.choice(("CN", "IN", "DE", "US", "JP", HOME))
        goods = self.by_channel[channel]
        n_items = r.randint(1, 4) if channel == "cargo" else r.randint(1, 2)
        items = [
            self.item(i + 1, r.choice(goods), channel, currency, origin) for i in range(n_items)
        ]
        parties: list[dict[str, Any]]
        if channel == "cargo":
            consignor = {
                "role": "consignor",
                "name": company_name(r, dispatch),
                "country": dispatch,
            }
            consignee = {"role": "consignee", "name": company_name(r, dest), "country": dest}
            parties = [consignor, consignee]
            if r.random() < 0.6:
                parties.append(
                    {"role": "declarant", "name": forwarder_name(r, HOME), "country": HOME}
                )
            if procedure in ("export", "reexport") and r.random() < 0.3:
                parties.append({"role": "end_user", "name": consignee["name"], "country": dest})
        else:
            seller_country = dispatch if dispatch != HOME else "CN"
            parties = [
                {"role": "consignor", "name": company_name(r, seller_country), "country": dispatch},
                {"role": "consignee", "name": person_name(r), "country": dest},
            ]
        decl: dict[str, Any] = {
            "declaration_id": self._next_id(procedure, channel),
            "procedure": procedure,
            "channel": channel,
            "lodged_at": self.lodged(),
            "office": r.choice(OFFICES),
            "parties": parties,
            "country_of_dispatch": dispatch,
            "country_of_destination": dest,
            "itinerary": itinerary,
            "transport": self._transport(mode),
            "payment": {"method": r.choice(("wire", "wire", "letter_of_credit", "card"))}
            if channel == "cargo"
            else {"method": "card"},
            "items": items,
        }
        if procedure in ("ftz_entry", "ftz_exit"):
            decl["ftz"] = {
                "zone_id": r.choice(FREE_ZONES),
                "operator_id": f"OP-{r.randint(1, 400)}",
            }
        return decl

    def _transport(self, mode: str) -> dict[str, Any]:
        r = self.rng
        if mode == "sea":
            owner = r.choice(("MSCU", "MAEU", "CMAU", "COSU", "HLCU"))
            return {
                "mode": "sea",
                "means_id": f"IMO{r.randint(9000000, 9899999)}",
                "document_id": f"{owner}{r.randint(100000000, 999999999)}",
                "containers": [
                    f"{owner}{r.randint(1000000, 9999999)}" for _ in range(r.randint(1, 3))
                ],
            }
        if mode == "air":
            return {
                "mode": "air",
                "document_id": f"{r.randint(100, 999)}-{r.randint(10000000, 99999999)}",
            }
        if mode == "road":
            return {"mode": "road", "document_id": f"CMR{r.randint(100000, 999999)}"}
        return {"mode": "post", "document_id": f"RR{r.randint(100000000, 999999999)}AE"}

    # --- planted scenarios -------------------------------------------------------------

    def planted(self) -> tuple[dict[str, Any], dict[str, Any]]:
        kind = self.rng.choices(self._scen, self._scen_w)[0]
        decl, scenarios = getattr(self, f"_plant_{kind}")()
        if kind != "listed_wallet" and self.wallets and self.rng.random() < 0.08:
            scenarios += self._add_wallet(decl, listed=True)
        elif self.rng.random() < 0.08:
            scenarios += self._add_wallet(decl, listed=False)
        return decl, {"declaration_id": decl["declaration_id"], "scenarios": scenarios}

    def _strategic_item(self, decl: dict[str, Any], g: Good | None = None) -> dict[str, Any]:
        g = g or self.rng.choice(self.strategic)
        item = self.item(1, g, "cargo", decl["items"][0]["currency"], decl["items"][0]["origin"])
        decl["items"] = [item] + [dict(i, line=i["line"] + 1) for i in decl["items"][:2]]
        return {"entry": g.entry, "hs_code": g.hs, "line": 1, "description": item["description"]}

    def _plant_listed_party(self) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        r = self.rng
        decl = self._declaration(
            r.choice(("export", "export", "transshipment", "reexport")), "cargo"
        )
        person = r.random() < 0.3 and bool(self.listed_persons)
        pool = self.listed_persons if person else self.listed_entities
        entry = r.choice(pool)
        declared, how = variant(r, entry.name, entry.is_person)
        role = (
            r.choice(("end_user", "buyer"))
            if person
            else r.choice(("consignee", "end_user", "consignee"))
        )
        party = {
            "role": role,
            "name": declared,
            "country": entry.country or decl["country_of_destination"],
        }
        if party["country"] not in iso_countries():
            party["country"] = decl["country_of_destination"]
        decl["parties"] = [p for p in decl["parties"] if p["role"] != role] + [party]
        return decl, [
            {
                "type": "listed_party",
                "role": role,
                "entry_id": entry.entry_id,
                "listed_name": entry.name,
                "declared_name": declared,
                "variant": how,
            }
        ]

    def _add_wallet(self, decl: dict[str, Any], listed: bool) -> list[dict[str, Any]]:
        r = self.rng
        if listed:
            w = r.choice(self.wallets)
            chain, address = w.chain, w.address
        else:
            chain = r.choice(("XBT", "ETH", "USDT"))
            address = (
                "0x" + "".join(r.choice("0123456789abcdef") for _ in range(40))
                if chain != "XBT"
                else "bc1q"
                + "".join(r.choice("023456789acdefghjklmnpqrstuvwxyz") for _ in range(38))
            )
        decl["payment"] = {"method": "crypto", "wallets": [{"chain": chain, "address": address}]}
        if listed:
            return [{"type": "listed_wallet", "chain": chain, "address": address}]
        return [{"type": "virtual_asset_payment", "chain": chain}]

    def _plant_listed_wallet(self) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        decl = self._declaration(self.rng.choice(("export", "import", "transshipment")), "cargo")
        return decl, self._add_wallet(decl, listed=True)

    def _plant_controlled_goods(self) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        r = self.rng
        dest = r.choice([*DIVERSION_HUBS, "IN", "PK", "EG", "SA", "IQ"])
        decl = self._declaration(
            r.choice(("export", "export", "reexport", "transshipment")), "cargo", dest
        )
        info = self._strategic_item(decl)
        return decl, [{"type": "controlled_goods", "licence": False, **info}]

    def _plant_embargoed_destination(self) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        r = self.rng
        dest = r.choice(SANCTIONED)
        decl = self._declaration(r.choice(("export", "reexport", "transshipment")), "cargo", dest)
        scen: list[dict[str, Any]] = [{"type": "embargoed_destination", "country": dest}]
        if r.random() < 0.5:
            scen.append(
                {"type": "controlled_goods", "licence": False, **self._strategic_item(decl)}
            )
        return decl, scen

    def _plant_diversion(self) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        r = self.rng
        hub = r.choice(DIVERSION_HUBS)
        final = r.choice(SANCTIONED)
        decl = self._declaration(r.choice(("export", "transshipment", "reexport")), "cargo", hub)
        decl["itinerary"] = (
            [decl["country_of_dispatch"], HOME, hub, final]
            if decl["country_of_dispatch"] != HOME
            else [HOME, hub, final]
        )
        decl["parties"] = [p for p in decl["parties"] if p["role"] != "end_user"] + [
            {"role": "end_user", "name": company_name(r, final), "country": final}
        ]
        scen: list[dict[str, Any]] = [{"type": "diversion", "via": hub, "end_user_country": final}]
        if r.random() < 0.6:
            scen.append(
                {"type": "controlled_goods", "licence": False, **self._strategic_item(decl)}
            )
        return decl, scen

    def _plant_ftz_diversion(self) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        r = self.rng
        final = r.choice([*SANCTIONED, "TR", "AM", "KZ"])
        decl = self._declaration(r.choice(("ftz_exit", "reexport")), "cargo", final)
        decl["ftz"] = {"zone_id": r.choice(FREE_ZONES), "operator_id": f"OP-{r.randint(1, 400)}"}
        info = self._strategic_item(decl)
        scen = [{"type": "ftz_diversion", "zone_id": decl["ftz"]["zone_id"], "destination": final}]
        scen.append({"type": "controlled_goods", "licence": False, **info})
        return decl, scen

    def _plant_licence_misuse(self) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        r = self.rng
        dest = r.choice([*DIVERSION_HUBS, "IN", "SA"])
        decl = self._declaration("export", "cargo", dest)
        info = self._strategic_item(decl)
        licence = f"AE-DU-{r.choice((2023, 2024, 2025))}-{r.randint(1, 9999):04d}"
        decl["documents"] = [{"type": "licence", "id": licence, "line": 1}]
        return decl, [
            {"type": "licence_misuse", "licence_id": licence, "detail": "licence not in registry"},
            {"type": "controlled_goods", "licence": True, **info},
        ]

    def _plant_misclassification(self) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        r = self.rng
        m = r.choice(self.misdeclared)
        decl = self._declaration(
            r.choice(("export", "reexport", "transshipment")), "cargo", r.choice(DIVERSION_HUBS)
        )
        first = decl["items"][0]
        first.update({"hs_code": m.hs, "description": m.desc})
        first.pop("cas", None)
        vague = len(m.desc.split()) <= 2
        return decl, [
            {
                "type": "vague_description" if vague else "misclassification",
                "entry": m.entry,
                "hs_code": m.hs,
                "line": 1,
                "description": m.desc,
            }
        ]

    def _plant_ecommerce_controlled(self) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        r = self.rng
        decl = self._declaration(r.choice(("export", "import")), "ecommerce")
        cheap = [g for g in self.strategic if g.value[0] < 10000]
        g = r.choice(cheap)
        item = self.item(1, g, "ecommerce", "USD", decl["items"][0]["origin"])
        decl["items"] = [item]
        return decl, [
            {"type": "ecommerce_controlled", "entry": g.entry, "hs_code": g.hs, "line": 1}
        ]

    # --- the stream --------------------------------------------------------------------

    def __iter__(self) -> Iterator[tuple[dict[str, Any], dict[str, Any] | None]]:
        while True:
            if self.rng.random() < self.risky_share:
                yield self.planted()
            else:
                yield self.clean(), None


def generate(
    n: int,
    seed: int,
    mirror: Path | None = None,
    risky_share: float = 0.03,
    on_declaration: Callable[[int], None] | None = None,
) -> Iterator[tuple[dict[str, Any], dict[str, Any] | None]]:
    """The first `n` declarations of the seeded stream."""
    gen = SampleGenerator(seed, risky_share, mirror)
    for i, pair in enumerate(gen):
        if i >= n:
            return
        if on_declaration is not None:
            on_declaration(i + 1)
        yield pair
