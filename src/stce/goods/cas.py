"""CAS Registry Numbers: check-digit validation and extraction from free text.

Why: declarations carry CAS numbers typed by hand; a wrong check digit is either a typo or a
deliberate alteration, and either way must not silently match (or miss) a scheduled chemical.
"""

from __future__ import annotations

import re

from stce.ingest.codes import cas_check_digit_ok

CAS_PATTERN = re.compile(r"(?<![0-9-])([0-9]{2,7})-([0-9]{2})-([0-9])(?![0-9-])")


def is_valid_cas(cas: str) -> bool:
    """True when `cas` has the form NNNNNNN-NN-N and its check digit is right (the check digit
    arithmetic is the one declaration validation uses, `stce.ingest.codes.cas_check_digit_ok`)."""
    cas = cas.strip()
    return CAS_PATTERN.fullmatch(cas) is not None and cas_check_digit_ok(cas)


def find_cas(text: str) -> list[tuple[str, bool]]:
    """CAS-shaped numbers in `text` with whether each one's check digit is valid."""
    if "-" not in text:
        return []
    return [(m.group(0), is_valid_cas(m.group(0))) for m in CAS_PATTERN.finditer(text)]
