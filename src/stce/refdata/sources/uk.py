"""UK Sanctions List (FCDO), in its published formats.

- Summary spreadsheet (ODS, or its CSV export): one row per designation, 8 columns
  `Unique ID, OFSI Group ID, Name, Regime Name, Type, Designation source, Date Designated,
  Sanctions Imposed`; dates DD-MM-YYYY. No aliases, birth dates or addresses.
- Full CSV: a `Report Date` line, then one row per *name* of a designation (columns `Unique ID`,
  `Name 1`..`Name 6`, `Name type`, `Alias strength`, `Regime Name`, `Designation Type`,
  `Date Designated`, `Address Line 1`..`6`, `Address Country`, `D.O.B`, `Nationality(/ies)`,
  `Passport number`, `National Identifier number`, `IMO number`, `Name non-latin script`…);
  rows of one Unique ID are merged.
- Full XML: root `Designations`, one `Designation` each with `UniqueID`, `Names/Name`
  (`Name1`..`Name6`, `NameType`, `AliasStrength`), `NonLatinNames`, `RegimeName`,
  `IndividualEntityShip`, `DateDesignated`, `Addresses/Address`, `IndividualDetails/Individual`
  (`DOBs/DOB`, `Nationalities/Nationality`, `PassportDetails`, `NationalIdentifierDetails`),
  `ShipDetails/Ship/IMONumbers`.

The stable key is the FCDO Unique ID (e.g. `RUS0001`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
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
from stce.refdata.errors import ListFormatError, reject
from stce.refdata.scripts import detect_script
from stce.refdata.sources.tabular import csv_dicts, ods_rows
from stce.refdata.textfields import parse_birth_date, parse_date
from stce.refdata.xmlsafe import all_text, iter_elements, iter_records, local

SOURCE = "uk-fcdo"
SUMMARY_HEADER = ("Unique ID", "OFSI Group ID", "Name", "Regime Name", "Type")
FULL_MARKERS = ("Unique ID", "Name 6", "Name type")
XML_ROOT = "Designations"
DATE_FORMATS = ("%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d")

_KINDS = {
    "individual": EntryKind.PERSON,
    "entity": EntryKind.ORGANISATION,
    "ship": EntryKind.VESSEL,
}


def _kind(raw: str) -> EntryKind:
    return _KINDS.get(raw.strip().lower(), EntryKind.UNKNOWN)


def _clean(value: str | None) -> str:
    return " ".join((value or "").split())


def _summary_entries(path: Path, rows: Iterable[tuple[int, dict[str, str]]]) -> Iterator[ListEntry]:
    for line, row in rows:
        key = _clean(row.get("Unique ID"))
        name = _clean(row.get("Name"))
        if not key:
            reject(
                ListFormatError(str(path), "no Unique ID", record=f"line {line}", field="Unique ID")
            )
            continue
        if not name:
            reject(ListFormatError(str(path), "designation has no name", record=key, field="Name"))
            continue
        regime = _clean(row.get("Regime Name"))
        extra = [
            f"{label}: {_clean(row.get(label))}"
            for label in ("Designation source", "Sanctions Imposed", "OFSI Group ID")
            if _clean(row.get(label))
        ]
        yield ListEntry(
            id=f"{SOURCE}:{key}",
            source=SOURCE,
            source_key=key,
            kind=_kind(row.get("Type", "")),
            programmes=[regime] if regime else [],
            names=[ListName(full=name, quality=NameQuality.PRIMARY, script=detect_script(name))],
            listed_on=parse_date(row.get("Date Designated", ""), DATE_FORMATS),
            remarks="; ".join(extra) or None,
        )


def iter_summary_csv(path: Path) -> Iterator[ListEntry]:
    """The 8-column summary as CSV."""
    yield from _summary_entries(path, csv_dicts(path))


def iter_summary_ods(path: Path) -> Iterator[ListEntry]:
    """The 8-column summary as the FCDO's ODS spreadsheet."""

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        it = ods_rows(path)
        header = next(it, None)
        if header is None or tuple(header[:5]) != SUMMARY_HEADER:
            raise ListFormatError(str(path), f"first row is not the FCDO header {SUMMARY_HEADER}")
        for n, row in enumerate(it, start=2):
            yield n, {h: (row[i] if i < len(row) else "") for i, h in enumerate(header)}

    yield from _summary_entries(path, rows())


class _Builder:
    """Accumulates the rows/elements of one designation into an entry."""

    def __init__(self, key: str) -> None:
        self.key = key
        self.kind = EntryKind.UNKNOWN
        self.names: list[ListName] = []
        self.programmes: list[str] = []
        self.dobs: list[BirthDate] = []
        self.nationalities: list[str] = []
        self.addresses: list[ListAddress] = []
        self.identifiers: list[ListIdentifier] = []
        self.listed_on: date | None = None
        self.remarks: list[str] = []
        self.flags: list[str] = []

    def add_name(
        self,
        parts: list[str],
        name_type: str,
        strength: str,
        script: str | None = None,
        non_latin: bool = False,
    ) -> None:
        full = _clean(" ".join(p for p in parts if _clean(p)))
        if not full or any(n.full == full for n in self.names):
            return
        if non_latin:
            quality = NameQuality.STRONG
        elif "primary" in name_type.lower() and not any(
            n.quality is NameQuality.PRIMARY for n in self.names
        ):
            quality = NameQuality.PRIMARY
        elif any(w in strength.lower() for w in ("weak", "low")):
            quality = NameQuality.WEAK
        else:
            quality = NameQuality.STRONG
        self.names.append(
            ListName(full=full, quality=quality, script=script or detect_script(full))
        )

    def add_address(self, lines: list[str], country: str) -> None:
        parts = [_clean(x) for x in [*lines, country] if _clean(x)]
        if parts:
            addr = ListAddress(
                full=", ".join(parts), country=country_code(country) if country else None
            )
            if addr not in self.addresses:
                self.addresses.append(addr)

    def build(self, path: Path) -> ListEntry | None:
        if not self.names:
            reject(
                ListFormatError(str(path), "designation has no name", record=self.key, field="Name")
            )
            return None
        self.names.sort(key=lambda n: n.quality is not NameQuality.PRIMARY)
        if self.names[0].quality is not NameQuality.PRIMARY:
            first = self.names[0]
            self.names[0] = ListName(
                full=first.full, quality=NameQuality.PRIMARY, script=first.script
            )
        return ListEntry(
            id=f"{SOURCE}:{self.key}",
            source=SOURCE,
            source_key=self.key,
            kind=self.kind,
            programmes=list(dict.fromkeys(self.programmes)),
            names=self.names,
            birth_dates=list(dict.fromkeys(self.dobs)),
            nationalities=list(dict.fromkeys(self.nationalities)),
            countries=list(
                dict.fromkeys([a.country for a in self.addresses if a.country] + self.flags)
            ),
            addresses=self.addresses,
            identifiers=list(dict.fromkeys(self.identifiers)),
            listed_on=self.listed_on,
            remarks="; ".join(dict.fromkeys(self.remarks)) or None,
        )


def _split_multi(value: str) -> list[str]:
    out = []
    for piece in value.replace("|", ";").split(";"):
        piece = piece.strip(" ,")
        if piece:
            out.append(piece)
    return out


def iter_full_csv(path: Path) -> Iterator[ListEntry]:
    """The FCDO full CSV: one row per name, merged by Unique ID (rows of one ID are adjacent
    in the official file, but order is not relied on)."""
    builders: dict[str, _Builder] = {}
    for line, row in csv_dicts(path, skip_until="Unique ID"):
        key = _clean(row.get("Unique ID"))
        if not key:
            reject(
                ListFormatError(str(path), "no Unique ID", record=f"line {line}", field="Unique ID")
            )
            continue
        b = builders.setdefault(key, _Builder(key))
        kind = row.get("Designation Type") or row.get("Type") or row.get("Individual, Entity, Ship")
        if kind:
            b.kind = _kind(kind)
        b.add_name(
            [row.get(f"Name {i}", "") for i in range(1, 7)],
            row.get("Name type", ""),
            row.get("Alias strength", ""),
        )
        if _clean(row.get("Name non-latin script")):
            b.add_name([row.get("Name non-latin script", "")], "", "", non_latin=True)
        if _clean(row.get("Regime Name")):
            b.programmes.append(_clean(row.get("Regime Name")))
        for dob in _split_multi(row.get("D.O.B", "") or row.get("Date of birth", "")):
            parsed = parse_birth_date(dob.replace("dd/mm/", "").replace("dd/", ""))
            if parsed:
                b.dobs.append(parsed)
        for nat in _split_multi(row.get("Nationality(/ies)", "") or row.get("Nationality", "")):
            c = country_or_name(nat)
            if c:
                b.nationalities.append(c)
        b.add_address(
            [row.get(f"Address Line {i}", "") for i in range(1, 7)]
            + [row.get("Address Postal Code", "")],
            row.get("Address Country", ""),
        )
        for label, kind_id in (
            ("Passport number", "passport"),
            ("National Identifier number", "national_id"),
            ("IMO number", "imo"),
            ("Business registration number (s)", "registration"),
        ):
            for value in _split_multi(row.get(label, "")):
                b.identifiers.append(ListIdentifier(type=kind_id, value=value))
        b.listed_on = b.listed_on or parse_date(row.get("Date Designated", "")[:10], DATE_FORMATS)
        flag = country_code(row.get("Current believed flag of ship", "") or "")
        if flag:
            b.flags.append(flag)
        for label in ("Sanctions Imposed", "Other Information", "UK Statement of Reasons"):
            if _clean(row.get(label)):
                b.remarks.append(_clean(row.get(label)))
    for b in builders.values():
        entry = b.build(path)
        if entry is not None:
            yield entry


def _t(elem: etree._Element | None, *names: str) -> str:
    for name in names:
        if elem is None:
            return ""
        found = None
        for child in elem:
            if local(child.tag) == name:
                found = child
                break
        elem = found
    if elem is None:
        return ""
    return _clean(all_text(elem))


def _all(elem: etree._Element, name: str) -> list[etree._Element]:
    return [e for e in elem.iter() if local(e.tag) == name]


def _xml_designation(elem: etree._Element, path: Path) -> ListEntry | None:
    key = _t(elem, "UniqueID")
    if not key:
        reject(ListFormatError(str(path), "Designation without UniqueID", field="UniqueID"))
        return None
    b = _Builder(key)
    b.kind = _kind(_t(elem, "IndividualEntityShip"))
    for name in _all(elem, "Name"):
        b.add_name(
            [_t(name, f"Name{i}") for i in range(1, 7)],
            _t(name, "NameType"),
            _t(name, "AliasStrength"),
        )
    for nl in _all(elem, "NameNonLatinScript"):
        b.add_name([_clean(all_text(nl))], "", "", non_latin=True)
    if _t(elem, "RegimeName"):
        b.programmes.append(_t(elem, "RegimeName"))
    for addr in _all(elem, "Address"):
        b.add_address(
            [_t(addr, f"AddressLine{i}") for i in range(1, 7)] + [_t(addr, "AddressPostalCode")],
            _t(addr, "AddressCountry"),
        )
    for dob in _all(elem, "DOB"):
        parsed = parse_birth_date(_clean(all_text(dob)).replace("dd/mm/", ""))
        if parsed:
            b.dobs.append(parsed)
    for nat in _all(elem, "Nationality"):
        c = country_or_name(_clean(all_text(nat)))
        if c:
            b.nationalities.append(c)
    for tag, kind_id in (
        ("PassportNumber", "passport"),
        ("NationalIdentifierNumber", "national_id"),
        ("IMONumber", "imo"),
    ):
        for el in _all(elem, tag):
            value = _clean(all_text(el))
            if value:
                b.identifiers.append(ListIdentifier(type=kind_id, value=value))
    b.listed_on = parse_date(_t(elem, "DateDesignated")[:10], DATE_FORMATS)
    for tag in ("SanctionsImposed", "OtherInformation"):
        if _t(elem, tag):
            b.remarks.append(_t(elem, tag))
    return b.build(path)


def iter_full_xml(path: Path) -> Iterator[ListEntry]:
    """The FCDO full XML (`Designations/Designation`)."""
    return iter_records(path, XML_ROOT, {"Designation"}, _xml_designation)


def xml_published(path: Path) -> date | None:
    for _ev, elem in iter_elements(path, {"DateGenerated"}):
        return parse_date(_clean(elem.text)[:10], ("%Y-%m-%d", "%d/%m/%Y"))
    return None


def csv_published(path: Path) -> date | None:
    """The `Report Date:` line of a full CSV, if present."""
    with path.open("rb") as fh:
        first = fh.readline(4096).decode("utf-8-sig", "replace")
    if "report date" in first.lower():
        value = first.split(":", 1)[1].strip(' ,\r\n"')
        return parse_date(value, ("%d-%b-%Y", "%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d"))
    return None


def recognise_summary_csv(path: Path, head: bytes) -> bool:
    first = head.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].decode("utf-8", "replace")
    return path.suffix.lower() == ".csv" and first.startswith(",".join(SUMMARY_HEADER))


def recognise_full_csv(path: Path, head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf").decode("utf-8", "replace")
    lines = text.splitlines()[:3]
    return path.suffix.lower() == ".csv" and any(
        all(marker in line for marker in FULL_MARKERS) for line in lines
    )


def recognise_ods(path: Path, head: bytes) -> bool:
    """An ODS whose first sheet starts with the FCDO summary header."""
    if path.suffix.lower() != ".ods" or not head.startswith(b"PK"):
        return False
    try:
        first = next(ods_rows(path), [])
    except ListFormatError:
        return False
    return tuple(first[:5]) == SUMMARY_HEADER
