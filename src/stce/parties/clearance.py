"""False-positive clearances: an analyst's "this party is not that list entry".

A clearance is keyed on the party (its analysed name key and country) and on the list entry's
id *and content hash*: when the publisher changes the entry (a new alias, birth date, address),
the hash changes and the clearance lapses by itself, so the party is looked at again.
The store keeps clearances (`stce.store.parties`); checks receive them as a plain `Clearances`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from stce.model import ListEntry
from stce.parties.normalise import analyse


def entry_hash(entry: ListEntry) -> str:
    """SHA-256 of the entry's canonical JSON: changes whenever the publisher changes the entry."""
    return json_hash(entry_json(entry))


def entry_json(entry: ListEntry) -> bytes:
    """The entry's canonical JSON, which `entry_hash` hashes and `EntryStore` keeps."""
    return entry.model_dump_json().encode("utf-8")


def json_hash(canonical: bytes) -> str:
    """`entry_hash` of an entry whose canonical JSON is at hand (`EntryStore` keeps it): the
    screener checks a clearance for every match without parsing the entry back."""
    return hashlib.sha256(canonical).hexdigest()


def party_key(name: str, country: str | None = None) -> str:
    """The party as clearances see it: spelling-insensitive name key plus country."""
    return f"{analyse(name).key}|{(country or '').upper()}"


@dataclass(frozen=True, slots=True)
class Clearance:
    party_key: str
    entry_id: str
    entry_hash: str


class Clearances:
    """Set of live clearances, looked up per (party, entry, entry content)."""

    def __init__(self, items: Iterable[Clearance] = ()) -> None:
        self._items = {(c.party_key, c.entry_id, c.entry_hash) for c in items}

    def __len__(self) -> int:
        return len(self._items)

    def cleared(self, key: str, entry_id: str, content_hash: str) -> bool:
        return (key, entry_id, content_hash) in self._items
