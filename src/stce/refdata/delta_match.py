"""Matching stored parties against a small set of list entries (the delta of a new snapshot).

The matcher is a protocol so that the real party matcher (`stce.parties`) can be plugged in;
the default here is deliberately simple: names are normalised to ASCII lower-case tokens, an
inverted index over the delta's name tokens picks candidates, and rapidfuzz's token-sort ratio
scores them. Wallets match exactly after per-chain normalisation (EVM addresses lower-cased).

Why index the delta and not the parties: the delta is small (tens to hundreds of entries), the
stored parties are many (tens of millions), so each party costs a few dictionary look-ups and
almost never a fuzzy comparison.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from normality import normalize
from rapidfuzz import fuzz

from stce.model.list_entry import ListEntry, NameQuality
from stce.refdata.wallets import wallet_key

ALERT = 0.92
"""Score from which a name match is PARTY_LISTED."""
REVIEW = 0.85
"""Score from which a name match is PARTY_POSSIBLE_MATCH."""
STOP_TOKENS = frozenset(
    {
        "al",
        "el",
        "the",
        "of",
        "and",
        "de",
        "du",
        "la",
        "le",
        "co",
        "ltd",
        "llc",
        "inc",
        "corp",
        "company",
        "limited",
        "sa",
        "gmbh",
        "plc",
        "jsc",
        "ooo",
        "trading",
        "group",
        "international",
        "bin",
        "ibn",
        "abu",
    }
)
_TOKEN = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class DeltaMatch:
    """One stored party matching one entry of the delta."""

    entry: ListEntry
    code: str
    score: float
    matched_name: str
    kind: str
    """'name' or 'wallet'."""


class DeltaMatcher(Protocol):
    """Finds, for one stored party, the delta entries it matches."""

    def match_party(
        self, name: str, country: str | None, wallet_chain: str | None, wallet_address: str | None
    ) -> list[DeltaMatch]: ...


MatcherFactory = Callable[[Sequence[ListEntry]], DeltaMatcher]
"""Builds a matcher over the delta entries (the parties helper can provide its own)."""


def simple_key(name: str) -> str:
    """Lower-case ASCII form of a name with punctuation removed ('' if nothing is left)."""
    if name.isascii():
        return " ".join(_TOKEN.findall(name.lower()))
    return normalize(name, ascii=True) or ""


def tokens(key: str) -> set[str]:
    return {t for t in key.split() if len(t) > 1 and t not in STOP_TOKENS}


class TokenFuzzyMatcher:
    """Default DeltaMatcher: token blocking + rapidfuzz token-sort ratio."""

    def __init__(
        self, entries: Sequence[ListEntry], alert: float = ALERT, review: float = REVIEW
    ) -> None:
        self.alert = alert
        self.review = review
        self.names: list[tuple[ListEntry, str, str, bool]] = []
        """(entry, original name, normalised key, weak)"""
        self.by_token: dict[str, list[int]] = {}
        self.wallets: dict[str, list[ListEntry]] = {}
        for entry in entries:
            for name in entry.names:
                key = simple_key(name.full)
                if not key:
                    continue
                idx = len(self.names)
                self.names.append((entry, name.full, key, name.quality is NameQuality.WEAK))
                for tok in tokens(key) or set(key.split()):
                    self.by_token.setdefault(tok, []).append(idx)
            for wallet in entry.wallets:
                self.wallets.setdefault(wallet_key(wallet.chain, wallet.address), []).append(entry)

    def match_party(
        self, name: str, country: str | None, wallet_chain: str | None, wallet_address: str | None
    ) -> list[DeltaMatch]:
        out: list[DeltaMatch] = []
        if wallet_address:
            for entry in self.wallets.get(wallet_key(wallet_chain or "", wallet_address), []):
                out.append(DeltaMatch(entry, "WALLET_LISTED", 1.0, wallet_address, "wallet"))
        if not name or not self.by_token:
            return out
        # fast path: most stored parties share no token with the small delta
        key = simple_key(name)
        by_token = self.by_token
        candidates: set[int] = set()
        for tok in key.split():
            hit = by_token.get(tok)
            if hit:
                candidates.update(hit)
        if not candidates:
            return out
        best: dict[str, DeltaMatch] = {}
        for idx in candidates:
            entry, original, list_key, weak = self.names[idx]
            score = fuzz.token_sort_ratio(key, list_key) / 100.0
            if weak and score < 1.0:
                continue
            if score < self.review:
                continue
            code = "PARTY_LISTED" if score >= self.alert else "PARTY_POSSIBLE_MATCH"
            prev = best.get(entry.id)
            if prev is None or score > prev.score:
                best[entry.id] = DeltaMatch(entry, code, score, original, "name")
        out.extend(best.values())
        return out


def default_matcher(entries: Sequence[ListEntry]) -> DeltaMatcher:
    return TokenFuzzyMatcher(entries)
