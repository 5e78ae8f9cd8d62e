"""US BIS Denied Persons List (`dpl.txt`): tab-separated, quoted, with a header row
`Name, Street_Address, City, State, Country, Postal_Code, Effective_Date, Expiration_Date,
Standard_Order, Last_Update, Action, FR_Citation`. Dates MM/DD/YYYY (Last_Update YYYY-MM-DD,
sometimes mistyped, e.g. 3017-08-22). Countries are ISO-2, often blank for US addresses.

The list has no identifier of its own; one denial order may appear on several rows (one per
address). Rows with the same name and effective date are merged, and the key is derived from
them: `<normalised name>|<effective date>` hashed, stable across editions.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from stce.model.list_entry import EntryKind, ListAddress, ListEntry, ListName, NameQuality
from stce.refdata.errors import ListFormatError, reject
from stce.refdata.scripts import detect_script
from stce.refdata.sources.tabular import csv_dicts
from stce.refdata.textfields import parse_date

SOURCE = "us-bis-dpl"
HEADER = ("Name", "Street_Address", "City", "State", "Country")
_ORG = re.compile(
    r"\b(LTD|LIMITED|INC|INCORPORATED|CORP|CORPORATION|CO|COMPANY|LLC|L\.L\.C|GMBH|S\.A|SA|"
    r"S\.R\.L|SRL|PLC|AG|BV|B\.V|LLP|TRADING|INDUSTRIES|INTERNATIONAL|ENTERPRISES?|GROUP|"
    r"AVIATION|AIRLINES?|TECHNOLOG(Y|IES)|ELECTRONICS|SERVICES|SYSTEMS)\b\.?",
    re.I,
)
US_DATE = ("%m/%d/%Y",)


def _key(name: str, effective: str) -> str:
    basis = f"{' '.join(name.upper().split())}|{effective}"
    return hashlib.sha256(basis.encode()).hexdigest()[:16]


def iter_bis_dpl(path: Path) -> Iterator[ListEntry]:
    """Denied persons, one entry per denial order (rows merged by name + effective date)."""
    merged: dict[str, dict[str, object]] = {}
    for line, row in csv_dicts(path, delimiter="\t"):
        name = " ".join(row.get("Name", "").split()).strip(" ,")
        if not name:
            reject(
                ListFormatError(
                    str(path), "row without a name", record=f"line {line}", field="Name"
                )
            )
            continue
        effective = row.get("Effective_Date", "")
        key = _key(name, effective)
        item = merged.setdefault(
            key,
            {"name": name, "addresses": [], "row": row, "listed": parse_date(effective, US_DATE)},
        )
        country = row.get("Country", "").strip().upper() or None
        lines = [row.get(k, "") for k in ("Street_Address", "City", "State", "Postal_Code")]
        full = ", ".join(x for x in [*lines, country or ""] if x)
        addresses = item["addresses"]
        assert isinstance(addresses, list)
        if full:
            addr = ListAddress(
                full=full, country=country if country and len(country) == 2 else None
            )
            if addr not in addresses:
                addresses.append(addr)
    for key, item in merged.items():
        name = str(item["name"])
        first = item["row"]
        if not isinstance(first, dict):
            raise TypeError("row")
        addresses = item["addresses"]
        assert isinstance(addresses, list)
        listed = item["listed"]
        remarks = "; ".join(
            f"{label}: {first[col]}"
            for label, col in (
                ("Expires", "Expiration_Date"),
                ("Standard order", "Standard_Order"),
                ("Action", "Action"),
                ("Federal Register", "FR_Citation"),
            )
            if first.get(col)
        )
        yield ListEntry(
            id=f"{SOURCE}:{key}",
            source=SOURCE,
            source_key=key,
            kind=EntryKind.ORGANISATION if _ORG.search(name) else EntryKind.UNKNOWN,
            programmes=["EAR"],
            names=[ListName(full=name, quality=NameQuality.PRIMARY, script=detect_script(name))],
            countries=list(dict.fromkeys(a.country for a in addresses if a.country)),
            addresses=addresses,
            listed_on=listed if isinstance(listed, date) else None,
            remarks=remarks or None,
        )


def publication_date(path: Path) -> date | None:
    """The latest Effective_Date in the file (the DPL carries no edition date)."""
    latest: date | None = None
    for _line, row in csv_dicts(path, delimiter="\t"):
        d = parse_date(row.get("Effective_Date", ""), US_DATE)
        if d and d <= date.today() and (latest is None or d > latest):
            latest = d
    return latest


def recognise(_path: Path, head: bytes) -> bool:
    first = head.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].decode("utf-8", "replace")
    cells = [c.strip().strip('"') for c in first.split("\t")]
    return tuple(cells[:5]) == HEADER
