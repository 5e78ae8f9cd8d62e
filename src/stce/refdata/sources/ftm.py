"""FollowTheMoney entities, one JSON object per line (the OpenSanctions export format), so any
OpenSanctions dataset (or any FtM producer) can be loaded.

Each line: `{"id": …, "schema": "Person"|"Organization"|"Company"|"LegalEntity"|"Vessel"|
"Airplane"|"CryptoWallet"|…, "properties": {"name": […], "alias": […], "weakAlias": […],
"birthDate": […], "nationality": […], "country": […], "address": […], "passportNumber": […],
"idNumber": […], "taxNumber": […], "registrationNumber": […], "imoNumber": […], "mmsi": […],
"publicKey": […], "currency": […], "program": […], "topics": […], "notes": […],
"createdAt": […]}, "datasets": […]}`. `Sanction` entities attach programmes and listing dates
to the entity they name; `CryptoWallet.holder` links a wallet to its holder (the wallet is also
added to the holder). Other schemas (Address, Ownership, Identification…) are not list entries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import orjson

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
from stce.refdata.countries import country_code
from stce.refdata.errors import ListFormatError, reject
from stce.refdata.scripts import detect_script
from stce.refdata.xmlsafe import open_maybe_compressed

SOURCE = "ftm"
MAX_LINE = 16 << 20
"""Longest line accepted (16 MiB); a longer one is refused with the line number."""
KINDS = {
    "Person": EntryKind.PERSON,
    "Organization": EntryKind.ORGANISATION,
    "Company": EntryKind.ORGANISATION,
    "PublicBody": EntryKind.ORGANISATION,
    "LegalEntity": EntryKind.UNKNOWN,
    "Vessel": EntryKind.VESSEL,
    "Airplane": EntryKind.AIRCRAFT,
    "CryptoWallet": EntryKind.WALLET,
}
ID_PROPS = {
    "passportNumber": "passport",
    "idNumber": "national_id",
    "taxNumber": "tax_id",
    "registrationNumber": "registration",
    "innCode": "tax_id",
    "ogrnCode": "registration",
    "leiCode": "lei",
    "swiftBic": "swift_bic",
    "imoNumber": "imo",
    "mmsi": "mmsi",
    "callSign": "call_sign",
    "registrationNumber ": "registration",
}


def _lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    with open_maybe_compressed(path) as fh:
        n = 0
        while True:
            raw = fh.readline(MAX_LINE + 1)
            if not raw:
                return
            n += 1
            if len(raw) > MAX_LINE:
                raise ListFormatError(
                    str(path), f"line longer than {MAX_LINE} bytes; refused", record=f"line {n}"
                )
            if not raw.strip():
                continue
            try:
                obj = orjson.loads(raw)
            except orjson.JSONDecodeError as exc:
                raise ListFormatError(
                    str(path), f"invalid JSON: {exc}", record=f"line {n}"
                ) from exc
            if not isinstance(obj, dict):
                raise ListFormatError(str(path), "line is not a JSON object", record=f"line {n}")
            yield n, obj


def _props(obj: dict[str, Any]) -> dict[str, list[str]]:
    raw = obj.get("properties") or {}
    out: dict[str, list[str]] = {}
    if isinstance(raw, dict):
        for k, v in raw.items():
            if isinstance(v, list):
                out[k] = [
                    " ".join(str(x).split())
                    for x in v
                    if isinstance(x, (str, int, float)) and str(x).strip()
                ]
    return out


def _dob(value: str) -> BirthDate | None:
    try:
        if len(value) >= 10:
            d = date.fromisoformat(value[:10])
            return BirthDate(exact=d, year=d.year)
        if len(value) >= 4 and value[:4].isdigit():
            return BirthDate(year=int(value[:4]))
    except ValueError:
        return None
    return None


def _country(value: str) -> str:
    code = value.upper()
    if len(code) == 2 and code.isalpha():
        return code
    return country_code(value) or value


def iter_ftm(path: Path) -> Iterator[ListEntry]:
    """Listed things of an FtM entities file (programmes and wallets attached afterwards)."""
    things: list[tuple[int, dict[str, Any]]] = []
    programmes: dict[str, list[str]] = defaultdict(list)
    listed: dict[str, date] = {}
    wallets: dict[str, list[ListWallet]] = defaultdict(list)
    for n, obj in _lines(path):
        schema = str(obj.get("schema", ""))
        props = _props(obj)
        if schema == "Sanction":
            for target in props.get("entity", []):
                programmes[target].extend(props.get("program", []) or props.get("authority", []))
                for d in props.get("listingDate", []) + props.get("startDate", []):
                    parsed = _dob(d)
                    if (
                        parsed
                        and parsed.exact
                        and (target not in listed or parsed.exact < listed[target])
                    ):
                        listed[target] = parsed.exact
            continue
        if schema not in KINDS:
            continue
        if schema == "CryptoWallet":
            for holder in props.get("holder", []):
                for key in props.get("publicKey", []):
                    chain = (props.get("currency") or ["?"])[0].upper()
                    wallets[holder].append(ListWallet(chain=chain, address=key))
        things.append((n, obj))
    for n, obj in things:
        ident = str(obj.get("id") or "")
        if not ident:
            reject(ListFormatError(str(path), "entity without id", record=f"line {n}", field="id"))
            continue
        schema = str(obj.get("schema"))
        props = _props(obj)
        names: list[ListName] = []
        own_wallets: list[ListWallet] = []
        if schema == "CryptoWallet":
            chain = (props.get("currency") or ["?"])[0].upper()
            own_wallets = [ListWallet(chain=chain, address=k) for k in props.get("publicKey", [])]
        for prop, quality in (
            ("name", NameQuality.STRONG),
            ("alias", NameQuality.STRONG),
            ("previousName", NameQuality.STRONG),
            ("weakAlias", NameQuality.WEAK),
        ):
            for value in props.get(prop, []):
                if value and not any(x.full == value for x in names):
                    q = NameQuality.PRIMARY if not names and prop == "name" else quality
                    names.append(ListName(full=value, quality=q, script=detect_script(value)))
        if not names and own_wallets:
            names = [ListName(full=own_wallets[0].address, quality=NameQuality.WEAK)]
        if not names:
            reject(
                ListFormatError(
                    str(path), "entity has no name", record=ident, field="properties.name"
                )
            )
            continue
        identifiers = [
            ListIdentifier(type=kind, value=v)
            for prop, kind in ID_PROPS.items()
            for v in props.get(prop, [])
        ]
        dataset = ",".join(str(d) for d in obj.get("datasets") or []) or None
        progs = programmes.get(ident, []) + props.get("program", [])
        notes = props.get("notes", [])
        if dataset:
            notes = [f"Datasets: {dataset}", *notes]
        yield ListEntry(
            id=f"{SOURCE}:{ident}",
            source=SOURCE,
            source_key=ident,
            kind=KINDS[schema],
            programmes=list(dict.fromkeys(progs)),
            names=names,
            birth_dates=[d for d in (_dob(v) for v in props.get("birthDate", [])) if d],
            nationalities=list(
                dict.fromkeys(
                    _country(v) for v in props.get("nationality", []) + props.get("citizenship", [])
                )
            ),
            countries=list(
                dict.fromkeys(
                    _country(v)
                    for v in props.get("country", [])
                    + props.get("jurisdiction", [])
                    + props.get("flag", [])
                )
            ),
            addresses=[ListAddress(full=a) for a in props.get("address", [])],
            identifiers=list(dict.fromkeys(identifiers)),
            wallets=list(dict.fromkeys(own_wallets + wallets.get(ident, []))),
            listed_on=listed.get(ident),
            remarks="; ".join(notes) or None,
            links=[f"{SOURCE}:{h}" for h in props.get("holder", [])],
        )


def recognise(path: Path, head: bytes) -> bool:
    """A JSON Lines file whose first object has FtM's `id`, `schema` and `properties`."""
    if not path.name.lower().endswith((".json", ".jsonl", ".ftm.json", ".json.gz", ".jsonl.gz")):
        return False
    first = head.lstrip().split(b"\n", 1)[0]
    try:
        obj = orjson.loads(first)
    except orjson.JSONDecodeError:
        return False
    return isinstance(obj, dict) and {"id", "schema", "properties"} <= obj.keys()


def slot(path: Path) -> str:
    stem = path.name.split(".", 1)[0]
    return f"{SOURCE}:{stem}"


def publication_date(_path: Path) -> date | None:
    return None
