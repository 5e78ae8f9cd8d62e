"""Validation a customs system applies beyond shape: code lists, HS edition, CAS check digits.

Shape (types, patterns, enumerations, non-negative numbers) is checked by the pydantic models
in `stce.model`; this module checks membership in code lists and names the offending field.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import ValidationError

from stce.ingest.codes import cas_check_digit_ok, iso_countries, iso_currencies
from stce.model import Declaration, Hit, Severity
from stce.refdata.hs import HsNomenclature, HsStatus


@dataclass
class Problem:
    field: str
    reason: str


@dataclass
class Outcome:
    """Errors make the declaration a reject; warnings become `validation` hits."""

    errors: list[Problem] = field(default_factory=list)
    warnings: list[Hit] = field(default_factory=list)


def _loc(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out or "(record)"


def problems_from_pydantic(err: ValidationError, limit: int = 5) -> list[Problem]:
    """Turn pydantic's errors into (field, reason) pairs with readable field paths."""
    found: list[Problem] = []
    for e in err.errors(include_url=False, include_input=False)[:limit]:
        loc = tuple(p for p in e["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        msg = e["msg"]
        if e["type"] == "json_invalid":
            msg = f"not valid JSON ({e.get('ctx', {}).get('error', msg)})"
        found.append(Problem(_loc(loc), msg))
    return found


class DeclarationValidator:
    """Checks one declaration against the code lists; reuses them across a whole batch."""

    def __init__(self, hs: HsNomenclature | None) -> None:
        self.hs = hs
        self.countries = iso_countries()
        self.currencies = iso_currencies()

    def _country(self, code: str | None, where: str, out: Outcome) -> None:
        if code is not None and code not in self.countries:
            out.errors.append(Problem(where, f"unknown ISO 3166 country code {code!r}"))

    def _quick_ok(self, d: Declaration) -> bool:
        """True when every code is known and nothing needs a warning (the common case)."""
        codes = {d.country_of_dispatch, d.country_of_destination, *d.itinerary}
        codes.update(p.country for p in d.parties)
        lines = set()
        for item in d.items:
            codes.add(item.origin)
            lines.add(item.line)
            if item.currency is not None and item.currency not in self.currencies:
                return False
            if item.cas is not None and not cas_check_digit_ok(item.cas):
                return False
            if self.hs is not None and self.hs.status(item.hs_code) is not HsStatus.HS2022:
                return False
        codes.discard(None)
        return len(lines) == len(d.items) and codes <= self.countries

    def validate(self, d: Declaration) -> Outcome:
        out = Outcome()
        if self._quick_ok(d):
            return out
        self._country(d.country_of_dispatch, "country_of_dispatch", out)
        self._country(d.country_of_destination, "country_of_destination", out)
        for i, c in enumerate(d.itinerary):
            self._country(c, f"itinerary[{i}]", out)
        for i, p in enumerate(d.parties):
            self._country(p.country, f"parties[{i}].country", out)
        lines: set[int] = set()
        for i, item in enumerate(d.items):
            where = f"items[{i}]"
            if item.line in lines:
                out.errors.append(Problem(f"{where}.line", f"duplicate item line {item.line}"))
            lines.add(item.line)
            self._country(item.origin, f"{where}.origin", out)
            if item.currency is not None and item.currency not in self.currencies:
                out.errors.append(
                    Problem(f"{where}.currency", f"unknown ISO 4217 currency {item.currency!r}")
                )
            if item.cas is not None and not cas_check_digit_ok(item.cas):
                out.errors.append(
                    Problem(f"{where}.cas", f"CAS number {item.cas} fails its check digit")
                )
            if self.hs is not None:
                status = self.hs.status(item.hs_code)
                if status is HsStatus.UNKNOWN:
                    out.errors.append(
                        Problem(
                            f"{where}.hs_code",
                            f"{item.hs_code[:6]} is not an HS 2022 (or HS 2017) subheading",
                        )
                    )
                elif status is HsStatus.HS2017_ONLY:
                    successors = self.hs.successors(item.hs_code)
                    out.warnings.append(
                        Hit(
                            check="validation",
                            code="HS_2017_ONLY",
                            severity=Severity.LOW,
                            message=(
                                f"Item {item.line}: HS code {item.hs_code} is valid only in HS 2017"
                                + (
                                    f"; HS 2022 successors: {', '.join(successors)}"
                                    if successors
                                    else ""
                                )
                                + "."
                            ),
                            evidence={
                                "item_line": item.line,
                                "field": f"{where}.hs_code",
                                "hs_code": item.hs_code,
                                "hs2022_successors": successors,
                            },
                            declaration_id=d.declaration_id,
                        )
                    )
        return out
