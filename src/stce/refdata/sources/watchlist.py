"""A national watch list: the administration's own suspects, kept as a simple CSV.

Columns (UTF-8, comma-separated, header required; only `watchlist_id` and `name` are mandatory):

| column        | content                                                                 |
|---------------|-------------------------------------------------------------------------|
| watchlist_id  | the administration's stable key for the suspect (e.g. case number)      |
| name          | primary name                                                            |
| kind          | person, organisation, vessel, aircraft, wallet (default: unknown)       |
| aliases       | other names, separated by `;` (prefix `~` marks a weak alias)           |
| birth_date    | `YYYY-MM-DD`, `YYYY`, or `YYYY-YYYY`; several separated by `;`          |
| nationality   | ISO 3166 alpha-2 codes or country names, `;`-separated                  |
| country       | countries of operation/address, `;`-separated                           |
| address       | addresses, `;`-separated                                                |
| identifiers   | `type:value` pairs, `;`-separated (e.g. `passport:X123;tax_id:99`)      |
| wallets       | `CHAIN:address` pairs, `;`-separated (e.g. `XBT:1AbC…;ETH:0x…`)         |
| programme     | why the suspect is watched (e.g. a case or operation), `;`-separated    |
| listed_on     | `YYYY-MM-DD`                                                            |
| remarks       | free text                                                               |

The file name (without extension) names the list: `watchlist:<name>`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

from stce.model.list_entry import (
    EntryKind,
    ListAddress,
    ListEntry,
    ListIdentifier,
    ListName,
    ListWallet,
    NameQuality,
)
from stce.refdata.countries import country_or_name
from stce.refdata.errors import ListFormatError, reject
from stce.refdata.scripts import detect_script
from stce.refdata.sources.tabular import csv_dicts
from stce.refdata.textfields import parse_birth_date, parse_date

SOURCE = "watchlist"
REQUIRED = ("watchlist_id", "name")
COLUMNS = (
    "watchlist_id",
    "name",
    "kind",
    "aliases",
    "birth_date",
    "nationality",
    "country",
    "address",
    "identifiers",
    "wallets",
    "programme",
    "listed_on",
    "remarks",
)


def _split(value: str) -> list[str]:
    return [p.strip() for p in value.split(";") if p.strip()]


def _pairs(path: Path, key: str, field: str, value: str) -> list[tuple[str, str]]:
    out = []
    for item in _split(value):
        if ":" not in item:
            raise ListFormatError(
                str(path), f"{item!r} is not 'type:value'", record=key, field=field
            )
        left, right = item.split(":", 1)
        out.append((left.strip(), right.strip()))
    return out


def _row_entry(path: Path, name_of_list: str, line: int, row: dict[str, str]) -> ListEntry:
    key = row.get("watchlist_id", "").strip()
    name = " ".join(row.get("name", "").split())
    if not key:
        raise ListFormatError(
            str(path), "empty watchlist_id", record=f"line {line}", field="watchlist_id"
        )
    if not name:
        raise ListFormatError(str(path), "empty name", record=key, field="name")
    kind_raw = row.get("kind", "").strip().lower() or "unknown"
    try:
        kind = EntryKind(kind_raw)
    except ValueError as exc:
        raise ListFormatError(
            str(path), f"unknown kind {kind_raw!r}", record=key, field="kind"
        ) from exc
    names = [ListName(full=name, quality=NameQuality.PRIMARY, script=detect_script(name))]
    for alias in _split(row.get("aliases", "")):
        weak = alias.startswith("~")
        alias = alias.lstrip("~").strip()
        if alias and all(n.full != alias for n in names):
            names.append(
                ListName(
                    full=alias,
                    quality=NameQuality.WEAK if weak else NameQuality.STRONG,
                    script=detect_script(alias),
                )
            )
    dobs = []
    for raw in _split(row.get("birth_date", "")):
        dob = parse_birth_date(raw)
        if dob is None:
            raise ListFormatError(
                str(path), f"unreadable date {raw!r}", record=key, field="birth_date"
            )
        dobs.append(dob)
    listed_raw = row.get("listed_on", "").strip()
    listed = parse_date(listed_raw, ("%Y-%m-%d",))
    if listed_raw and listed is None:
        raise ListFormatError(
            str(path), f"unreadable date {listed_raw!r}", record=key, field="listed_on"
        )
    return ListEntry(
        id=f"{SOURCE}:{name_of_list}:{key}",
        source=f"{SOURCE}:{name_of_list}",
        source_key=key,
        kind=kind,
        programmes=_split(row.get("programme", "")),
        names=names,
        birth_dates=dobs,
        nationalities=[
            c for c in (country_or_name(v) for v in _split(row.get("nationality", ""))) if c
        ],
        countries=[c for c in (country_or_name(v) for v in _split(row.get("country", ""))) if c],
        addresses=[ListAddress(full=a, country=None) for a in _split(row.get("address", ""))],
        identifiers=[
            ListIdentifier(type=t.lower(), value=v)
            for t, v in _pairs(path, key, "identifiers", row.get("identifiers", ""))
        ],
        wallets=[
            ListWallet(chain=c.upper(), address=a)
            for c, a in _pairs(path, key, "wallets", row.get("wallets", ""))
        ],
        listed_on=listed,
        remarks=row.get("remarks", "").strip() or None,
    )


def list_name(path: Path) -> str:
    return path.name.split(".", 1)[0]


def iter_watchlist(path: Path) -> Iterator[ListEntry]:
    """Entries of a national watch-list CSV (rows with errors are rejected and reported)."""
    name = list_name(path)
    for line, row in csv_dicts(path):
        try:
            yield _row_entry(path, name, line, row)
        except ListFormatError as exc:
            reject(exc)


def recognise(path: Path, head: bytes) -> bool:
    first = head.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].decode("utf-8", "replace")
    cells = [c.strip().strip('"') for c in first.strip().split(",")]
    return path.suffix.lower() == ".csv" and all(c in cells for c in REQUIRED)


def slot(path: Path) -> str:
    return f"{SOURCE}:{list_name(path)}"


def publication_date(_path: Path) -> date | None:
    return None
