"""CAS check digits, normalisation and the technical-parameter parser."""

from __future__ import annotations

import pytest

from stce.goods.cas import find_cas, is_valid_cas
from stce.goods.quantities import parse_quantities
from stce.goods.text import compact, tokens


@pytest.mark.parametrize(
    ("cas", "ok"),
    [
        ("102-71-6", True),
        ("7664-39-3", True),
        ("2387496-04-8", True),
        ("102-71-7", False),
        ("10271-6", False),
        ("abc", False),
    ],
)
def test_cas_check_digit(cas: str, ok: bool) -> None:
    assert is_valid_cas(cas) is ok


def test_find_cas_in_text_reports_validity() -> None:
    assert find_cas("TEA (CAS 102-71-6) and 102-71-7; lot 2024-01-15") == [
        ("102-71-6", True),
        ("102-71-7", False),
    ]


def test_spelling_variants_meet() -> None:
    assert tokens("Sulphur Mustard") == tokens("sulfur mustards")
    assert tokens("carbon fibre") == tokens("Carbon Fibers")
    assert tokens("lyophiliser") == tokens("lyophilizer")
    assert tokens("armoured") == tokens("armored")
    assert compact(tokens("N,N-Diisopropyl-2-aminoethanol")) == compact(
        tokens("N,N-diisopropylaminoethanol")
    )


@pytest.mark.parametrize(
    ("text", "dim", "value"),
    [
        ("5-axis machining centre", "axes", 5.0),
        ("five-axis simultaneous", "axes", 5.0),
        ("purity 99.9 %", "percent", 99.9),
        ("99,95% Ni", "percent", 99.95),
        (">= 50 kHz", "frequency", 50_000.0),
        ("1,500 MPa tensile", "pressure", 1.5e9),
        ("ultimate vacuum 13 mPa", "pressure", 0.013),
        ("range 100 torr", "pressure", 13332.2),
        ("operating at 850 °C", "temperature", 1123.15),
        ("OD 200 mm", "length", 0.2),
        ("20 kV output", "voltage", 20_000.0),
    ],
)
def test_quantities(text: str, dim: str, value: float) -> None:
    q = [x for x in parse_quantities(text) if x.dimension == dim]
    assert q, parse_quantities(text)
    assert q[-1].value == pytest.approx(value, rel=1e-4)


def test_range_gives_both_ends_but_not_zero() -> None:
    vals = [q.value for q in parse_quantities("600-2000 Hz")]
    assert vals == [600.0, 2000.0]
    assert [q.value for q in parse_quantities("0-10 torr")] == pytest.approx([1333.22])


def test_no_numbers_no_quantities() -> None:
    assert parse_quantities("stainless steel cutlery") == []
