"""OFAC sanctioned digital currency addresses, one file per asset
(`sanctioned_addresses_<TICKER>.txt`: one address a line; `.json`: an array of strings), as
extracted from the SDN list by the 0xB10C tool. The address-to-party link is not in these files;
the SDN Advanced XML has it, so these entries are kind `wallet` and give way to a party entry that
carries the same address (see `current_entries`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import orjson

from stce.model.list_entry import EntryKind, ListEntry, ListName, ListWallet, NameQuality
from stce.refdata.errors import ListFormatError, reject
from stce.refdata.sources.tabular import decode, read_text
from stce.refdata.wallets import normalise_address

SOURCE = "ofac-crypto"
NAME = re.compile(r"^sanctioned_addresses_([A-Z0-9]{2,10})\.(txt|json)$")
ADDRESS = re.compile(r"^[A-Za-z0-9:]{20,128}$")
MAX_BYTES = 64 << 20


def ticker(path: Path) -> str:
    m = NAME.match(path.name)
    if not m:
        raise ListFormatError(str(path), "file name is not sanctioned_addresses_<TICKER>.txt|json")
    return m.group(1)


def _addresses(path: Path) -> list[tuple[int, str]]:
    text = decode(path, read_text(path, MAX_BYTES))
    if path.suffix == ".json":
        try:
            data = orjson.loads(text)
        except orjson.JSONDecodeError as exc:
            raise ListFormatError(str(path), f"invalid JSON: {exc}") from exc
        if not isinstance(data, list):
            raise ListFormatError(str(path), "expected a JSON array of addresses")
        return [(i + 1, str(a)) for i, a in enumerate(data)]
    return [(i + 1, line.strip()) for i, line in enumerate(text.splitlines()) if line.strip()]


def iter_crypto(path: Path) -> Iterator[ListEntry]:
    """One wallet entry per listed address of the file's asset."""
    chain = ticker(path)
    seen: set[str] = set()
    for n, address in _addresses(path):
        if not ADDRESS.match(address):
            reject(
                ListFormatError(str(path), f"not an address: {address[:40]!r}", record=f"item {n}")
            )
            continue
        key = normalise_address(chain, address)
        if key in seen:
            continue
        seen.add(key)
        yield ListEntry(
            id=f"{SOURCE}:{chain}:{address}",
            source=SOURCE,
            source_key=f"{chain}:{address}",
            kind=EntryKind.WALLET,
            programmes=[],
            names=[ListName(full=address, quality=NameQuality.WEAK)],
            wallets=[ListWallet(chain=chain, address=address)],
            remarks=f"OFAC SDN digital currency address ({chain})",
        )


def recognise(path: Path, _head: bytes) -> bool:
    return bool(NAME.match(path.name))


def slot(path: Path) -> str:
    return f"{SOURCE}:{ticker(path)}"


def preference(path: Path) -> int:
    return 1 if path.suffix == ".json" else 0


def publication_date(_path: Path) -> date | None:
    return None
