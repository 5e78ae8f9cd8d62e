"""EU Consolidated Financial Sanctions List (FSF), XML "xmlFullSanctionsList_1_1".

Root `export` (namespace `http://eu.europa.ec/fpi/fsd/export`, attribute `generationDate`), one
`sanctionEntity` per listing (attributes `logicalId`, `euReferenceNumber`, `designationDate`,
`unitedNationId`), children: `regulation` (`programme`, `publicationDate`), `subjectType`
(`code` person | enterprise), `nameAlias` (`wholeName`, `firstName`, `middleName`, `lastName`,
`strong`, `nameLanguage`), `citizenship` (`countryIso2Code`), `birthdate` (`birthdate`, `year`,
`circa`), `identification` (`number`, `identificationTypeCode`, `countryIso2Code`), `address`
(`street`, `city`, `zipCode`, `poBox`, `region`, `place`, `countryIso2Code`,
`countryDescription`) and `remark`. The key is `logicalId`; `euReferenceNumber` (e.g. `EU.27.28`)
is kept as an identifier.
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
from stce.refdata.errors import ListFormatError, reject
from stce.refdata.scripts import detect_script
from stce.refdata.xmlsafe import all_text, iter_elements, iter_records, local

SOURCE = "eu-fsf"
ROOT = "export"
NAMESPACE = "http://eu.europa.ec/fpi/fsd/export"
_ID_TYPES = {
    "passport": "passport",
    "id": "national_id",
    "regnumber": "registration",
    "fiscalcode": "tax_id",
    "ssn": "national_id",
}


def _attr(elem: etree._Element, name: str) -> str:
    return " ".join((elem.get(name) or "").split())


def _iso2(elem: etree._Element) -> str | None:
    code = _attr(elem, "countryIso2Code").upper()
    return code if len(code) == 2 and code.isalpha() and code != "00" else None


def _iso_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _entity(elem: etree._Element, path: Path) -> ListEntry | None:
    key = _attr(elem, "logicalId")
    if not key:
        reject(ListFormatError(str(path), "sanctionEntity without logicalId", field="logicalId"))
        return None
    kind = EntryKind.UNKNOWN
    names: list[ListName] = []
    programmes: list[str] = []
    dobs: list[BirthDate] = []
    nationalities: list[str] = []
    addresses: list[ListAddress] = []
    identifiers: list[ListIdentifier] = []
    remarks: list[str] = []
    ref = _attr(elem, "euReferenceNumber")
    if ref:
        identifiers.append(ListIdentifier(type="eu_reference", value=ref))
    un_id = _attr(elem, "unitedNationId")
    code: str | None
    if un_id:
        identifiers.append(ListIdentifier(type="un_reference", value=un_id))
    for child in elem:
        tag = local(child.tag)
        if tag == "subjectType":
            code = _attr(child, "code").lower()
            kind = {"person": EntryKind.PERSON, "enterprise": EntryKind.ORGANISATION}.get(
                code, EntryKind.UNKNOWN
            )
        elif tag == "regulation":
            if _attr(child, "programme"):
                programmes.append(_attr(child, "programme"))
        elif tag == "nameAlias":
            whole = _attr(child, "wholeName") or " ".join(
                x
                for x in (
                    _attr(child, "firstName"),
                    _attr(child, "middleName"),
                    _attr(child, "lastName"),
                )
                if x
            )
            if not whole or any(n.full == whole for n in names):
                continue
            parts = {
                k: _attr(child, a)
                for k, a in (("first", "firstName"), ("middle", "middleName"), ("last", "lastName"))
                if _attr(child, a)
            }
            quality = (
                NameQuality.PRIMARY
                if not names
                else NameQuality.WEAK
                if _attr(child, "strong").lower() == "false"
                else NameQuality.STRONG
            )
            names.append(
                ListName(full=whole, quality=quality, script=detect_script(whole), parts=parts)
            )
        elif tag == "citizenship":
            code = _iso2(child)
            if code:
                nationalities.append(code)
        elif tag == "birthdate":
            exact = _iso_date(_attr(child, "birthdate"))
            year = _attr(child, "year")
            approx = _attr(child, "circa").lower() == "true"
            if exact:
                dobs.append(BirthDate(exact=exact, year=exact.year, approximate=approx))
            elif year.isdigit():
                dobs.append(BirthDate(year=int(year), approximate=approx))
        elif tag == "identification":
            number = _attr(child, "number") or _attr(child, "latinNumber")
            if number:
                code = _attr(child, "identificationTypeCode").lower()
                identifiers.append(
                    ListIdentifier(
                        type=_ID_TYPES.get(code, code or "document"),
                        value=number,
                        country=_iso2(child),
                    )
                )
        elif tag == "address":
            parts_ = [
                _attr(child, a)
                for a in (
                    "street",
                    "poBox",
                    "zipCode",
                    "city",
                    "place",
                    "region",
                    "countryDescription",
                )
            ]
            full = ", ".join(p for p in parts_ if p)
            if full:
                addresses.append(ListAddress(full=full, country=_iso2(child)))
        elif tag == "remark":
            text = " ".join(all_text(child).split())
            if text:
                remarks.append(text)
    if not names:
        reject(
            ListFormatError(str(path), "sanctionEntity has no name", record=key, field="nameAlias")
        )
        return None
    return ListEntry(
        id=f"{SOURCE}:{key}",
        source=SOURCE,
        source_key=key,
        kind=kind,
        programmes=list(dict.fromkeys(programmes)),
        names=names,
        birth_dates=list(dict.fromkeys(dobs)),
        nationalities=list(dict.fromkeys(nationalities)),
        countries=list(dict.fromkeys(a.country for a in addresses if a.country)),
        addresses=addresses,
        identifiers=list(dict.fromkeys(identifiers)),
        listed_on=_iso_date(_attr(elem, "designationDate")),
        remarks="; ".join(remarks) or None,
    )


def iter_eu(path: Path) -> Iterator[ListEntry]:
    """Every sanctionEntity of an EU FSF XML file, streamed."""
    return iter_records(path, ROOT, {"sanctionEntity"}, _entity)


def publication_date(path: Path) -> date | None:
    for _ev, elem in iter_elements(path, {ROOT}, events=("start",)):
        return _iso_date(_attr(elem, "generationDate"))
    return None


def recognise(_path: Path, head: bytes) -> bool:
    from stce.refdata.xmlsafe import root_tag

    return root_tag(head) == ROOT and NAMESPACE.encode() in head
