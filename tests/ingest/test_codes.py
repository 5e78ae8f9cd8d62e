from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from stce.ingest.codes import cas_check_digit_ok, iso_countries, iso_currencies


def test_real_cas_numbers_pass() -> None:
    for cas in ("102-71-6", "756-79-6", "7719-12-2", "10025-87-3", "111-48-8", "7732-18-5"):
        assert cas_check_digit_ok(cas), cas


def test_wrong_check_digit_fails() -> None:
    assert not cas_check_digit_ok("102-71-5")
    assert not cas_check_digit_ok("7732-18-4")
    assert not cas_check_digit_ok("7732-18")


@given(st.integers(min_value=10, max_value=9_999_999))
def test_exactly_one_check_digit_is_valid(body: int) -> None:
    digits = str(body)
    head, mid = digits[:-2], digits[-2:]
    valid = [d for d in range(10) if cas_check_digit_ok(f"{head or '0'}-{mid}-{d}")]
    assert len(valid) == 1


def test_code_lists() -> None:
    assert {"DE", "IR", "KP", "AE", "XK"} <= iso_countries()
    assert "ZZ" not in iso_countries()
    assert {"EUR", "USD", "AED"} <= iso_currencies()
    assert "XYZ" not in iso_currencies()
