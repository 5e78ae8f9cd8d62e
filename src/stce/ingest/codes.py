"""Code lists a declaration is validated against: ISO 3166-1, ISO 4217, CAS check digits."""

from __future__ import annotations

from functools import cache

import pycountry

# User-assigned codes that customs systems use in practice (XK: Kosovo, per the European
# Commission and WCO practice; EU: the European Union as origin).
EXTRA_COUNTRIES = frozenset({"XK", "EU"})


@cache
def iso_countries() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes, plus the user-assigned codes customs uses (XK, EU)."""
    return frozenset(c.alpha_2 for c in pycountry.countries) | EXTRA_COUNTRIES


@cache
def iso_currencies() -> frozenset[str]:
    """ISO 4217 alphabetic codes."""
    return frozenset(c.alpha_3 for c in pycountry.currencies)


def cas_check_digit_ok(cas: str) -> bool:
    """True when the CAS Registry Number's last digit is its check digit.

    The check digit is the sum of the other digits, each multiplied by its position counted
    from the right (1-based), modulo 10 (CAS, "Check Digit Verification of CAS Registry Numbers").
    """
    parts = cas.split("-")
    if len(parts) != 3 or not all(p.isdigit() for p in parts) or len(parts[2]) != 1:
        return False
    body = parts[0] + parts[1]
    total = sum(int(d) * i for i, d in enumerate(reversed(body), start=1))
    return total % 10 == int(parts[2])
