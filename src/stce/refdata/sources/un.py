"""UN Security Council Consolidated List (`CONSOLIDATED_LIST` XML).

Format: https://www.un.org/sc/resources/sc-sanctions.xsd. Individuals split their names over
FIRST_NAME..FOURTH_NAME, entities put the whole name in FIRST_NAME. The stable key is
REFERENCE_NUMBER (e.g. `KPi.033`); DATAID is internal to the UN.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

from lxml import etree

from stce.model.list_entry import (
    BirthDate,
    EntryKind,
    ListAddress,
    ListEntry,
    ListIdentifier,
    ListName,
    NameQuality,
)
from stce.refdata.countries import country_code, country_or_name
from stce.refdata.errors import ListFormatError
from stce.refdata.scripts import detect_script
from stce.refdata.xmlsafe import iter_elements, iter_records, text

SOURCE = "un-sc"
ROOT = "CONSOLIDATED_LIST"


def _iso_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _year(value: str) -> int | None:
    value = value.strip()
    return int(value) if value.isdigit() and len(value) == 4 else None


def _child_text(elem: etree._Element, tag: str) -> str:
    return text(elem.find(tag))


def _values(elem: etree._Element, tag: str) -> list[str]:
    holder = elem.find(tag)
    if holder is None:
        return []
    return [v for v in (text(x) for x in holder.findall("VALUE")) if v]


def _alias_quality(raw: str) -> NameQuality:
    return NameQuality.WEAK if raw.strip().lower() == "low" else NameQuality.STRONG


def _birth_dates(elem: etree._Element) -> list[BirthDate]:
    out: list[BirthDate] = []
    for dob in elem.findall("INDIVIDUAL_DATE_OF_BIRTH"):
        kind = _child_text(dob, "TYPE_OF_DATE").upper()
        approx = kind == "APPROXIMATELY"
        exact = _iso_date(_child_text(dob, "DATE")) if _child_text(dob, "DATE") else None
        year = _year(_child_text(dob, "YEAR"))
        y_from, y_to = _year(_child_text(dob, "FROM_YEAR")), _year(_child_text(dob, "TO_YEAR"))
        if exact:
            out.append(BirthDate(exact=exact, year=exact.year, approximate=approx))
        elif year:
            out.append(BirthDate(year=year, approximate=approx))
        elif y_from or y_to:
            out.append(BirthDate(year_from=y_from, year_to=y_to, approximate=approx))
    return out


def _addresses(elem: etree._Element, tag: str) -> list[ListAddress]:
    out: list[ListAddress] = []
    for addr in elem.findall(tag):
        parts = [
            _child_text(addr, t)
            for t in ("STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY")
        ]
        full = ", ".join(p for p in parts if p)
        if not full:
            continue
        country = _child_text(addr, "COUNTRY")
        out.append(ListAddress(full=full, country=country_code(country) if country else None))
    return out


def _places_of_birth(elem: etree._Element) -> list[str]:
    out = []
    for pob in elem.findall("INDIVIDUAL_PLACE_OF_BIRTH"):
        parts = [_child_text(pob, t) for t in ("CITY", "STATE_PROVINCE", "COUNTRY")]
        text_ = ", ".join(p for p in parts if p)
        if text_:
            out.append(text_)
    return out


def _documents(elem: etree._Element) -> list[ListIdentifier]:
    out: list[ListIdentifier] = []
    for doc in elem.findall("INDIVIDUAL_DOCUMENT"):
        number = _child_text(doc, "NUMBER")
        if not number:
            continue
        kind = _child_text(doc, "TYPE_OF_DOCUMENT") or "document"
        lowered = kind.lower()
        if "passport" in lowered or "pasaporte" in lowered or "passeport" in lowered:
            kind = "passport"
        elif "national identification" in lowered:
            kind = "national_id"
        issuer = _child_text(doc, "ISSUING_COUNTRY") or _child_text(doc, "COUNTRY_OF_ISSUE")
        country = country_code(issuer) if issuer else None
        out.append(ListIdentifier(type=kind, value=number, country=country))
    return out


def _entry(elem: etree._Element, path: Path) -> ListEntry:
    is_person = elem.tag == "INDIVIDUAL"
    ref = _child_text(elem, "REFERENCE_NUMBER")
    if not ref:
        ref = f"DATAID-{_child_text(elem, 'DATAID')}"
        if ref == "DATAID-":
            raise ListFormatError(
                str(path),
                "record has neither REFERENCE_NUMBER nor DATAID",
                record=elem.tag,
                field="REFERENCE_NUMBER",
            )
    parts = {
        key: _child_text(elem, tag)
        for key, tag in (
            ("first", "FIRST_NAME"),
            ("second", "SECOND_NAME"),
            ("third", "THIRD_NAME"),
            ("fourth", "FOURTH_NAME"),
        )
    }
    primary = " ".join(v for v in parts.values() if v)
    if not primary:
        raise ListFormatError(str(path), "record has no name", record=ref, field="FIRST_NAME")
    names = [
        ListName(
            full=primary,
            quality=NameQuality.PRIMARY,
            script=detect_script(primary),
            parts={k: v for k, v in parts.items() if v} if is_person else {},
        )
    ]
    seen = {primary}
    original = _child_text(elem, "NAME_ORIGINAL_SCRIPT")
    if original and original not in seen:
        seen.add(original)
        names.append(ListName(full=original, script=detect_script(original)))
    alias_tag = "INDIVIDUAL_ALIAS" if is_person else "ENTITY_ALIAS"
    for alias in elem.findall(alias_tag):
        name = _child_text(alias, "ALIAS_NAME")
        if not name or name in seen:
            continue
        seen.add(name)
        quality = _alias_quality(_child_text(alias, "QUALITY"))
        names.append(ListName(full=name, quality=quality, script=detect_script(name)))
    nationalities = [c for c in (country_or_name(v) for v in _values(elem, "NATIONALITY")) if c]
    addresses = _addresses(elem, "INDIVIDUAL_ADDRESS" if is_person else "ENTITY_ADDRESS")
    countries = list(dict.fromkeys(a.country for a in addresses if a.country))
    programmes = [p for p in [_child_text(elem, "UN_LIST_TYPE")] if p]
    facts = []
    for label, values in (
        ("Title", _values(elem, "TITLE")),
        ("Designation", _values(elem, "DESIGNATION")),
        ("Gender", [g for g in [_child_text(elem, "GENDER")] if g]),
        ("Place of birth", _places_of_birth(elem)),
    ):
        if values:
            facts.append(f"{label}: {', '.join(values)}")
    comments = _child_text(elem, "COMMENTS1")
    remarks = "; ".join([*facts, comments] if comments else facts) or None
    listed = _child_text(elem, "LISTED_ON")
    return ListEntry(
        id=f"{SOURCE}:{ref}",
        source=SOURCE,
        source_key=ref,
        kind=EntryKind.PERSON if is_person else EntryKind.ORGANISATION,
        programmes=programmes,
        names=names,
        birth_dates=_birth_dates(elem) if is_person else [],
        nationalities=list(dict.fromkeys(nationalities)),
        countries=countries,
        addresses=addresses,
        identifiers=_documents(elem) if is_person else [],
        listed_on=_iso_date(listed) if listed else None,
        remarks=remarks,
    )


def publication_date(path: Path) -> date | None:
    """The list's `dateGenerated` attribute, read from the root element."""
    for _event, elem in iter_elements(path, {ROOT}, events=("start",)):
        return _iso_date(elem.get("dateGenerated", ""))
    return None


def iter_un(path: Path) -> Iterator[ListEntry]:
    """Every individual and entity of a UN consolidated list file, streamed."""
    return iter_records(path, ROOT, {"INDIVIDUAL", "ENTITY"}, _entry)
