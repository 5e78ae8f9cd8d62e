"""Parsing of the free-text fields lists use for dates and names (shared by the CSV loaders)."""

from __future__ import annotations

import re
from datetime import date, datetime

from stce.model.list_entry import BirthDate

_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}
_DAY_MON_YEAR = re.compile(r"^(\d{1,2}) ([A-Za-z]{3})[a-z]* (\d{4})$")
_MON_YEAR = re.compile(r"^([A-Za-z]{3})[a-z]* (\d{4})$")
_YEAR = re.compile(r"^(\d{4})$")
_RANGE = re.compile(r"^(?:.*?)(\d{4}) (?:to|-) (?:.*?)(\d{4})$|^(\d{4})-(\d{4})$")


def parse_birth_date(text: str) -> BirthDate | None:
    """'01 Apr 1956', 'Apr 1956', '1962', 'circa 1979', '1962 to 1964',
    '01 Jan 1960 to 31 Dec 1962', 'circa 1979-1982' -> BirthDate; None when unreadable."""
    raw = " ".join(text.split()).strip(" .;,")
    approx = False
    if raw.lower().startswith("circa "):
        approx = True
        raw = raw[6:].strip()
    m = _DAY_MON_YEAR.match(raw)
    if m and m.group(2).lower() in _MONTHS:
        try:
            exact = date(int(m.group(3)), _MONTHS[m.group(2).lower()], int(m.group(1)))
        except ValueError:
            return BirthDate(year=int(m.group(3)), approximate=approx)
        return BirthDate(exact=exact, year=exact.year, approximate=approx)
    m = _MON_YEAR.match(raw)
    if m:
        return BirthDate(year=int(m.group(2)), approximate=approx)
    m = _YEAR.match(raw)
    if m:
        return BirthDate(year=int(m.group(1)), approximate=approx)
    m = _RANGE.match(raw)
    if m:
        lo = int(m.group(1) or m.group(3))
        hi = int(m.group(2) or m.group(4))
        return BirthDate(year_from=min(lo, hi), year_to=max(lo, hi), approximate=True)
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y"):
        try:
            exact = datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
        return BirthDate(exact=exact, year=exact.year, approximate=approx)
    return None


def parse_date(text: str, formats: tuple[str, ...]) -> date | None:
    """The first of `formats` that reads `text` (None for empty or unreadable)."""
    raw = text.strip()
    if not raw:
        return None
    for fmt in formats:
        try:
            return datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    return None


def last_first(name: str) -> tuple[str, dict[str, str]]:
    """OFAC writes individuals 'LAST, First'; return 'First LAST' and the parts."""
    if "," not in name:
        return name, {}
    last, first = (p.strip() for p in name.split(",", 1))
    if not first:
        return last, {"last": last}
    return f"{first} {last}", {"first": first, "last": last}
