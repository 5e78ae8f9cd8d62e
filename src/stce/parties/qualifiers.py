"""Secondary evidence: country, birth date and identifiers nudge a name score, never make one.

Why: a shared birth date or country says little on its own (the "birth date alone scored 85 %"
complaint), but a contradicting birth year is good reason to doubt a name match and a shared
IMO number is good reason to trust it. Adjustments are small, and a positive one only applies
to a name that already reached `MIN_NAME_FOR_BOOST`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stce.model import ListEntry

COUNTRY_MATCH = 0.03
COUNTRY_MISMATCH = -0.08
BIRTH_MATCH = 0.04
BIRTH_MISMATCH = -0.15
IDENTIFIER_MATCH = 0.15
MIN_NAME_FOR_BOOST = 0.6
"""Boosts apply only from this name score up: secondary evidence is never the only evidence."""
MAX_BOOST = COUNTRY_MATCH + BIRTH_MATCH + IDENTIFIER_MATCH
"""Most the qualifiers together can add to a name score."""

_NON_ALNUM = re.compile(r"[^0-9A-Za-z]+")
_YEAR = re.compile(r"^(\d{4})(?:-(\d{2})-(\d{2}))?$")


@dataclass(frozen=True, slots=True)
class Adjustment:
    delta: float
    notes: tuple[str, ...]


def normalise_identifier(value: str) -> str:
    return _NON_ALNUM.sub("", value).upper()


def _identifier_forms(value: str) -> set[str]:
    v = normalise_identifier(value)
    forms = {v} if v else set()
    digits = "".join(ch for ch in v if ch.isdigit())
    if len(digits) >= 7:
        forms.add(digits)
    return forms


def adjust(
    entry: ListEntry,
    name_score: float,
    country: str | None,
    birth_date: str | None,
    identifier: str | None,
) -> Adjustment:
    """Score change from the party's country, birth date and identifier against `entry`."""
    delta = 0.0
    notes: list[str] = []
    boost_ok = name_score >= MIN_NAME_FOR_BOOST
    if country:
        listed = {c.upper() for c in (*entry.countries, *entry.nationalities)}
        listed |= {a.country.upper() for a in entry.addresses if a.country}
        if listed:
            if country.upper() in listed:
                if boost_ok:
                    delta += COUNTRY_MATCH
                notes.append(f"country {country.upper()} listed")
            else:
                delta += COUNTRY_MISMATCH
                notes.append(f"country {country.upper()} not among {','.join(sorted(listed))}")
    if birth_date and entry.birth_dates:
        m = _YEAR.match(birth_date.strip())
        if m:
            year = int(m.group(1))
            full = birth_date.strip() if m.group(2) else None
            agree = False
            for bd in entry.birth_dates:
                if bd.exact is not None:
                    same = (
                        bd.exact.isoformat() == full if full is not None else bd.exact.year == year
                    )
                    near = bd.approximate and abs(bd.exact.year - year) <= 1
                    agree = agree or same or near
                elif bd.year is not None:
                    agree = agree or abs(bd.year - year) <= (1 if bd.approximate else 0)
                elif bd.year_from is not None or bd.year_to is not None:
                    lo = bd.year_from or year
                    hi = bd.year_to or year
                    agree = agree or lo <= year <= hi
            if agree:
                if boost_ok:
                    delta += BIRTH_MATCH
                notes.append(f"birth date {birth_date} agrees")
            else:
                delta += BIRTH_MISMATCH
                notes.append(f"birth date {birth_date} differs from the listed one")
    if identifier and entry.identifiers:
        mine = _identifier_forms(identifier)
        for ident in entry.identifiers:
            if mine & _identifier_forms(ident.value):
                if boost_ok:
                    delta += IDENTIFIER_MATCH
                notes.append(f"identifier {ident.type} {ident.value} matches")
                break
    return Adjustment(delta, tuple(notes))
