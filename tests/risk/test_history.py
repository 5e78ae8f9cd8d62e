"""The engine's history: coverage, parties, unit values and consignment pairs."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from stce.risk.history import InMemoryHistory, consignment_pair, party_key
from tests.risk.builders import decl, item


def test_party_key_normalises_case_and_punctuation() -> None:
    assert party_key("ACME, Trading L.L.C.") == "acme trading l l c"
    assert party_key("  Acme   trading  ") == "acme trading"
    assert party_key("Société Générale") == "société générale"
    assert party_key("Ёлка—Трейд") == "ёлка трейд"


def test_empty_history_knows_nothing() -> None:
    h = InMemoryHistory()
    assert h.declarations() == 0
    assert h.party_declarations("x") == 0
    assert h.party_offences("x") == 0
    assert h.usual_unit_value("610910", "kg") is None
    assert h.pair_recent("a", "b", datetime(2026, 1, 1), 30) == (0, 0.0)


def test_observe_counts_parties_unit_values_and_pairs() -> None:
    h = InMemoryHistory(min_unit_values=3)
    for i in range(3):
        h.observe(
            decl(
                declaration_id=f"D{i}",
                lodged_at=f"2026-11-0{i + 1}T10:00:00Z",
                items=[item("610910", value=100.0 * (i + 1), net_mass_kg=10)],
            )
        )
    assert h.declarations() == 3
    assert h.party_declarations(party_key("Gulf Textiles LLC")) == 3
    usual = h.usual_unit_value("610910", "kg")
    assert usual is not None and abs(usual - (10 * 20 * 30) ** (1 / 3)) < 1e-9
    pair = consignment_pair(decl())
    assert pair == ("gulf textiles llc", "berliner mode gmbh")
    at = datetime(2026, 11, 3, 12)
    assert h.pair_recent(*pair, at, 30) == (3, 600.0)
    assert h.pair_recent(*pair, at, 1) == (1, 300.0)
    assert h.pair_recent(*pair, at + timedelta(days=60), 30) == (0, 0.0)


def test_too_few_unit_values_give_no_usual_value() -> None:
    h = InMemoryHistory(min_unit_values=20)
    for _ in range(19):
        h.add_unit_value("610910", "kg", 25.0)
    assert h.usual_unit_value("610910", "kg") is None
    h.add_unit_value("610910", "kg", 25.0)
    assert h.usual_unit_value("610910", "kg") == pytest.approx(25.0)
