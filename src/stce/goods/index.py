"""The compiled matcher: phrase index, chemical-name index, CAS and HS lookups.

Built once from the knowledge base. A description is scanned in one pass over its tokens: each
token position looks up the phrases that start with that token (a first-token index, the same
idea as an Aho-Corasick automaton keyed on whole tokens), so the cost grows with the length of
the description, not with the size of the knowledge base. Tokens unknown to the knowledge base
vocabulary and long enough to be a misspelling of a technical term are corrected once with
rapidfuzz and the correction is cached.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from stce.goods.kb import Chemical, ControlEntry, KnowledgeBase
from stce.goods.text import compact, tokens

PhraseKind = Literal["chemical", "name", "keyword", "exclusion"]

MIN_FUZZY_LEN = 8
"""Shorter tokens are never corrected: 'satin' must not become 'sarin'."""


@dataclass(frozen=True, slots=True)
class PhraseRef:
    """What a matched phrase points at."""

    kind: PhraseKind
    entry_id: str
    text: str
    cas: str | None = None


@dataclass(slots=True)
class PhraseMatch:
    ref: PhraseRef
    start: int
    end: int
    fuzzy: bool = False


@dataclass
class MatcherIndex:
    """Lookups compiled from a knowledge base."""

    kb: KnowledgeBase
    by_first: dict[str, list[tuple[tuple[str, ...], PhraseRef]]] = field(default_factory=dict)
    compact_names: dict[str, list[PhraseRef]] = field(default_factory=dict)
    compact_prefixes: set[str] = field(default_factory=set)
    vocab: set[str] = field(default_factory=set)
    vocab_by_initial: dict[str, list[str]] = field(default_factory=dict)
    hs_links: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    cas_chemicals: dict[str, Chemical] = field(default_factory=dict)
    watchlist: set[str] = field(default_factory=set)
    _fuzzy_cache: dict[str, str | None] = field(default_factory=dict)

    @classmethod
    def build(cls, kb: KnowledgeBase) -> MatcherIndex:
        idx = cls(kb=kb)
        for e in kb.entries.values():
            idx._add_entry(e)
        for c in kb.chemicals.values():
            for name in c.all_names:
                for eid in c.entries:
                    idx._add_phrase(name, PhraseRef("chemical", eid, name, c.cas), chemical=True)
        for e in kb.entries.values():
            for h in e.hs:
                idx.hs_links.setdefault(h.code, []).append((e.id, h.match))
        for c in kb.chemicals.values():
            for code in c.hs:
                for eid in c.entries:
                    links = idx.hs_links.setdefault(code, [])
                    if not any(x == eid for x, _ in links):
                        links.append((eid, "partial"))
        idx.cas_chemicals = dict(kb.chemicals)
        idx.watchlist = set(idx.hs_links)
        for t in idx.vocab:
            if len(t) >= MIN_FUZZY_LEN - 1 and t.isalpha():
                idx.vocab_by_initial.setdefault(t[0], []).append(t)
        return idx

    def _add_entry(self, e: ControlEntry) -> None:
        for n in e.names:
            self._add_phrase(n, PhraseRef("name", e.id, n))
        for k in e.keywords:
            self._add_phrase(k, PhraseRef("keyword", e.id, k))
        for x in e.exclusions:
            self._add_phrase(x, PhraseRef("exclusion", e.id, x), vocab=False)

    def _add_phrase(
        self, text: str, ref: PhraseRef, *, chemical: bool = False, vocab: bool = True
    ) -> None:
        toks = tokens(text)
        if not toks:
            return
        bucket = self.by_first.setdefault(toks[0], [])
        key = tuple(toks)
        if not any(k == key and r == ref for k, r in bucket):
            bucket.append((key, ref))
        if vocab:
            self.vocab.update(toks)
        if chemical:
            c = compact(toks)
            if len(c) >= 6:
                refs = self.compact_names.setdefault(c, [])
                if ref not in refs:
                    refs.append(ref)
                self.compact_prefixes.add(c[:5])

    # ---- matching -------------------------------------------------------------------------

    def correct(self, tok: str) -> str | None:
        """The knowledge-base token `tok` is a likely misspelling of, or None."""
        if tok in self._fuzzy_cache:
            return self._fuzzy_cache[tok]
        best: str | None = None
        choices = self.vocab_by_initial.get(tok[0])
        if choices:
            budget = 1 if len(tok) < 12 else 2
            found = process.extractOne(
                tok, choices, scorer=Levenshtein.distance, score_cutoff=budget
            )
            if found is not None:
                best = str(found[0])
        if len(self._fuzzy_cache) < 200_000:
            self._fuzzy_cache[tok] = best
        return best

    def scan(self, toks: list[str]) -> list[PhraseMatch]:
        """Every knowledge-base phrase found in `toks` (longest first at each position)."""
        fixed: list[str] = toks
        fuzzy_at: set[int] = set()
        for i, t in enumerate(toks):
            if t not in self.vocab and len(t) >= MIN_FUZZY_LEN and t.isalpha():
                c = self.correct(t)
                if c is not None:
                    if fixed is toks:
                        fixed = list(toks)
                    fixed[i] = c
                    fuzzy_at.add(i)
        out: list[PhraseMatch] = []
        n = len(fixed)
        by_first = self.by_first
        for i in range(n):
            bucket = by_first.get(fixed[i])
            if bucket is None:
                continue
            for key, ref in bucket:
                k = len(key)
                if k == 1 or (i + k <= n and tuple(fixed[i : i + k]) == key):
                    fz = any(j in fuzzy_at for j in range(i, i + k))
                    out.append(PhraseMatch(ref, i, i + k, fz))
        if self.compact_names:
            out.extend(self._scan_compact(fixed))
        return out

    def _scan_compact(self, toks: list[str]) -> list[PhraseMatch]:
        out: list[PhraseMatch] = []
        prefixes = self.compact_prefixes
        n = len(toks)
        for i in range(n):
            if toks[i].isdigit():
                continue
            s = ""
            for j in range(i, min(n, i + 10)):
                t = toks[j]
                if not t.isdigit():
                    s += t
                if len(s) >= 5 and s[:5] not in prefixes:
                    break
                refs = self.compact_names.get(s)
                if refs:
                    out.extend(PhraseMatch(r, i, j + 1) for r in refs)
        return out
