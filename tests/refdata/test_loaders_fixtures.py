"""Loaders of formats with no real copy in the mirror, on fixtures written in their layout."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from stce.model.list_entry import EntryKind, ListEntry, NameQuality
from stce.refdata import ListFormatError, iter_entries, recognise

FIXTURES = Path(__file__).parent / "fixtures"


def _by_key(path: Path) -> dict[str, ListEntry]:
    return {e.source_key: e for e in iter_entries(path)}


def test_eu_fsf_xml() -> None:
    path = FIXTURES / "eu_fsf_sample.xml"
    src = recognise(path)
    assert src is not None and src.source == "eu-fsf"
    assert src.publication(path) == (date(2026, 11, 20), "file")
    entries = _by_key(path)
    assert set(entries) == {"900101", "900202", "900303"}
    company = entries["900101"]
    assert company.kind is EntryKind.ORGANISATION
    assert company.programmes == ["RUS"]
    assert company.names[0].full == "Kestrel Precision Instruments LLC"
    assert company.names[0].quality is NameQuality.PRIMARY
    assert [n.script for n in company.names] == ["Latn", "Cyrl", "Latn"]
    assert company.names[2].quality is NameQuality.WEAK  # strong="false"
    assert company.countries == ["RU"]
    assert any(i.type == "registration" and i.value == "1157746123456" for i in company.identifiers)
    person = entries["900202"]
    assert person.kind is EntryKind.PERSON
    assert person.nationalities == ["KP"]
    assert person.birth_dates[0].exact == date(1971, 3, 14)
    assert person.birth_dates[1].year == 1972 and person.birth_dates[1].approximate
    assert {"passport", "eu_reference", "un_reference"} <= {i.type for i in person.identifiers}
    assert person.listed_on == date(2017, 8, 5)


def test_uk_full_csv_merges_rows_by_unique_id() -> None:
    path = FIXTURES / "uk_full_sample.csv"
    src = recognise(path)
    assert src is not None and src.source == "uk-fcdo" and "full CSV" in src.title
    assert src.publication(path)[0] == date(2026, 11, 20)
    entries = _by_key(path)
    assert set(entries) == {"RUS9001", "RUS9002", "DPR9003"}
    volkov = entries["RUS9001"]
    assert volkov.primary_name == "Arkady Petrovich VOLKOV"
    assert {n.full for n in volkov.names} == {
        "Arkady Petrovich VOLKOV",
        "Arkadi VOLKOFF",
        "Аркадий Петрович ВОЛКОВ",
    }
    assert volkov.birth_dates[0].exact == date(1968, 5, 12)
    assert volkov.nationalities == ["RU"]
    assert volkov.identifiers[0].type == "passport"
    works = entries["RUS9002"]
    assert works.names[1].quality is NameQuality.WEAK  # "Low quality" alias
    assert works.addresses[0].country == "RU"
    ship = entries["DPR9003"]
    assert ship.kind is EntryKind.VESSEL
    assert ship.identifiers[0].type == "imo" and ship.identifiers[0].value == "9123457"
    assert "SL" in ship.countries


def test_uk_full_xml() -> None:
    path = FIXTURES / "uk_full_sample.xml"
    src = recognise(path)
    assert src is not None and "full XML" in src.title
    assert src.publication(path)[0] == date(2026, 11, 20)
    entries = _by_key(path)
    assert entries["RUS9001"].addresses[0].country == "RU"
    assert entries["DPR9003"].listed_on == date(2017, 10, 3)
    assert entries["DPR9003"].identifiers[0].value == "9123457"


def test_ftm_entities_attach_sanctions_and_wallets() -> None:
    path = FIXTURES / "opensanctions_sample.ftm.json"
    src = recognise(path)
    assert src is not None and src.source == "ftm"
    entries = _by_key(path)
    assert "NK-test-sanction-1" not in entries and "NK-test-address-1" not in entries
    company = entries["NK-test-company-1"]
    assert company.programmes == ["DPRK"]
    assert company.listed_on == date(2019, 3, 21)
    assert company.wallets[0].address == "0xAbC0000000000000000000000000000000001234"
    person = entries["NK-test-person-1"]
    assert person.nationalities == ["KP"]
    assert [n.quality for n in person.names] == [
        NameQuality.PRIMARY,
        NameQuality.STRONG,
        NameQuality.WEAK,
    ]
    assert entries["NK-test-wallet-1"].kind is EntryKind.WALLET
    assert entries["NK-test-vessel-1"].countries == ["PA"]


def test_national_watchlist() -> None:
    path = FIXTURES / "national_watchlist.csv"
    src = recognise(path)
    assert src is not None and src.source == "watchlist"
    entries = _by_key(path)
    orion = entries["CASE-2026-0142"]
    assert orion.id == "watchlist:national_watchlist:CASE-2026-0142"
    assert orion.kind is EntryKind.ORGANISATION
    assert orion.names[2].full == "ODT" and orion.names[2].quality is NameQuality.WEAK
    assert orion.wallets[0].chain == "ETH"
    assert orion.identifiers[0].type == "registration"
    assert entries["CASE-2026-0199"].birth_dates[0].exact == date(1979, 4, 2)


def test_watchlist_bad_row_names_record_and_field(tmp_path: Path) -> None:
    path = tmp_path / "suspects.csv"
    path.write_text(
        "watchlist_id,name,kind,birth_date\nW1,Good Name,person,1980\nW2,Bad Date,person,soon\n",
        encoding="utf-8",
    )
    with pytest.raises(ListFormatError) as err:
        list(iter_entries(path))
    assert err.value.record == "W2" and err.value.field == "birth_date"


def test_unrecognised_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    assert recognise(path) is None
    with pytest.raises(ListFormatError, match="not a recognised"):
        list(iter_entries(path))
