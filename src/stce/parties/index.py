"""The in-memory name index of one list snapshot: built once, cached on disk, read-only after.

Why this shape: screening must never scan every list name per party. Fuzziness is paid at build
time instead: every list token is indexed with its symmetric-delete variants (one deletion from
4 letters, two from 10) and its metaphone key, adjacent tokens are indexed joined ("al qaida" ->
"alqaida"), each name is indexed compacted ("vladimirputin"), and pairs of very common tokens
("mohammed ali") get their own keys so over-common single tokens need not be walked. A query
looks up its own tokens and variants, sums rarity weights per list name, and hands only a small
top-K whose upper bound can still pass the review threshold to the scorer.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations, pairwise

from rapidfuzz.distance import Levenshtein
from rigour.text import metaphone

from stce.model import EntryKind, ListEntry, NameQuality
from stce.parties.normalise import AnalysedName, TokenClass, analyse

CLASS_FACTOR: dict[int, float] = {
    TokenClass.NAME: 1.0,
    TokenClass.STOP: 0.25,
    TokenClass.PARTICLE: 0.3,
    TokenClass.LEGAL: 0.0,
}
"""How much a token of each class counts, on top of its rarity."""

COMMON_DF = 250
"""Tokens on more entries than this are not walked one by one; their pairs are."""

MAX_NAME_TOKENS = 8
"""Tokens beyond this in one list name add no index keys (long descriptive aliases)."""


def edit_budget(length: int) -> int:
    """Edits tolerated between two tokens, by the longer token's length.

    Short tokens allow none below 4 letters ("jon"/"john" is 4, so one), which stops "li"/"lu"
    and "ali"/"ari" from merging; long tokens allow two from 8 letters, three from 13.
    """
    if length < 4:
        return 0
    if length < 8:
        return 1
    if length < 13:
        return 2
    return 3


def deletes(token: str, depth: int) -> set[str]:
    """All strings obtained from `token` by deleting up to `depth` characters."""
    out = {token}
    frontier = {token}
    for _ in range(depth):
        nxt: set[str] = set()
        for s in frontier:
            for i in range(len(s)):
                nxt.add(s[:i] + s[i + 1 :])
        out |= nxt
        frontier = nxt
    return out


def delete_depth(token: str) -> int:
    if len(token) < 4 or token.isdigit():
        return 0
    return 1 if len(token) < 10 else 2


def phonetic_key(token: str) -> str | None:
    if len(token) < 3 or not token.isalpha():
        return None
    key: str = metaphone(token)
    return key if len(key) >= 2 else None


@dataclass(frozen=True, slots=True)
class IndexedName:
    entry: int
    text: str
    tokens: tuple[str, ...]
    classes: tuple[int, ...]
    legal: tuple[str, ...]
    weak: bool


@dataclass(frozen=True, slots=True)
class QueryToken:
    token: str
    cls: int
    weight: float


class NameIndex:
    """Candidate retrieval over every name of every entry of one list snapshot."""

    def __init__(self, entries: Sequence[ListEntry], checksum: str = "") -> None:
        self.checksum = checksum
        self.entries: list[ListEntry] = list(entries)
        self.names: list[IndexedName] = []
        self.vocab: dict[str, int] = {}
        self.idf: list[float] = []
        self.postings: list[array[int]] = []
        self.deletes: dict[str, int | tuple[int, ...]] = {}
        self.phonetic: dict[str, tuple[int, ...]] = {}
        self.joined: dict[str, tuple[int, ...]] = {}
        self.compact: dict[str, tuple[int, ...]] = {}
        self.pairs: dict[str, tuple[int, ...]] = {}
        self._build()

    # -- build -----------------------------------------------------------------------------

    def _build(self) -> None:
        df: dict[str, set[int]] = {}
        postings: dict[str, list[int]] = {}
        joined: dict[str, list[int]] = {}
        compact: dict[str, list[int]] = {}
        for e_idx, entry in enumerate(self.entries):
            if entry.kind == EntryKind.WALLET and not any(n.full.strip() for n in entry.names):
                continue
            seen: set[tuple[str, ...]] = set()
            for name in entry.names:
                a = analyse(name.full)
                core = _core(a)
                if not core or core in seen:
                    continue
                seen.add(core)
                nid = len(self.names)
                self.names.append(
                    IndexedName(
                        entry=e_idx,
                        text=name.full,
                        tokens=core,
                        classes=_core_classes(a),
                        legal=a.legal_forms,
                        weak=name.quality == NameQuality.WEAK,
                    )
                )
                for tok in core[:MAX_NAME_TOKENS]:
                    df.setdefault(tok, set()).add(e_idx)
                    postings.setdefault(tok, []).append(nid)
                for x, y in pairwise(core):
                    joined.setdefault(x + y, []).append(nid)
                if len(core) > 1:
                    compact.setdefault("".join(core), []).append(nid)
        n = max(len(self.entries), 1)
        for tok in sorted(postings):
            tid = len(self.idf)
            self.vocab[tok] = tid
            self.idf.append(max(0.5, math.log((n + 1) / (len(df[tok]) + 0.5))))
            self.postings.append(array("I", sorted(set(postings[tok]))))
        dels: dict[str, list[int]] = {}
        phon: dict[str, list[int]] = {}
        for tok, tid in self.vocab.items():
            for v in deletes(tok, delete_depth(tok)):
                dels.setdefault(v, []).append(tid)
            key = phonetic_key(tok)
            if key:
                phon.setdefault(key, []).append(tid)
        self.deletes = {k: v[0] if len(v) == 1 else tuple(v) for k, v in dels.items()}
        self.phonetic = {k: tuple(v) for k, v in phon.items()}
        self.joined = {k: tuple(sorted(set(v))) for k, v in joined.items()}
        self.compact = {k: tuple(sorted(set(v))) for k, v in compact.items()}
        pairs: dict[str, set[int]] = {}
        for nid, nm in enumerate(self.names):
            common = sorted({t for t in nm.tokens[:MAX_NAME_TOKENS] if len(df[t]) > COMMON_DF})
            for x, y in combinations(common, 2):
                pairs.setdefault(x + " " + y, set()).add(nid)
        self.pairs = {k: tuple(sorted(v)) for k, v in pairs.items()}
        self.max_idf = math.log((n + 1) / 0.5)

    # -- weights ---------------------------------------------------------------------------

    def weight(self, token: str, cls: int) -> float:
        """Evidence a token carries: rarity on the lists times its class factor.

        A token no list name contains gets the highest rarity: it is strong evidence that the
        party is someone else when it stays unmatched.
        """
        tid = self.vocab.get(token)
        idf = self.idf[tid] if tid is not None else self.max_idf
        return idf * CLASS_FACTOR[cls]

    def query_tokens(self, name: AnalysedName) -> list[QueryToken]:
        return [
            QueryToken(t, c, self.weight(t, c))
            for t, c in zip(name.tokens, name.classes, strict=True)
            if c != TokenClass.LEGAL
        ]

    # -- retrieval -------------------------------------------------------------------------

    def similar_tokens(self, token: str) -> dict[int, float]:
        """Vocabulary tokens within the edit budget or with the same sound, with a similarity."""
        out: dict[int, float] = {}
        tid = self.vocab.get(token)
        if tid is not None:
            out[tid] = 1.0
        depth = delete_depth(token)
        if depth:
            cand: set[int] = set()
            get = self.deletes.get
            for v in deletes(token, depth):
                hit = get(v)
                if hit is None:
                    continue
                if isinstance(hit, int):
                    cand.add(hit)
                else:
                    cand.update(hit)
            vocab_list = self.tokens_by_id
            for c in cand:
                if c in out:
                    continue
                other = vocab_list[c]
                budget = edit_budget(max(len(other), len(token)))
                d = Levenshtein.distance(token, other, score_cutoff=budget)
                if d <= budget:
                    out[c] = token_similarity_from_distance(d, max(len(other), len(token)))
        key = phonetic_key(token)
        if key:
            for c in self.phonetic.get(key, ()):
                if out.get(c, 0.0) < 0.7:
                    out[c] = 0.7
        return out

    @property
    def tokens_by_id(self) -> list[str]:
        cached: list[str] | None = getattr(self, "_tokens_by_id", None)
        if cached is None:
            cached = [""] * len(self.vocab)
            for tok, tid in self.vocab.items():
                cached[tid] = tok
            self._tokens_by_id = cached
        return cached

    def candidates(self, qtokens: Sequence[QueryToken], limit: int, floor: float) -> list[int]:
        """Ids of list names likely to match, best first.

        `floor` is the share of the query's weight a name must plausibly cover to be scored.
        """
        acc: dict[int, float] = {}
        total = sum(q.weight for q in qtokens) or 1.0
        common: list[str] = []
        for q in qtokens:
            if len(q.token) < 2:
                continue
            sims = self.similar_tokens(q.token)
            factor = CLASS_FACTOR[q.cls]
            for tid, sim in sims.items():
                post = self.postings[tid]
                if len(post) > COMMON_DF * 2:
                    if sim == 1.0:
                        common.append(q.token)
                    continue
                gain = self.idf[tid] * factor * sim
                for nid in post:
                    acc[nid] = acc.get(nid, 0.0) + gain
            # a query token that is two list tokens joined ("alqaida")
            for nid in self.joined.get(q.token, ()):
                acc[nid] = acc.get(nid, 0.0) + q.weight
        # two query tokens that are one list token split ("jin ping" / "jinping")
        for x, y in pairwise(qtokens):
            split_tid = self.vocab.get(x.token + y.token)
            if split_tid is not None and len(self.postings[split_tid]) <= COMMON_DF * 2:
                gain = x.weight + y.weight
                for nid in self.postings[split_tid]:
                    acc[nid] = acc.get(nid, 0.0) + gain
        compact = "".join(q.token for q in qtokens)
        for nid in self.compact.get(compact, ()):
            acc[nid] = max(acc.get(nid, 0.0), total)
        if len(common) > 1:
            weights = {q.token: q.weight for q in qtokens}
            for a, b in combinations(sorted(set(common)), 2):
                gain = weights[a] + weights[b]
                for nid in self.pairs.get(a + " " + b, ()):
                    acc[nid] = acc.get(nid, 0.0) + gain
        need = floor * total
        ranked = sorted((v, k) for k, v in acc.items() if v >= need)
        return [k for _, k in reversed(ranked[-limit:])]


def token_similarity_from_distance(distance: int, length: int) -> float:
    """Similarity of two tokens `distance` edits apart; longer tokens forgive an edit more."""
    if distance == 0:
        return 1.0
    return max(0.0, 1.0 - distance * (0.5 / max(length, 1)) - 0.08 * distance)


def _core(a: AnalysedName) -> tuple[str, ...]:
    return tuple(t for t, c in zip(a.tokens, a.classes, strict=True) if c != TokenClass.LEGAL)


def _core_classes(a: AnalysedName) -> tuple[int, ...]:
    return tuple(int(c) for c in a.classes if c != TokenClass.LEGAL)


def build_index(entries: Iterable[ListEntry], checksum: str = "") -> NameIndex:
    return NameIndex(list(entries), checksum)
