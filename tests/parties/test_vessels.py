"""Listed vessels found through `transport.means_id`: by IMO number, and by name."""

from __future__ import annotations

from itertools import islice

import pytest

from stce.config import get_settings
from stce.model import Declaration, EntryKind, ListEntry, ListIdentifier, ListName
from stce.parties.check import make_check
from stce.parties.index import NameIndex
from stce.parties.vessels import VesselIndex, find_imo, imo_check_digit_ok, parse_imo

SDN_ADVANCED = "sanctions/ofac/sdn_advanced/sdn_advanced.xml.bz2"


def decl(means_id: str | None, mode: str | None = "sea") -> Declaration:
    return Declaration.model_validate(
        {
            "declaration_id": "V1",
            "procedure": "export",
            "parties": [{"role": "consignor", "name": "Plain Exporter Ltd"}],
            "transport": {"mode": mode, "means_id": means_id},
            "items": [{"line": 1, "hs_code": "271019", "description": "gas oil"}],
        }
    )


def wrong_check_digit(imo: str) -> str:
    return imo[:6] + str((int(imo[6]) + 1) % 10)


def test_check_digit() -> None:
    # 9*7 + 0*6 + 7*5 + 4*4 + 7*3 + 2*2 = 139 -> 9
    assert imo_check_digit_ok("9074729")
    assert not imo_check_digit_ok("9074728")
    assert not imo_check_digit_ok("907472")
    assert not imo_check_digit_ok("90747290")
    assert not imo_check_digit_ok("90747a9")


def test_find_imo_inside_text() -> None:
    assert find_imo("MV OCEAN STAR (IMO 9074729)") == "9074729"
    assert find_imo("OCEAN STAR 9074729") == "9074729"
    assert find_imo("OCEAN STAR IMO 9074728") is None
    assert find_imo("container MSCU1234567") is None  # part of a longer code, not an IMO


def test_parse_imo_forms() -> None:
    for text in ("IMO 9074729", "imo9074729", "IMO: 9074729", "IMO No. 9074729", " 9074729 "):
        assert parse_imo(text) == "9074729", text
    assert parse_imo("IMO 9074728") is None
    assert parse_imo("MV OCEAN STAR") is None
    assert parse_imo("") is None
    assert parse_imo(None) is None


def test_company_imo_numbers_are_not_vessels() -> None:
    owner = ListEntry(
        id="t:owner",
        source="t",
        source_key="owner",
        kind=EntryKind.ORGANISATION,
        names=[ListName(full="Ocean Owners Ltd")],
        identifiers=[ListIdentifier(type="imo", value="9074729")],
    )
    ship = ListEntry(
        id="t:ship",
        source="t",
        source_key="ship",
        kind=EntryKind.VESSEL,
        names=[ListName(full="OCEAN STAR")],
        identifiers=[
            ListIdentifier(type="imo", value="IMO 9074729"),
            ListIdentifier(type="imo", value="IMO 1234568"),  # bad check digit on the list
        ],
    )
    idx = VesselIndex([owner, ship])
    assert len(idx) == 1
    assert [h.entry.id for h in idx.match("9074729")] == ["t:ship"]
    assert idx.rejected == [("t:ship", "IMO 1234568")]


@pytest.fixture(scope="module")
def sdn_vessels() -> list[ListEntry]:
    """The first listed vessels of the real OFAC SDN list that carry an IMO number."""
    mirror = get_settings().mirror
    if mirror is None or not (mirror / SDN_ADVANCED).is_file():
        pytest.skip("reference-data mirror absent (set STCE_MIRROR)")
    from stce.refdata import iter_entries

    vessels = (
        e
        for e in iter_entries(mirror / SDN_ADVANCED)
        if e.kind == EntryKind.VESSEL and any(i.type == "imo" for i in e.identifiers)
    )
    return list(islice(vessels, 40))


def test_listed_vessel_by_imo(sdn_vessels: list[ListEntry], entries: list[ListEntry]) -> None:
    check = make_check(NameIndex([*entries, *sdn_vessels], "vessels"))
    target = sdn_vessels[len(sdn_vessels) // 2]
    imo = parse_imo(next(i.value for i in target.identifiers if i.type == "imo"))
    assert imo is not None
    for means in (f"IMO {imo}", imo, f"MT {target.primary_name} (IMO {imo})"):
        hits = [h for h in check.check([decl(means)])[0] if h.code == "VESSEL_LISTED"]
        assert [h.evidence["entry_id"] for h in hits] == [target.id], means
        h = hits[0]
        assert h.severity.value == "critical"
        assert h.declaration_id == "V1"
        assert h.evidence["field"] == "transport.means_id"
        assert h.evidence["source"] == target.source
        assert h.evidence["matched_name"] == target.primary_name
        assert imo in h.evidence["explanation"]


def test_invalid_check_digit_is_no_hit(
    sdn_vessels: list[ListEntry], entries: list[ListEntry]
) -> None:
    check = make_check(NameIndex([*entries, *sdn_vessels], "vessels"))
    imo = parse_imo(next(i.value for i in sdn_vessels[0].identifiers if i.type == "imo"))
    assert imo is not None
    assert check.check([decl(f"IMO {wrong_check_digit(imo)}")]) == [[]]
    named = f"{sdn_vessels[0].primary_name} IMO {wrong_check_digit(imo)}"
    assert check.check([decl(named)]) == [[]]
    assert check.check([decl(wrong_check_digit(imo))]) == [[]]
    assert check.check([decl(None)]) == [[]]
    assert check.check([decl("   ")]) == [[]]


def test_listed_vessel_by_name(sdn_vessels: list[ListEntry], entries: list[ListEntry]) -> None:
    check = make_check(NameIndex([*entries, *sdn_vessels], "vessels"))
    target = next(v for v in sdn_vessels if len(v.primary_name) >= 6)
    hits = check.check([decl(target.primary_name.title())])[0]
    assert target.id in {h.evidence["entry_id"] for h in hits}
    assert all(h.code == "VESSEL_NAME_MATCH" for h in hits)
    assert all(h.evidence["list_kind"] == "vessel" for h in hits)
    # the means of an aircraft or a lorry is not screened as a ship's name
    assert check.check([decl(target.primary_name, mode="road")]) == [[]]


def test_vessel_name_matches_only_vessels(entries: list[ListEntry]) -> None:
    check = make_check(NameIndex(entries, "t"))
    # conftest lists a person "Robert SMITH" and a vessel "JOHN SMITH"
    hits = check.check([decl("Robert Smith")])[0]
    assert all(h.evidence["list_kind"] == "vessel" for h in hits)
    named = check.check([decl("John Smith")])[0]
    assert [(h.code, h.evidence["entry_id"]) for h in named] == [
        ("VESSEL_NAME_MATCH", "test:vessel")
    ]
