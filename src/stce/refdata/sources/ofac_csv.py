"""OFAC legacy CSV sets: the SDN list (`sdn.csv`, `add.csv`, `alt.csv`, `sdn_comments.csv`) and
the non-SDN Consolidated list (`cons_prim.csv`, `cons_add.csv`, `cons_alt.csv`,
`cons_comments.csv`), joined on `ent_num`.

Quirks (see the OFAC "SDN data specification"): no header; `-0- ` is the null marker; CRLF lines
and a trailing Ctrl-Z; programmes joined by `] [`; the remarks column is a free-text bag
(`DOB …; nationality …; Passport …; a.k.a. '…'; Digital Currency Address - XBT …; Linked To: …`)
truncated at 1,000 characters, the rest continuing in the comments file. Weak a.k.a.s are the
quoted ones in the remarks; strong aliases are in `alt.csv`.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from stce.model.list_entry import (
    BirthDate,
    EntryKind,
    ListAddress,
    ListEntry,
    ListIdentifier,
    ListName,
    ListWallet,
    NameQuality,
)
from stce.refdata.countries import country_code, country_or_name
from stce.refdata.errors import ListFormatError
from stce.refdata.scripts import detect_script
from stce.refdata.sources.tabular import read_text
from stce.refdata.textfields import last_first, parse_birth_date

NULL = "-0-"
SDN_FILES = ("sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv")
CONS_FILES = ("cons_prim.csv", "cons_add.csv", "cons_alt.csv", "cons_comments.csv")
SDN_SOURCE = "ofac-sdn"
CONS_SOURCE = "ofac-cons"
SDN_SLOT = "ofac-sdn-csv"
CONS_SLOT = "ofac-cons-csv"
MAX_FILE = 256 << 20
"""Largest OFAC CSV accepted (the full sdn.csv is about 5 MB)."""
MAX_FIELD = 1 << 20
"""Longest field accepted (1 MiB); OFAC remarks are at most 1,000 characters."""

_ROW_START = re.compile(rb"^\d+,(\"|-0-)")
_WALLET = re.compile(r"Digital Currency Address - ([A-Za-z0-9]+)\s+([A-Za-z0-9:]+)")
_DOB = re.compile(r"(?:^|;\s*)(?:alt\.\s+)?DOB\s+([^;]+)")
_NATIONALITY = re.compile(r"(?:^|;\s*)(?:alt\.\s+)?(?:nationality|citizen)\s+([^;]+)", re.I)
_AKA = re.compile(r"\b([afn])\.k\.a\.,?\s+'([^']+)'")
_LINKED = re.compile(r"(?:^|;\s*)Linked To:\s*([^;]+)")
_IDENT = re.compile(
    r"(?:^|;\s*)(?:alt\.\s+)?"
    r"(Passport|National ID No\.|Tax ID No\.|Cedula No\.|Registration Number|"
    r"Business Registration Number|Company Number|IMO|MMSI|SWIFT/BIC|"
    r"Registration ID|Identification Number|D\.N\.I\.|C\.U\.R\.P\.|R\.F\.C\.|NIT #|RUC #|"
    r"Legal Entity Number|Trade License No\.|V\.A\.T\. Number|Stateless Person Passport|"
    r"Diplomatic Passport|Travel Document Number)\s+([^;]+)"
)
_ID_TYPES = {
    "Passport": "passport",
    "Diplomatic Passport": "passport",
    "Stateless Person Passport": "passport",
    "National ID No.": "national_id",
    "Tax ID No.": "tax_id",
    "IMO": "imo",
    "MMSI": "mmsi",
    "SWIFT/BIC": "swift_bic",
    "Registration Number": "registration",
    "Business Registration Number": "registration",
    "Company Number": "registration",
    "Registration ID": "registration",
}
_TRAILING_COUNTRY = re.compile(r"^(.*?)\s*\(([^()]*)\)\s*(?:\[.*\])?\s*\.?$")


def _clean(value: str) -> str:
    v = " ".join(value.split())
    return "" if v in (NULL, "") else v


def _read_rows(path: Path, width: int) -> Iterator[tuple[int, list[str]]]:
    """Rows of a header-less OFAC CSV as stripped strings (Ctrl-Z and blank lines ignored)."""
    raw = read_text(path, MAX_FILE).rstrip(b"\x1a\r\n ")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ListFormatError(
            str(path), f"not valid UTF-8 at byte {exc.start}", record=f"line {line}"
        ) from exc
    csv.field_size_limit(MAX_FIELD)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for row in reader:
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            if len(row) < width:
                raise ListFormatError(
                    str(path),
                    f"expected {width} columns, found {len(row)}",
                    record=f"line {reader.line_num}",
                )
            yield reader.line_num, [_clean(c) for c in row]
    except csv.Error as exc:
        raise ListFormatError(
            str(path), f"malformed CSV: {exc}", record=f"line {reader.line_num}"
        ) from exc


def _ent_num(path: Path, line: int, value: str) -> str:
    if not value.isdigit():
        raise ListFormatError(
            str(path), f"ent_num {value!r} is not a number", record=f"line {line}", field="ent_num"
        )
    return value


def _identifier(kind: str, value: str) -> ListIdentifier:
    value = value.strip(" .")
    country = None
    m = _TRAILING_COUNTRY.match(value)
    if m:
        value, country = m.group(1), country_code(m.group(2))
    value = re.split(r"\s+(?:issued|expires)\b", value)[0].strip(" ,.")
    return ListIdentifier(
        type=_ID_TYPES.get(kind, kind.rstrip(".").lower()), value=value, country=country
    )


def parse_remarks(remarks: str) -> dict[str, list[object]]:
    """Structured facts from an OFAC remarks text (DOB, nationality, ids, aliases, wallets)."""
    out: dict[str, list[object]] = defaultdict(list)
    for m in _DOB.finditer(remarks):
        dob = parse_birth_date(m.group(1))
        if dob:
            out["dob"].append(dob)
    for m in _NATIONALITY.finditer(remarks):
        c = country_or_name(m.group(1))
        if c:
            out["nationality"].append(c)
    for m in _IDENT.finditer(remarks):
        ident = _identifier(m.group(1), m.group(2))
        if ident.value:
            out["ident"].append(ident)
    for m in _AKA.finditer(remarks):
        out["aka"].append(m.group(2).strip())
    for m in _WALLET.finditer(remarks):
        out["wallet"].append(ListWallet(chain=m.group(1).upper(), address=m.group(2)))
    for m in _LINKED.finditer(remarks):
        out["linked"].append(m.group(1).strip(" ."))
    return out


def _kind(raw: str) -> EntryKind:
    return {
        "individual": EntryKind.PERSON,
        "vessel": EntryKind.VESSEL,
        "aircraft": EntryKind.AIRCRAFT,
    }.get(raw.lower(), EntryKind.ORGANISATION)


def _companion(path: Path, names: tuple[str, ...], index: int) -> Path | None:
    candidate = path.parent / names[index]
    return candidate if candidate.is_file() else None


def iter_ofac_csv(path: Path) -> Iterator[ListEntry]:
    """Entries of an OFAC legacy CSV set; `path` is `sdn.csv` or `cons_prim.csv`."""
    names = CONS_FILES if path.name.lower() == CONS_FILES[0] else SDN_FILES
    source = CONS_SOURCE if names is CONS_FILES else SDN_SOURCE
    addresses: dict[str, list[ListAddress]] = defaultdict(list)
    aliases: dict[str, list[tuple[str, str]]] = defaultdict(list)
    comments: dict[str, str] = defaultdict(str)
    if (add := _companion(path, names, 1)) is not None:
        for line, row in _read_rows(add, 6):
            ent = _ent_num(add, line, row[0])
            lines = [p for p in (row[2], row[3], row[4]) if p]
            if lines:
                addresses[ent].append(
                    ListAddress(
                        full=", ".join(lines), country=country_code(row[4]) if row[4] else None
                    )
                )
    if (alt := _companion(path, names, 2)) is not None:
        for line, row in _read_rows(alt, 5):
            ent = _ent_num(alt, line, row[0])
            if row[3]:
                aliases[ent].append((row[2].lower(), row[3]))
    if (com := _companion(path, names, 3)) is not None:
        for line, row in _read_rows(com, 2):
            comments[_ent_num(com, line, row[0])] += row[1]
    rows = [(line, row) for line, row in _read_rows(path, 12)]
    primary_ids: dict[str, str] = {}
    for _line, row in rows:
        if row[1]:
            primary_ids.setdefault(row[1].upper(), row[0])
    for line, row in rows:
        ent = _ent_num(path, line, row[0])
        raw_name = row[1]
        if not raw_name:
            raise ListFormatError(
                str(path), "empty name", record=f"ent_num {ent}", field="SDN_Name"
            )
        kind = _kind(row[2])
        person = kind is EntryKind.PERSON
        parts: dict[str, str] = {}
        full = raw_name
        if person:
            full, parts = last_first(raw_name)
        names_out = [
            ListName(
                full=full, quality=NameQuality.PRIMARY, script=detect_script(full), parts=parts
            )
        ]
        seen = {full.upper()}
        for alt_type, alt_name in aliases.get(ent, []):
            alt_parts: dict[str, str] = {}
            alt_full = alt_name
            if person:
                alt_full, alt_parts = last_first(alt_name)
            if alt_full.upper() in seen:
                continue
            seen.add(alt_full.upper())
            quality = NameQuality.WEAK if "weak" in alt_type else NameQuality.STRONG
            names_out.append(
                ListName(
                    full=alt_full, quality=quality, script=detect_script(alt_full), parts=alt_parts
                )
            )
        remarks = (row[11] + comments.get(ent, "")).strip()
        facts = parse_remarks(remarks)
        for aka in facts["aka"]:
            assert isinstance(aka, str)
            if aka.upper() not in seen:
                seen.add(aka.upper())
                names_out.append(
                    ListName(full=aka, quality=NameQuality.WEAK, script=detect_script(aka))
                )
        identifiers = [i for i in facts["ident"] if isinstance(i, ListIdentifier)]
        if row[5]:
            identifiers.append(ListIdentifier(type="call_sign", value=row[5]))
        countries = [a.country for a in addresses.get(ent, []) if a.country]
        if row[9]:
            flag = country_code(row[9])
            if flag:
                countries.append(flag)
        links = []
        for linked in facts["linked"]:
            assert isinstance(linked, str)
            target = primary_ids.get(linked.upper())
            if target and target != ent:
                links.append(f"{source}:{target}")
        yield ListEntry(
            id=f"{source}:{ent}",
            source=source,
            source_key=ent,
            kind=kind,
            programmes=[p.strip("[] ") for p in row[3].split("] [") if p.strip("[] ")],
            names=names_out,
            birth_dates=[d for d in facts["dob"] if isinstance(d, BirthDate)],
            nationalities=list(dict.fromkeys(str(n) for n in facts["nationality"])),
            countries=list(dict.fromkeys(countries)),
            addresses=addresses.get(ent, []),
            identifiers=list(dict.fromkeys(identifiers)),
            wallets=list(dict.fromkeys(w for w in facts["wallet"] if isinstance(w, ListWallet))),
            remarks=remarks or None,
            links=list(dict.fromkeys(links)),
        )


def recognise(path: Path, head: bytes) -> bool:
    """`sdn.csv` / `cons_prim.csv` whose first line looks like an OFAC legacy row."""
    return path.name.lower() in (SDN_FILES[0], CONS_FILES[0]) and bool(_ROW_START.match(head))


def slot(path: Path) -> str:
    return CONS_SLOT if path.name.lower() == CONS_FILES[0] else SDN_SLOT


def publication_date(_path: Path) -> date | None:
    """The legacy CSVs carry no date of their own."""
    return None
