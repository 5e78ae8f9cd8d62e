"""The OFAC Advanced loader on a small file in its layout (plain XML, no mirror needed)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from stce.model.list_entry import EntryKind, NameQuality
from stce.refdata import iter_entries, recognise

FIXTURES = Path(__file__).parent / "fixtures"


def test_small_advanced_file() -> None:
    path = FIXTURES / "sdn_advanced_small.xml"
    src = recognise(path)
    assert src is not None and src.source == "ofac-sdn"
    assert src.publication(path) == (date(2026, 11, 20), "file")
    person, company = list(iter_entries(path))
    assert person.id == "ofac-sdn:50" and person.kind is EntryKind.PERSON
    assert person.primary_name == "Reza KARIMI"
    assert person.names[0].parts == {"last": "KARIMI", "first": "Reza"}
    assert person.names[1].script == "Arab" and person.names[1].full == "رضا کریمی"
    assert person.names[2].full == "Abu Reza" and person.names[2].quality is NameQuality.WEAK
    assert person.birth_dates[0].year_from == 1970 and person.birth_dates[0].year_to == 1972
    assert person.nationalities == ["IR"]
    assert person.identifiers[0].type == "passport" and person.identifiers[0].country == "IR"
    assert person.wallets[0].chain == "ETH"
    assert person.programmes == ["NPWMD", "IFSR"] and person.listed_on == date(2021, 5, 4)
    assert company.kind is EntryKind.ORGANISATION
    assert company.addresses[0].full == "Dubai, United Arab Emirates"
    assert company.countries == ["AE"]
    assert company.links == ["ofac-sdn:50"]
