from __future__ import annotations

import copy
from typing import Any

from stce.model import Declaration, Hit, Severity
from stce.risk import CountryCheck, country_lists
from tests.model.test_declaration import EXAMPLE


def decl(**changes: Any) -> Declaration:
    d = copy.deepcopy(EXAMPLE)
    d["parties"] = [p for p in d["parties"] if p["role"] != "end_user"]
    d.update(changes)
    return Declaration.model_validate(d)


def hits(d: Declaration) -> list[Hit]:
    return CountryCheck().check([d])[0]


def codes(d: Declaration) -> list[str]:
    return [h.code for h in hits(d)]


def test_clean_export_is_quiet() -> None:
    assert hits(decl()) == []


def test_embargoed_destination() -> None:
    d = decl(country_of_destination="KP", itinerary=["DE", "KP"])
    (h,) = hits(d)
    assert h.code == "DESTINATION_EMBARGOED"
    assert h.severity is Severity.HIGH
    assert h.evidence["field"] == "country_of_destination"
    assert "1718" in h.evidence["note"]
    assert h.evidence["list_source"]


def test_sanctioned_destination_not_under_un_embargo() -> None:
    assert codes(decl(country_of_destination="RU", itinerary=["DE", "RU"])) == [
        "DESTINATION_SANCTIONED"
    ]


def test_targeted_embargo_is_a_weak_signal() -> None:
    (h,) = hits(decl(country_of_destination="IQ", itinerary=["DE", "IQ"]))
    assert h.severity is Severity.LOW


def test_end_user_elsewhere_than_destination() -> None:
    d = decl(
        parties=[
            *EXAMPLE["parties"][:2],
            {"role": "end_user", "name": "Kaveh Industrial Group", "country": "IR"},
        ]
    )
    (h,) = hits(d)
    assert h.code == "END_USER_COUNTRY_EMBARGOED"
    assert "Kaveh Industrial Group" in h.message
    assert h.evidence["field"] == "parties[end_user].country"


def test_route_through_embargoed_country_and_hub() -> None:
    d = decl(office="DEHAM", country_of_destination="AM", itinerary=["DE", "TR", "SY", "AM"])
    found = {h.code: h for h in hits(d)}
    assert found["ROUTE_EMBARGOED"].evidence["country"] == "SY"
    assert found["ROUTE_DIVERSION_HUB"].evidence["field"] == "itinerary[1]"


def test_hub_is_stronger_towards_sanctioned_end_user() -> None:
    base = {"office": "DEHAM", "country_of_destination": "KZ", "itinerary": ["DE", "TR", "KZ"]}
    (weak,) = hits(decl(**base))
    strong = [
        h
        for h in hits(
            decl(
                **base,
                parties=[
                    *EXAMPLE["parties"][:2],
                    {"role": "end_user", "name": "X", "country": "RU"},
                ],
            )
        )
        if h.code == "ROUTE_DIVERSION_HUB"
    ]
    assert weak.severity is Severity.LOW
    assert strong[0].severity is Severity.MEDIUM


def test_home_office_country_is_not_a_hub() -> None:
    d = decl(office="AEJEA", country_of_dispatch="CN", country_of_destination="SA",
             procedure="transshipment", itinerary=["CN", "AE", "SA"])  # fmt: skip
    assert hits(d) == []


def test_import_from_embargoed_origin() -> None:
    d = decl(procedure="import", country_of_dispatch="KP", country_of_destination="DE",
             itinerary=["KP", "DE"])  # fmt: skip
    assert codes(d) == ["ORIGIN_EMBARGOED"]


def test_every_list_cites_a_source() -> None:
    lists = country_lists()
    assert lists.version
    for lst in lists.lists.values():
        assert lst.source and lst.notes
        assert all(len(code) == 2 and code.isupper() for code in lst.notes)
