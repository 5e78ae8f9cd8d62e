"""Arbitrary text through the compiled kernel: it never crashes, and it answers as the Python
reference does (any script, combining marks, astral characters, huge tokens)."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stce.model import EntryKind, ListName, NameQuality
from stce.parties.index import NameIndex
from stce.parties.kernel import compiled
from stce.parties.screener import PartyQuery, PartyScreener

from .conftest import entry, filler_entries

pytestmark = pytest.mark.skipif(not compiled(), reason="compiled kernel not built")

LISTED = [
    entry("a", EntryKind.PERSON, "Mohammed Ali HASSAN", "محمد علي حسن"),
    entry("b", EntryKind.ORGANISATION, "Rostshipservis OOO", "ООО Ростшипсервис"),
    entry("c", EntryKind.PERSON, "KIM Jong Un", "김정은"),
    entry("d", EntryKind.ORGANISATION, "Universal Trading FZE"),
    entry("e", EntryKind.PERSON, "Ελένη Παπαδοπούλου"),
    entry("f", EntryKind.VESSEL, "Ocean Trader", "Ali Hassan"),
    entry("g", EntryKind.UNKNOWN, "Universal Fze Trading"),
    entry("h", EntryKind.ORGANISATION, "Kim Jong Trading").model_copy(
        update={
            "names": [
                ListName(full="Kim Jong Trading"),
                ListName(full="Trading Kim Jong", quality=NameQuality.WEAK),
                ListName(full="Hassan Ali", quality=NameQuality.WEAK),
            ]
        }
    ),
]


@pytest.fixture(scope="module")
def screeners() -> tuple[PartyScreener, PartyScreener]:
    entries = LISTED + filler_entries(200)
    fast = NameIndex(entries, "fuzz")
    assert fast.kernel is not None
    slow = NameIndex(entries, "fuzz")
    os.environ["STCE_PURE_PYTHON"] = "1"
    try:
        assert slow.kernel is None  # decided once, at first use
    finally:
        del os.environ["STCE_PURE_PYTHON"]
    return PartyScreener(fast), PartyScreener(slow)


WORDS = (
    *("mohammed", "mohamed", "ali", "hassan", "ooo", "kim", "jong", "un", "universal"),
    *("trading", "fze", "al", "bin", "محمد", "ростшипсервис", "김정은", "x", "ё"),
)
names = st.one_of(
    st.text(max_size=60),
    st.lists(st.sampled_from(WORDS), max_size=8).map(" ".join),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=30, max_size=300),
)


kinds = st.sampled_from([None, "Person", "Company", "Vessel", "LegalEntity", "Aircraft"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=names, kind=kinds)
def test_kernel_answers_as_python_on_any_text(
    screeners: tuple[PartyScreener, PartyScreener], name: str, kind: str | None
) -> None:
    fast, slow = screeners

    def answer(s: PartyScreener) -> list[tuple[str, float, str]]:
        query = PartyQuery(name, kind=kind)
        return [(m.entry_id, round(m.score, 9), m.explanation) for m in s.search(query)]

    assert answer(fast) == answer(slow)
