"""Every rule of the default pack: one case that makes it fire, one that keeps it quiet."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pytest

from stce.model import Hit
from stce.risk.history import InMemoryHistory, party_key
from stce.risk.pack import load_default_pack
from stce.risk.selectivity import RuleEngine
from tests.risk.builders import decl, hit, item

PACK = load_default_pack()
SENS = [item("293141", "dimethyl methylphosphonate (DMMP), 99%")]
LODGED = datetime(2026, 11, 10, 10, 0)


@dataclass
class Case:
    decl: dict[str, Any] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)
    history: Callable[[InMemoryHistory], None] | None = None


def parties(*extra: dict[str, Any], consignee: str = "Berliner Mode GmbH", country: str = "DE"):  # type: ignore[no-untyped-def]
    return [
        {"role": "consignor", "name": "Gulf Textiles LLC", "country": "AE"},
        {"role": "consignee", "name": consignee, "country": country},
        *extra,
    ]


def seen(n: int) -> Callable[[InMemoryHistory], None]:
    def setup(h: InMemoryHistory) -> None:
        h.seen = n

    return setup


def known_trader(h: InMemoryHistory) -> None:
    h.seen = 5000
    h.add_party(party_key("Gulf Textiles LLC"), 12)


def offences(h: InMemoryHistory) -> None:
    h.add_offence(party_key("Berliner Mode GmbH"))


def usual_unit_values(h: InMemoryHistory) -> None:
    for v in (20, 22, 25, 27, 30) * 4:
        h.add_unit_value("610910", "kg", v)


def pair(n: int, days_ago: int) -> Callable[[InMemoryHistory], None]:
    def setup(h: InMemoryHistory) -> None:
        for i in range(n):
            h.add_pair(
                party_key("Gulf Textiles LLC"),
                party_key("Berliner Mode GmbH"),
                LODGED - timedelta(days=days_ago, hours=i),
                100.0,
            )

    return setup


def c(**kw: Any) -> Case:
    hits = kw.pop("hits", [])
    history = kw.pop("history", None)
    return Case(kw, hits, history)


G = "goods"
CASES: dict[str, tuple[Case, Case]] = {
    "PARTY_LISTED_STRONG": (
        c(hits=[hit("parties", "PARTY_LISTED", 0.95)]),
        c(hits=[hit("parties", "PARTY_LISTED", 0.85)]),
    ),
    "PARTY_LISTED": (
        c(hits=[hit("parties", "PARTY_LISTED", 0.85)]),
        c(hits=[hit("parties", "PARTY_POSSIBLE_MATCH", 0.85)]),
    ),
    "PARTY_POSSIBLE_MATCH": (c(hits=[hit("parties", "PARTY_POSSIBLE_MATCH", 0.7)]), c()),
    "WALLET_LISTED": (
        c(hits=[hit("parties", "WALLET_LISTED")]),
        c(hits=[hit("parties", "PARTY_LISTED")]),
    ),
    "VESSEL_LISTED": (
        c(hits=[hit("parties", "VESSEL_LISTED")]),
        c(hits=[hit("parties", "VESSEL_NAME_MATCH", 0.9)]),
    ),
    "VESSEL_NAME_MATCH": (
        c(hits=[hit("parties", "VESSEL_NAME_MATCH", 0.85)]),
        c(hits=[hit("parties", "PARTY_LISTED", 0.85)]),
    ),
    "PARTY_COUNTRY_SANCTIONED": (
        c(hits=[hit("countries", "PARTY_COUNTRY_SANCTIONED", country="IR")]),
        c(hits=[hit("countries", "ROUTE_DIVERSION_HUB", country="TR")]),
    ),
    "CAS_SCHEDULE_1": (
        c(hits=[hit(G, "GOODS_CAS_SCHEDULED", control_entries=["1C350", "CWC-1A"])]),
        c(hits=[hit(G, "GOODS_CAS_SCHEDULED", control_entries=["CWC-2B"], schedule="2")]),
    ),
    "CAS_SCHEDULED": (
        c(hits=[hit(G, "GOODS_CAS_SCHEDULED", schedule="3")]),
        c(hits=[hit(G, "GOODS_STRATEGIC")]),
    ),
    "GOODS_STRATEGIC": (
        c(hits=[hit(G, "GOODS_STRATEGIC")]),
        c(hits=[hit(G, "GOODS_HS_WATCHLIST")]),
    ),
    "HS_WATCHLIST": (c(hits=[hit(G, "GOODS_HS_WATCHLIST", 0.2)]), c()),
    "VAGUE_DESCRIPTION_SENSITIVE": (
        c(items=[item("848520", "spare parts")]),
        c(items=[item("848520", "industrial 3D printer, laser sintering")]),
    ),
    "DESCRIPTION_HS_MISMATCH": (
        c(hits=[hit(G, "GOODS_MISCLASSIFIED")]),
        c(hits=[hit(G, "GOODS_STRATEGIC")]),
    ),
    "HS_2017_ONLY_SENSITIVE": (
        c(items=SENS, hits=[hit("validation", "HS_2017_ONLY")]),
        c(hits=[hit("validation", "HS_2017_ONLY")]),
    ),
    "CONTROLLED_TO_EMBARGOED": (
        c(
            hits=[
                hit(G, "GOODS_STRATEGIC"),
                hit("countries", "DESTINATION_EMBARGOED", list="un_arms_embargo"),
            ]
        ),
        c(
            hits=[
                hit(G, "GOODS_STRATEGIC"),
                hit("countries", "DESTINATION_EMBARGOED", list="un_arms_embargo_targeted"),
            ]
        ),
    ),
    "EMBARGOED_DESTINATION": (
        c(hits=[hit("countries", "END_USER_COUNTRY_EMBARGOED", list="wmd_sanctioned")]),
        c(hits=[hit("countries", "DESTINATION_EMBARGOED", list="un_arms_embargo_targeted")]),
    ),
    "TARGETED_EMBARGO_DESTINATION": (
        c(hits=[hit("countries", "DESTINATION_EMBARGOED", list="un_arms_embargo_targeted")]),
        c(hits=[hit("countries", "DESTINATION_EMBARGOED", list="un_arms_embargo")]),
    ),
    "SANCTIONED_DESTINATION": (
        c(hits=[hit("countries", "DESTINATION_SANCTIONED", list="wmd_sanctioned")]),
        c(hits=[hit("countries", "DESTINATION_EMBARGOED", list="un_arms_embargo")]),
    ),
    "ORIGIN_EMBARGOED": (c(hits=[hit("countries", "ORIGIN_EMBARGOED")]), c()),
    "ROUTE_EMBARGOED": (
        c(hits=[hit("countries", "ROUTE_EMBARGOED")]),
        c(hits=[hit("countries", "ROUTE_DIVERSION_HUB")]),
    ),
    "SANCTIONED_DESTINATION_SENSITIVE": (
        c(items=SENS, hits=[hit("countries", "DESTINATION_SANCTIONED")]),
        c(hits=[hit("countries", "DESTINATION_SANCTIONED")]),
    ),
    "CONTROLLED_NO_LICENCE": (
        c(hits=[hit("licences", "LICENCE_MISSING")]),
        c(hits=[hit("licences", "LICENCE_NOT_FOUND")]),
    ),
    "LICENCE_DOCUMENT_ABSENT": (
        c(items=SENS),
        c(items=SENS, documents=[{"type": "licence", "id": "AE-DU-2026-0001", "line": 1}]),
    ),
    "LICENCE_INVALID": (
        c(hits=[hit("licences", "LICENCE_NOT_VALID")]),
        c(hits=[hit("licences", "LICENCE_MISSING")]),
    ),
    "LICENCE_PARTIES_MISMATCH": (
        c(hits=[hit("licences", "LICENCE_END_USER_MISMATCH")]),
        c(hits=[hit("licences", "LICENCE_BALANCE_EXCEEDED")]),
    ),
    "LICENCE_SCOPE_EXCEEDED": (
        c(hits=[hit("licences", "LICENCE_BALANCE_EXCEEDED")]),
        c(hits=[hit("licences", "LICENCE_HOLDER_MISMATCH")]),
    ),
    "REEXPORT_CONTROLLED_NO_LICENCE": (
        c(hits=[hit("movements", "REEXPORT_CONTROLLED_NO_LICENCE")]),
        c(hits=[hit("movements", "CHAIN_DWELL_UNUSUAL")]),
    ),
    "CHAIN_ALTERED": (
        c(hits=[hit("movements", "CHAIN_RELABELLED")]),
        c(hits=[hit("movements", "CHAIN_QUANTITY_CHANGED")]),
    ),
    "CHAIN_ONWARD_SENSITIVE": (
        c(hits=[hit("movements", "CHAIN_DESTINATION_SENSITIVE", country="IR")]),
        c(hits=[hit("movements", "CHAIN_DESTINATION_CHANGED", country="IR")]),
    ),
    "CHAIN_IRREGULAR": (
        c(hits=[hit("movements", "CHAIN_DWELL_UNUSUAL")]),
        c(hits=[hit("movements", "CHAIN_CONSIGNEE_CHANGED")]),
    ),
    "TRANSIT_NOT_EXITED": (c(hits=[hit("movements", "TRANSIT_NOT_EXITED")]), c()),
    "END_USER_FREE_ZONE": (
        c(
            items=SENS,
            parties=parties(
                {
                    "role": "end_user",
                    "name": "Orion Industrial",
                    "country": "AE",
                    "address": "Plot S10, Jebel Ali Free Zone, Dubai",
                }
            ),
        ),
        c(
            items=SENS,
            parties=parties(
                {
                    "role": "end_user",
                    "name": "Orion Industrial",
                    "country": "DE",
                    "address": "12 Industriestrasse, Munich",
                }
            ),
        ),
    ),
    "FREE_ZONE_SENSITIVE_ENTRY": (
        c(items=SENS, procedure="ftz_entry", ftz={"zone_id": "AE-JAFZ"}),
        c(procedure="ftz_entry", ftz={"zone_id": "AE-JAFZ"}),
    ),
    "CONSIGNEE_INTERMEDIARY": (
        c(items=SENS, parties=parties(consignee="Silk Road Logistics FZE")),
        c(items=SENS),
    ),
    "NO_END_USER_SENSITIVE": (
        c(hits=[hit(G, "GOODS_STRATEGIC")]),
        c(
            hits=[hit(G, "GOODS_STRATEGIC")],
            parties=parties({"role": "end_user", "name": "Berliner Mode GmbH", "country": "DE"}),
        ),
    ),
    "MILITARY_END_USER": (
        c(
            items=SENS,
            parties=parties({"role": "end_user", "name": "Ministry of Defence Procurement"}),
        ),
        c(items=SENS, parties=parties({"role": "end_user", "name": "Munich Chemical Works"})),
    ),
    "CONTACT_OTHER_COUNTRY": (
        c(items=SENS, parties=parties(country="TR")),
        c(items=SENS),
    ),
    "BUYER_COUNTRY_DIFFERS": (
        c(
            items=SENS,
            parties=parties(
                {"role": "buyer", "name": "Orion Holdings", "country": "CY"},
                {"role": "end_user", "name": "Berliner Mode GmbH", "country": "DE"},
            ),
        ),
        c(
            items=SENS,
            parties=parties(
                {"role": "buyer", "name": "Orion Holdings", "country": "DE"},
                {"role": "end_user", "name": "Berliner Mode GmbH", "country": "DE"},
            ),
        ),
    ),
    "NEW_TRADER_SENSITIVE": (
        c(items=SENS, history=seen(5000)),
        c(items=SENS, history=known_trader),
    ),
    "PREVIOUS_OFFENCES": (c(history=offences), c()),
    "UNIT_VALUE_OUTLIER": (
        c(items=[item("610910", value=50, net_mass_kg=200)], history=usual_unit_values),
        c(items=[item("610910", value=5000, net_mass_kg=200)], history=usual_unit_values),
    ),
    "DIVERSION_HUB_SENSITIVE": (
        c(items=SENS, hits=[hit("countries", "ROUTE_DIVERSION_HUB", country="TR")]),
        c(items=SENS, hits=[hit("countries", "ROUTE_DIVERSION_HUB", country="DE")]),
    ),
    "ROUTE_BEYOND_DESTINATION": (
        c(country_of_destination="TR", itinerary=["AE", "TR", "IR"]),
        c(),
    ),
    "DESTINATION_DIVERSION_HUB_SENSITIVE": (
        c(items=SENS, country_of_destination="TR", itinerary=["AE", "TR"]),
        c(items=SENS),
    ),
    "CIRCUITOUS_ROUTE": (
        c(itinerary=["AE", "OM", "TR", "DE"]),
        c(itinerary=["AE", "OM", "DE"]),
    ),
    "CASH_PAYMENT": (c(payment={"method": "Cash"}), c()),
    "VIRTUAL_ASSET_PAYMENT": (
        c(payment={"method": "wire", "wallets": [{"chain": "XBT", "address": "bc1q" + "a" * 38}]}),
        c(),
    ),
    "PAYER_NOT_PARTY": (
        c(payment={"method": "wire", "payer": "Orion Holdings Ltd"}),
        c(payment={"method": "wire", "payer": "BERLINER MODE GMBH"}),
    ),
    "ECOMMERCE_SENSITIVE": (c(channel="ecommerce", items=SENS), c(channel="ecommerce")),
    "ECOMMERCE_LOW_VALUE_SENSITIVE": (
        c(channel="ecommerce", items=[item("293141", "DMMP", value=120)]),
        c(channel="ecommerce", items=[item("293141", "DMMP", value=5000)]),
    ),
    "SPLIT_SHIPMENTS_SENSITIVE": (
        c(items=SENS, history=pair(3, 2)),
        c(items=SENS, history=pair(3, 40)),
    ),
    "SPLIT_LOW_VALUE_PARCELS": (
        c(channel="ecommerce", items=[item("610910", value=100)], history=pair(5, 1)),
        c(channel="ecommerce", items=[item("610910", value=100)], history=pair(4, 1)),
    ),
}


def fired(case: Case) -> set[str]:
    history = InMemoryHistory()
    if case.history is not None:
        case.history(history)
    engine = RuleEngine(PACK, history, learn=False, random_rate=0.0)
    return {f.rule.id for f in engine.evaluate(decl(**case.decl), case.hits)}


def test_default_pack_is_large_and_sourced() -> None:
    assert len(PACK.rules) >= 30
    for r in PACK.rules:
        assert r.spec.source, r.id
        assert r.spec.rationale, r.id
        assert r.spec.weight is not None or r.spec.lane is not None


def test_every_rule_has_a_firing_and_a_quiet_case() -> None:
    assert set(CASES) == {r.id for r in PACK.rules}


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_fires(rule_id: str) -> None:
    assert rule_id in fired(CASES[rule_id][0])


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_stays_quiet(rule_id: str) -> None:
    assert rule_id not in fired(CASES[rule_id][1])


def test_a_plain_declaration_fires_nothing() -> None:
    assert fired(Case()) == set()


def test_history_rules_are_quiet_with_an_empty_history() -> None:
    # New trader, unit value and splitting need history: an empty one never fires them.
    got = fired(c(items=SENS, channel="ecommerce"))
    assert not got & {"NEW_TRADER_SENSITIVE", "UNIT_VALUE_OUTLIER", "SPLIT_SHIPMENTS_SENSITIVE"}


def test_weak_watch_list_hits_do_not_make_goods_sensitive() -> None:
    # A broad watch-list heading (e.g. computers) scored low by the goods check is no reason
    # to treat a parcel as sensitive; a strong one is.
    weak = fired(c(channel="ecommerce", hits=[hit(G, "GOODS_HS_WATCHLIST", 0.3)]))
    strong = fired(c(channel="ecommerce", hits=[hit(G, "GOODS_HS_WATCHLIST", 0.8)]))
    assert "ECOMMERCE_SENSITIVE" not in weak and "HS_WATCHLIST" in weak
    assert "ECOMMERCE_SENSITIVE" in strong


def test_explanations_name_what_made_each_rule_fire() -> None:
    engine = RuleEngine(PACK, InMemoryHistory(), learn=False, random_rate=0.0)
    a = engine.assess(decl(channel="ecommerce", items=SENS), [])
    lines = {ln.split(" [")[0].lstrip("- "): ln for ln in a.explanation.splitlines()[1:]}
    assert "because item 1 (293141)" in lines["ECOMMERCE_SENSITIVE"]
    assert "because item 1 (293141)" in lines["HS_WATCHLIST"]
    listed = engine.assess(decl(), [hit("parties", "PARTY_LISTED", 0.97, party_role="consignee")])
    assert listed.lane.value == "red"
    assert "PARTY_LISTED_STRONG" in listed.explanation
    assert "because parties/PARTY_LISTED 0.97" in listed.explanation
