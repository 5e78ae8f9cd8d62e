"""Country names as lists spell them, resolved to ISO 3166-1 alpha-2 codes.

Why: declarations carry ISO codes, lists carry names ("Iran (Islamic Republic of)", "Korea,
North", "Congo, Democratic Republic of the"). rigour's territory database knows the variants.
A name that cannot be resolved is kept as written, so no information is lost.
"""

from __future__ import annotations

from functools import lru_cache

from rigour.territories import lookup_territory


@lru_cache(maxsize=4096)
def country_code(name: str) -> str | None:
    """ISO alpha-2 code (upper case) for a country name or code, or None when unknown."""
    cleaned = " ".join(name.split()).strip(" .;,")
    if not cleaned:
        return None
    territory = lookup_territory(cleaned)
    if territory is None:
        return None
    code = str(territory.code)
    if len(code) == 2 and code.isalpha():
        return code.upper()
    return None


def country_or_name(name: str) -> str | None:
    """The ISO code where the name resolves, else the cleaned name itself; None when empty."""
    cleaned = " ".join(name.split()).strip(" .;,")
    if not cleaned:
        return None
    return country_code(cleaned) or cleaned
