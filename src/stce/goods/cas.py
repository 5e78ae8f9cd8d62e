"""CAS Registry Numbers: check-digit validation and extraction from free text.

Why: declarations carry CAS numbers typed by hand; a wrong check digit is either a typo or a
deliberate alteration, and either way must not silently match (or miss) a scheduled chemical.
"""

from __future__ import annotations

import re

CAS_PATTERN = re.compile(r"(?<![0-9-])([0-9]{2,7})-([0-9]{2})-([0-9])(?![0-9-])")


def cas_check_digit(body: str) -> int:
    """Check digit of the digits before the last hyphen (e.g. '10247' for 102-47-?)."""
    return sum(i * int(d) for i, d in enumerate(reversed(body), start=1)) % 10


def is_valid_cas(cas: str) -> bool:
    """True when `cas` has the form NNNNNNN-NN-N and its check digit is right."""
    m = CAS_PATTERN.fullmatch(cas.strip())
    if not m:
        return False
    return cas_check_digit(m.group(1) + m.group(2)) == int(m.group(3))


def find_cas(text: str) -> list[tuple[str, bool]]:
    """CAS-shaped numbers in `text` with whether each one's check digit is valid."""
    if "-" not in text:
        return []
    return [(m.group(0), is_valid_cas(m.group(0))) for m in CAS_PATTERN.finditer(text)]
