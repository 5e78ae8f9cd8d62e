from __future__ import annotations

import pytest
from pydantic import ValidationError

from stce.model import Declaration, Lane, PartyRole, Procedure

EXAMPLE = {
    "declaration_id": "EX-2026-000123",
    "procedure": "export",
    "channel": "cargo",
    "lodged_at": "2026-11-02T10:15:00Z",
    "office": "AEJEA",
    "parties": [
        {"role": "consignor", "name": "Acme Tools GmbH", "country": "DE", "address": "Berlin"},
        {"role": "consignee", "name": "Pars Trading FZE", "country": "AE"},
        {"role": "end_user", "name": "Kaveh Industrial Group", "country": "IR"},
    ],
    "country_of_dispatch": "DE",
    "country_of_destination": "AE",
    "itinerary": ["DE", "AE"],
    "transport": {
        "mode": "sea",
        "means_id": "IMO9187629",
        "document_id": "MSCU123456",
        "containers": ["MSCU1234567"],
    },
    "ftz": {"zone_id": "AE-JAFZ", "operator_id": "OP-77"},
    "payment": {"method": "crypto", "wallets": [{"chain": "ETH", "address": "0x" + "ab" * 20}]},
    "documents": [{"type": "licence", "id": "DE-DU-2026-0042"}],
    "items": [
        {
            "line": 1,
            "hs_code": "845710",
            "description": "5-axis CNC machining centre",
            "cas": None,
            "quantity": 1,
            "unit": "PCE",
            "net_mass_kg": 5400,
            "value": 410000,
            "currency": "EUR",
            "origin": "DE",
        }
    ],
}


def test_the_issue_example_parses() -> None:
    d = Declaration.model_validate(EXAMPLE)
    assert d.procedure is Procedure.EXPORT
    assert [p.role for p in d.parties_in(PartyRole.END_USER)] == [PartyRole.END_USER]
    assert d.payment is not None and d.payment.wallets[0].chain == "ETH"
    where = d.countries_of_concern()
    assert where["IR"] == ["parties[end_user].country"]
    assert "itinerary[1]" in where["AE"]


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("procedure",), "smuggling"),
        (("items", 0, "quantity"), -1),
        (("items", 0, "value"), -0.5),
        (("items", 0, "hs_code"), "84571"),
        (("items", 0, "cas"), "not-a-cas"),
        (("country_of_destination",), "IRN"),
        (("parties", 0, "role"), "smuggler"),
    ],
)
def test_shape_errors_are_refused(path: tuple[str | int, ...], value: object) -> None:
    import copy

    raw = copy.deepcopy(EXAMPLE)
    target: object = raw
    for key in path[:-1]:
        target = target[key]  # type: ignore[index]
    target[path[-1]] = value  # type: ignore[index]
    with pytest.raises(ValidationError):
        Declaration.model_validate(raw)


def test_unknown_fields_are_refused() -> None:
    with pytest.raises(ValidationError):
        Declaration.model_validate({**EXAMPLE, "secret_field": 1})


def test_lane_precedence() -> None:
    assert Lane.RED.rank > Lane.YELLOW.rank > Lane.BLUE.rank > Lane.GREEN.rank
    assert Lane.YELLOW.action == "documentary check"
