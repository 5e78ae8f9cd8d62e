from pathlib import Path

from stce.model import ListEntry
from stce.parties.cache import cache_path, cached_index, load_index, save_index
from stce.parties.clearance import entry_hash
from stce.parties.index import NameIndex
from stce.parties.screener import PartyQuery, PartyScreener


def test_round_trip_and_keyed_on_checksum(tmp_path: Path, entries: list[ListEntry]) -> None:
    built = NameIndex(entries, "abc")
    save_index(tmp_path, built)
    loaded = load_index(tmp_path, "abc")
    assert loaded is not None
    assert len(loaded.names) == len(built.names)
    assert PartyScreener(loaded).search(PartyQuery("Vladimir Putin"))[0].entry.id == "test:putin"
    assert load_index(tmp_path, "other") is None


def test_cached_index_builds_once(tmp_path: Path, entries: list[ListEntry]) -> None:
    calls: list[int] = []

    def load() -> list[ListEntry]:
        calls.append(1)
        return entries

    first = cached_index(tmp_path, "k1", load)
    second = cached_index(tmp_path, "k1", load)
    assert calls == [1]
    assert len(first.names) == len(second.names)


def test_corrupt_cache_is_rebuilt(tmp_path: Path, entries: list[ListEntry]) -> None:
    path = cache_path(tmp_path, "k2")
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a pickle")
    assert load_index(tmp_path, "k2") is None
    assert len(cached_index(tmp_path, "k2", lambda: entries).names) > 0


def test_memos_are_not_cached_and_come_back_on_load(entries: list[ListEntry]) -> None:
    """The per-process token memos are not part of the snapshot; an index loaded from a cache
    written without one of them (an older stce) still screens, glued names included."""
    built = NameIndex(entries, "abc")
    screener = PartyScreener(built)
    screener.search(PartyQuery("VLADIMIRPUTIN"))
    state = built.__getstate__()
    assert not {"_memo", "_weighed_memo", "_repair_memo", "_kernel"} & state.keys()
    loaded = NameIndex.__new__(NameIndex)
    loaded.__setstate__(state)
    top = PartyScreener(loaded).search(PartyQuery("VLADIMIRPUTIN"))
    assert top[0].entry.id == "test:putin"


def test_content_hash_is_the_clearance_hash(tmp_path: Path, entries: list[ListEntry]) -> None:
    """The screener checks clearances with `EntryStore.content_hash` (no entry parsed): it must
    be the `entry_hash` a clearance was recorded with, built or loaded from the cache."""
    built = NameIndex(entries, "abc")
    save_index(tmp_path, built)
    loaded = load_index(tmp_path, "abc")
    assert loaded is not None
    for i, entry in enumerate(entries):
        assert built.entries.content_hash(i) == entry_hash(entry)
        assert loaded.entries.content_hash(i) == entry_hash(entry)
        assert entry_hash(loaded.entries[i]) == entry_hash(entry)
    changed = entries[0].model_copy(update={"remarks": "a new alias published"})
    assert NameIndex([changed], "x").entries.content_hash(0) != entry_hash(entries[0])
