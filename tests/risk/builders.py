"""Small builders for declarations and hits in risk tests."""

from __future__ import annotations

from typing import Any

from stce.model import Declaration, Hit, Severity


def decl(**overrides: Any) -> Declaration:
    """An ordinary export of cotton t-shirts from AE to DE, with `overrides` applied."""
    base: dict[str, Any] = {
        "declaration_id": "EX-1",
        "procedure": "export",
        "channel": "cargo",
        "lodged_at": "2026-11-10T10:00:00Z",
        "office": "AEJEA",
        "country_of_dispatch": "AE",
        "country_of_destination": "DE",
        "itinerary": ["AE", "DE"],
        "parties": [
            {"role": "consignor", "name": "Gulf Textiles LLC", "country": "AE"},
            {"role": "consignee", "name": "Berliner Mode GmbH", "country": "DE"},
        ],
        "payment": {"method": "wire"},
        "items": [
            {
                "line": 1,
                "hs_code": "610910",
                "description": "cotton t-shirts",
                "quantity": 1000,
                "unit": "PCE",
                "net_mass_kg": 200,
                "value": 5000,
                "currency": "USD",
            }
        ],
    }
    base.update(overrides)
    return Declaration.model_validate(base)


def item(hs: str, description: str = "goods", value: float = 5000, **kw: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "line": kw.pop("line", 1),
        "hs_code": hs,
        "description": description,
        "quantity": 10,
        "unit": "PCE",
        "net_mass_kg": 100,
        "value": value,
        "currency": "USD",
    }
    out.update(kw)
    return out


def hit(check: str, code: str, score: float = 1.0, **evidence: Any) -> Hit:
    return Hit(
        check=check,
        code=code,
        severity=Severity.HIGH,
        message=f"{check} {code}",
        score=score,
        evidence=evidence,
    )
