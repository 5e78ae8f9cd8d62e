"""Cross-script names: the shared cross-script pairs scored with and without alternative readings.

    STCE_MIRROR=/work/shared/data python bench/parties_scripts.py

Loads the same index as `bench/parties.py` (the mirror's lists, cached on disk) and prints,
pair by pair, the score of `PartyScreener.score_pair` (default analysis only, what the bench
reports today) and the best score over `analyse_alternatives` of the query (the readings a
Han, Hangul or Greek name may have), then the same for a full index search: is the expected
Latin name's entry among the matches at the default threshold when the query is in its script?
The alternatives are wired here for measurement only (each alternative's tokens searched as a
name); the screener itself does not call them yet.
"""

from __future__ import annotations

import csv
import re
import sys
import time

from stce.config import get_settings
from stce.parties.cache import cached_index
from stce.parties.normalise import analyse, analyse_alternatives
from stce.parties.screener import DEFAULT_THRESHOLD, Match, PartyQuery, PartyScreener
from stce.parties.sources import current_source


def search_alternatives(screener: PartyScreener, name: str) -> list[Match]:
    """Best match per entry over every analysis of `name` (test-only wiring)."""
    best: dict[str, Match] = {}
    for i, a in enumerate(analyse_alternatives(name)):
        text = name if i == 0 else " ".join(a.tokens)
        for m in screener.search(PartyQuery(text)):
            if m.entry.id not in best or m.score > best[m.entry.id].score:
                best[m.entry.id] = m
    return sorted(best.values(), key=lambda m: -m.score)


def main() -> int:
    settings = get_settings()
    source = current_source(settings)
    if source is None or settings.mirror is None:
        print("no list files: set STCE_MIRROR", file=sys.stderr)
        return 2
    t = time.perf_counter()
    index = cached_index(settings.cache_dir, source.checksum, source.load)
    print(f"index: {len(index.names)} names, loaded in {time.perf_counter() - t:.1f}s")
    screener = PartyScreener(index)
    path = settings.mirror / "matching" / "watchman_cross_script_pairs.csv"
    lines = (line for line in path.open(encoding="utf-8") if not line.startswith("#"))
    rows = [r for r in csv.reader(lines) if len(r) >= 2 and r[0].strip()]
    before = after = 0
    for query, expected, *_ in rows:
        s0 = screener.score_pair(query, expected).score
        s1 = max(
            screener.score_pair(" ".join(a.tokens) if i else query, expected).score
            for i, a in enumerate(analyse_alternatives(query))
        )
        before += s0 >= DEFAULT_THRESHOLD
        after += s1 >= DEFAULT_THRESHOLD
        print(f"  {query:<14} {expected:<16} default {s0:.2f}  best alternative {s1:.2f}")
    print(
        f"cross-script pairs at {DEFAULT_THRESHOLD}: {before}/{len(rows)} with the default "
        f"analysis, {after}/{len(rows)} with alternatives"
    )

    # the lists' own non-Latin names against the Latin names of the same entry
    scripts = {
        "Hangul": re.compile("[\uac00-\ud7a3]"),
        "Han": re.compile("[\u4e00-\u9fff]"),
        "Greek": re.compile("[\u0370-\u03ff]"),
        "Kana": re.compile("[\u3040-\u30ff]"),
    }
    for script, pattern in scripts.items():
        n = found0 = found1 = 0
        for nm in index.names:
            if not pattern.search(nm.text):
                continue
            entry = index.entries[nm.entry]
            latin = [x.full for x in entry.names if x.full.isascii()]
            if not latin:
                continue
            n += 1
            found0 += max(screener.score_pair(nm.text, x).score for x in latin) >= DEFAULT_THRESHOLD
            found1 += (
                max(
                    screener.score_pair(" ".join(a.tokens) if i else nm.text, x).score
                    for i, a in enumerate(analyse_alternatives(nm.text))
                    for x in latin
                )
                >= DEFAULT_THRESHOLD
            )
        print(
            f"list names in {script} vs their entry's Latin names: {found0}/{n} at "
            f"{DEFAULT_THRESHOLD} by default analysis, {found1}/{n} with alternatives"
        )

    # full search: the Hangul / Han / Greek spelling of listed Latin names
    probes = [("김정은", "KIM JONG UN"), ("최룡해", "CHOE RYONG HAE"), ("리수용", "RI SU YONG")]
    for query, latin in probes:
        wanted = {m.entry.id for m in screener.search(PartyQuery(latin)) if m.score >= 0.95}
        plain = {m.entry.id for m in screener.search(PartyQuery(query)) if m.score >= 0.8}
        alts = {m.entry.id for m in search_alternatives(screener, query) if m.score >= 0.8}
        print(
            f"  search {query} (listed as {latin}, {len(wanted)} entries): "
            f"found {len(wanted & plain)} by default analysis, {len(wanted & alts)} with "
            f"alternatives"
        )
    t = time.process_time()
    n = 0
    for _ in range(3):
        for query, *_ in rows:
            analyse_alternatives.cache_clear()
            analyse.cache_clear()
            analyse_alternatives(query)
            n += 1
    print(f"analyse_alternatives, cold: {(time.process_time() - t) / n * 1e6:.0f} us per name")
    return 0


if __name__ == "__main__":
    sys.exit(main())
