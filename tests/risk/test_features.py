"""Derived features of a declaration as rule conditions see them."""

from __future__ import annotations

from typing import Any

from stce.risk.expr import Compiler
from stce.risk.features import EvalContext, describe, root_scope
from stce.risk.history import InMemoryHistory, party_key
from tests.risk.builders import decl, item


def value(text: str, history: InMemoryHistory | None = None, **overrides: Any) -> Any:
    fn = Compiler(root_scope({})).compile(text).fn
    ctx = EvalContext(decl(**overrides), [], history or InMemoryHistory(), 0, 30)
    return fn(ctx, None)


def test_route_features() -> None:
    assert value("route", itinerary=["AE", "AE", "OM", "DE"]) == ["AE", "OM", "DE"]
    assert value("route_stops", itinerary=["AE", "OM", "DE"]) == 1
    assert value("route_revisits", itinerary=["AE", "OM", "AE", "DE"]) is True
    assert value("route_revisits") is False


def test_trader_is_the_consignor_on_exports_and_the_consignee_on_imports() -> None:
    assert value("trader.name") == "Gulf Textiles LLC"
    assert value("trader.name", procedure="import") == "Berliner Mode GmbH"
    declarant_only = [{"role": "declarant", "name": "Broker AG", "country": "AE"}]
    assert value("trader.name", parties=declarant_only) == "Broker AG"


def test_payer_and_payment() -> None:
    assert value("payer_is_party") is None
    assert value("payer_is_party", payment={"payer": "berliner  mode gmbh."}) is True
    assert value("payer_is_party", payment={"payer": "Someone Else Ltd"}) is False
    assert value("payment_method", payment={"method": "CASH"}) == "cash"
    assert value("wallets.count()") == 0


def test_values_and_unit_values() -> None:
    items = [item("610910", value=100, net_mass_kg=10), item("620342", value=None, line=2)]
    assert value("total_value", items=items) == 100
    assert value("items.max(unit_value)", items=items) == 10
    h = InMemoryHistory(min_unit_values=1)
    h.add_unit_value("610910", "kg", 100.0)
    assert abs(value("items.max(unit_value_ratio)", h, items=items) - 0.1) < 1e-9
    assert abs(value("items.max(unit_value_deviation)", h, items=items) - 10) < 1e-9


def test_party_history_features() -> None:
    h = InMemoryHistory()
    h.add_party(party_key("Gulf Textiles LLC"), 4)
    h.add_offence(party_key("Berliner Mode GmbH"))
    assert value("consignor.previous", h) == 4
    assert value("parties.sum(offences)", h) == 1
    assert value("consignee.offences") == 0


def test_country_lists_are_available() -> None:
    assert value('"KP" in countries.un_arms_embargo') is True
    assert value('"AE" in countries.diversion_hubs') is True
    assert value('"DE" in countries.wmd_sanctioned') is False


def test_schema_is_documented() -> None:
    names = {n for n, _, _ in describe(root_scope({}))}
    assert {
        "hits[].code",
        "items[].unit_value_ratio",
        "trader.previous",
        "pair.recent_count",
    } <= names
    assert all(doc for _, _, doc in describe(root_scope({})))
