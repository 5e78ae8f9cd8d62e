from pathlib import Path

import pytest

from stce.model import ListEntry
from stce.parties.clearance import entry_hash, party_key
from stce.store.engine import session_factory
from stce.store.parties import add_clearance, load_clearances


def test_clearances_kept_in_the_store(tmp_path: Path, entries: list[ListEntry]) -> None:
    url = f"sqlite:///{tmp_path / 'stce.db'}"
    target = entries[0]
    with session_factory(url)() as session:
        add_clearance(
            session,
            party_key=party_key("Vladimir Putin", "RU"),
            party_name="Vladimir Putin",
            country="RU",
            entry_id=target.id,
            entry_hash=entry_hash(target),
            reason="namesake, different birth date",
            cleared_by="analyst-1",
        )
        session.commit()
    with session_factory(url)() as session:
        cleared = load_clearances(session)
    assert cleared.cleared(party_key("PUTIN  Vladimir", "ru"), target.id, entry_hash(target))
    assert not cleared.cleared(party_key("Vladimir Putin", "RU"), target.id, "other-hash")
    with session_factory(url)() as session, pytest.raises(ValueError, match="reason"):
        add_clearance(
            session,
            party_key="k",
            party_name="n",
            country=None,
            entry_id="e",
            entry_hash="h",
            reason=" ",
            cleared_by="a",
        )
