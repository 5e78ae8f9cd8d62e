"""Accuracy floor on the real UN list (mirror required): generated variants and clean names."""

from pathlib import Path

import pytest

from stce.config import get_settings
from stce.parties.evalsets import clean, positives
from stce.parties.index import NameIndex
from stce.parties.screener import DEFAULT_THRESHOLD, PartyQuery, PartyScreener

UN = "sanctions/un/consolidated.xml"


@pytest.fixture(scope="module")
def un_screener() -> PartyScreener:
    mirror = get_settings().mirror
    if mirror is None or not (mirror / UN).is_file():
        pytest.skip("reference-data mirror absent (set STCE_MIRROR)")
    from stce.refdata import iter_entries

    return PartyScreener(NameIndex(list(iter_entries(mirror / UN)), "un"))


def test_recall_and_false_alerts_on_un_list(un_screener: PartyScreener) -> None:
    entries = un_screener.index.entries
    pos = positives(entries, 300, seed=7)
    neg = clean(entries, 300, seed=8, words=["copper", "valve", "fabric", "engine", "pump"])
    found = sum(
        any(
            m.entry.id == q.expected and m.score >= DEFAULT_THRESHOLD
            for m in un_screener.search(PartyQuery(q.text))
        )
        for q in pos
    )
    alerts = sum(
        any(m.score >= DEFAULT_THRESHOLD for m in un_screener.search(PartyQuery(q.text)))
        for q in neg
    )
    assert found / len(pos) >= 0.85
    assert alerts / len(neg) <= 0.02


def test_cross_script_pairs_file(un_screener: PartyScreener) -> None:
    mirror = get_settings().mirror
    assert mirror is not None
    path: Path = mirror / "matching" / "watchman_cross_script_pairs.csv"
    if not path.is_file():
        pytest.skip("cross-script pairs absent from the mirror")
    rows = [
        line.split(",")[:2]
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    cyrillic = [r for r in rows if any("\u0400" <= ch <= "\u04ff" for ch in r[0])]
    assert cyrillic
    scores = [un_screener.score_pair(a, b).score for a, b in cyrillic]
    assert sum(s >= DEFAULT_THRESHOLD for s in scores) >= len(cyrillic) * 0.8
