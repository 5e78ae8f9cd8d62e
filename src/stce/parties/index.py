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

import heapq
import math
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations, pairwise
from typing import TYPE_CHECKING, NamedTuple, overload

from rapidfuzz.distance import OSA
from rigour.text import metaphone

from stce.model import EntryKind, ListEntry, NameQuality
from stce.parties.clearance import entry_json, json_hash
from stce.parties.normalise import (
    HONORIFICS,
    LEGAL_FORMS,
    PARTICLES,
    STOP_TOKENS,
    AnalysedName,
    TokenClass,
    analyse,
    consonants,
    spelling_key,
)

if TYPE_CHECKING:
    from stce.parties._kernel import Kernel, TokenPlan

CLASS_FACTOR: dict[int, float] = {
    TokenClass.NAME: 1.0,
    TokenClass.STOP: 0.25,
    TokenClass.PARTICLE: 0.3,
    TokenClass.LEGAL: 0.0,
    TokenClass.GENERIC: 1.0,
}
"""How much a token of each class counts, on top of its rarity."""
_NAME, _LEGAL = TokenClass.NAME, TokenClass.LEGAL
"""The classes as plain names: an enum member looked up on its class costs a call."""

LETTER_WEIGHT = 1.0
"""Most a single-letter token weighs (in idf units)."""
VARIANT_SIMILARITY = 0.9
"""Two spellings the lists themselves give as aliases of the same entries ("Muhammad" /
"Mohamed", "Noor" / "Nur"): learned at build time, see `NameIndex._learn_variants`."""
VARIANT_MIN_ENTRIES = 2
"""Entries that must show a spelling pair before it counts as a variant."""
WALK_LIMIT = 100
"""Tokens in more list names than this are not walked one by one; their pairs are."""
PHONETIC_SIMILARITY = 0.7
SPELLING_SIMILARITY = 0.9
CONSONANT_SIMILARITY = 0.85
"""An Arabic- or Hebrew-script token whose consonants equal a Latin token's (`consonants`)."""
"""Tokens equal after folding romanisation choices (`spelling_key`)."""

NAMES_PER_ENTRY = 2
"""Candidate names kept per entry (its best-ranked aliases)."""
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


MAX_FUZZY_LENGTH = 32
"""Tokens longer than this (no name part is) are matched exactly: their deletion variants grow
with the square of their length, and a hostile 4,000-letter "name" must not stall screening."""


def delete_depth(token: str) -> int:
    if len(token) < 4 or len(token) > MAX_FUZZY_LENGTH or token.isdigit():
        return 0
    return 1 if len(token) < 10 else 2


def phonetic_key(token: str) -> str | None:
    if len(token) < 3 or not token.isalpha():
        return None
    key: str = metaphone(token)
    return key if len(key) >= 2 else None


class IndexedName(NamedTuple):
    """One name of one entry, analysed (a tuple: the cache pickles 50 000 of them)."""

    entry: int
    text: str
    tokens: tuple[str, ...]
    classes: tuple[int, ...]
    legal: tuple[str, ...]
    weak: bool
    tids: tuple[int, ...] = ()


class Postings:
    """Every token's posting list (sorted list-name ids) in one flat array, CSR style.

    Why: one array pickles and loads at memory speed and hides nothing from the garbage
    collector, and the compiled kernel (`stce.parties._kernel`) walks it directly.
    """

    def __init__(self, lists: Iterable[Iterable[int]]) -> None:
        self.flat = array("I")
        self.offsets = array("I", [0])
        for ids in lists:
            self.flat.extend(ids)
            self.offsets.append(len(self.flat))

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, tid: int) -> memoryview:
        return memoryview(self.flat)[self.offsets[tid] : self.offsets[tid + 1]]

    def size(self, tid: int) -> int:
        return self.offsets[tid + 1] - self.offsets[tid]


class NameTokens:
    """The tokens of every list name as the scorer weighs them, in flat arrays (CSR style):
    vocabulary id, class and weight, for the compiled kernel's scoring."""

    def __init__(self) -> None:
        self.offsets = array("I", [0])
        self.tids = array("i")
        self.classes = array("b")
        self.weights = array("d")

    def add(self, tids: Iterable[int], classes: Iterable[int], weights: Iterable[float]) -> None:
        self.tids.extend(tids)
        self.classes.extend(classes)
        self.weights.extend(weights)
        self.offsets.append(len(self.tids))


class Neighbours:
    """Each list token's similar list tokens (`NameIndex.similar_tokens`) in flat arrays, read
    back as a dict per token on demand: arrays load from the cache in no time, 36,000 dicts
    do not."""

    def __init__(self, found: Iterable[dict[int, tuple[float, str]]]) -> None:
        self.offsets = array("I", [0])
        self.ids = array("I")
        self.similarities = array("d")
        self.hows = array("B")
        self.kinds: list[str] = []
        codes: dict[str, int] = {}
        for similar in found:
            for tid, (sim, how) in similar.items():
                code = codes.get(how)
                if code is None:
                    code = codes[how] = len(self.kinds)
                    self.kinds.append(how)
                self.ids.append(tid)
                self.similarities.append(sim)
                self.hows.append(code)
            self.offsets.append(len(self.ids))

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, tid: int) -> dict[int, tuple[float, str]]:
        """The similar tokens of list token `tid`, in the order the lookup found them."""
        kinds, ids, sims, hows = self.kinds, self.ids, self.similarities, self.hows
        return {
            ids[k]: (sims[k], kinds[hows[k]])
            for k in range(self.offsets[tid], self.offsets[tid + 1])
        }


@dataclass(frozen=True, slots=True)
class QueryToken:
    token: str
    cls: int
    weight: float
    abjad: bool = False


LaidOut = tuple[int, QueryToken, dict[int, tuple[float, str]], "TokenPlan | None"]
"""A list token weighed in its usual class (`NameIndex._lay_out`): the class, then what
`NameIndex.weighed` gives for it."""


class EntryStore(Sequence[ListEntry]):
    """The snapshot's entries, kept as JSON and parsed on first use.

    Why: a screening only ever looks at the few entries it reports, while parsing all of them
    back from the cache would dominate start-up. Kinds, ids, sources and which entries carry
    wallets are kept parsed because every screening needs them.
    """

    def __init__(self, entries: Iterable[ListEntry]) -> None:
        items = list(entries)
        self._json = [entry_json(e) for e in items]
        self._parsed: dict[int, ListEntry] = dict(enumerate(items))
        self.kinds: list[EntryKind] = [e.kind for e in items]
        self.ids: list[str] = [e.id for e in items]
        self.sources: list[str] = [e.source for e in items]
        self.with_wallets: list[int] = [i for i, e in enumerate(items) if e.wallets]

    def __len__(self) -> int:
        return len(self._json)

    @overload
    def __getitem__(self, i: int) -> ListEntry: ...

    @overload
    def __getitem__(self, i: slice) -> list[ListEntry]: ...

    def __getitem__(self, i: int | slice) -> ListEntry | list[ListEntry]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        found = self._parsed.get(i)
        if found is None:
            found = ListEntry.model_validate_json(self._json[i])
            self._parsed[i] = found
        return found

    def __iter__(self) -> Iterator[ListEntry]:
        return (self[i] for i in range(len(self)))

    def content_hash(self, i: int) -> str:
        """`clearance.entry_hash(self[i])` from the JSON kept, without parsing the entry."""
        return json_hash(self._json[i])

    def __getstate__(self) -> dict[str, object]:
        return {
            "_json": self._json,
            "kinds": self.kinds,
            "ids": self.ids,
            "sources": self.sources,
            "with_wallets": self.with_wallets,
        }

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._parsed = {}


class NameIndex:
    """Candidate retrieval over every name of every entry of one list snapshot."""

    def __init__(self, entries: Sequence[ListEntry], checksum: str = "") -> None:
        self.checksum = checksum
        self.entries = EntryStore(entries)
        self.names: list[IndexedName] = []
        self.vocab: dict[str, int] = {}
        self.idf = array("d")
        self.postings = Postings([])
        self._deletes: dict[str, int | tuple[int, ...]] | None = None
        self.phonetic: dict[str, tuple[int, ...]] = {}
        self.spelling: dict[str, tuple[int, ...]] = {}
        self.skeletons: dict[str, tuple[int, ...]] = {}
        self.joined: dict[str, tuple[int, ...]] = {}
        self.compact: dict[str, tuple[int, ...]] = {}
        self.pairs: dict[str, tuple[int, ...]] = {}
        self.tokens: list[str] = []
        self.name_weight = array("d")
        self.name_entry = array("i")
        self.name_tokens = NameTokens()
        self.vocab_single = array("B")
        self.vocab_digit = array("B")
        self.vocab_first = array("I")
        self.common_members: dict[str, frozenset[int]] = {}
        self.variants: dict[str, tuple[int, ...]] = {}
        self.neighbours = Neighbours(())
        self.generic_typos: dict[str, str] = {}
        self._memo: dict[str, dict[int, tuple[float, str]]] = {}
        self._weighed_memo: dict[
            tuple[str, int, bool],
            tuple[QueryToken, dict[int, tuple[float, str]], TokenPlan | None],
        ] = {}
        self._repair_memo: dict[str, tuple[str, ...] | None] = {}
        self._laid_out: dict[str, LaidOut] = {}
        self._kernel: Kernel | bool | None = None
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
        # vocabulary ids follow the tokens' sorted order (the kernel relies on it for ties)
        for tok in sorted(postings):
            tid = len(self.idf)
            self.vocab[tok] = tid
            self.idf.append(max(0.5, math.log((n + 1) / (len(df[tok]) + 0.5))))
            self.tokens.append(tok)
            self.vocab_single.append(len(tok) == 1)
            self.vocab_digit.append(tok.isdigit())
            self.vocab_first.append(ord(tok[0]))
        self.postings = Postings(sorted(set(postings[tok])) for tok in self.tokens)
        self.names = [
            IndexedName(
                nm.entry,
                nm.text,
                nm.tokens,
                nm.classes,
                nm.legal,
                nm.weak,
                tuple(self.vocab.get(t, -1) for t in nm.tokens),
            )
            for nm in self.names
        ]
        phon: dict[str, list[int]] = {}
        spell: dict[str, list[int]] = {}
        skel: dict[str, list[int]] = {}
        for tok, tid in self.vocab.items():
            if tok.isalpha():
                skeleton = consonants(tok)
                # one-consonant skeletons only for short names ("Ali" for علي, "Lee")
                if len(skeleton) >= 2 or (len(skeleton) == 1 and len(tok) <= 3):
                    skel.setdefault(skeleton, []).append(tid)
            skey = spelling_key(tok)
            if skey != tok or skey in self.vocab:
                spell.setdefault(skey, []).append(tid)
            key = phonetic_key(tok)
            if key:
                phon.setdefault(key, []).append(tid)
        self._deletes = self._deletion_variants()
        self.phonetic = {k: tuple(v) for k, v in phon.items()}
        self.spelling = {k: tuple(v) for k, v in spell.items()}
        self.skeletons = {k: tuple(v) for k, v in skel.items()}
        self.joined = {k: tuple(sorted(set(v))) for k, v in joined.items()}
        self.compact = {k: tuple(sorted(set(v))) for k, v in compact.items()}
        pairs: dict[str, set[int]] = {}
        for nid, nm in enumerate(self.names):
            common = sorted(
                {t for t in nm.tokens[:MAX_NAME_TOKENS] if len(postings[t]) > WALK_LIMIT}
            )
            for x, y in combinations(common, 2):
                pairs.setdefault(x + " " + y, set()).add(nid)
        self.pairs = {k: tuple(sorted(v)) for k, v in pairs.items()}
        self.common_members = {
            tok: frozenset(self.postings[tid])
            for tok, tid in self.vocab.items()
            if self.postings.size(tid) > WALK_LIMIT
        }
        self.variants = self._learn_variants()
        self.max_idf = math.log((n + 1) / 0.5)
        self.neighbours = self._vocabulary_neighbours()
        self.generic_typos = {
            tok: generic
            for tid, tok in enumerate(self.tokens)
            if self.postings.size(tid) <= RARE_POSTINGS and (generic := generic_word(tok))
        }
        for nm in self.names:
            weights = [self.weight(t, c) for t, c in zip(nm.tokens, nm.classes, strict=True)]
            self.name_weight.append(sum(weights))
            self.name_entry.append(nm.entry)
            self.name_tokens.add(nm.tids, nm.classes, weights)

    def _deletion_variants(self) -> dict[str, int | tuple[int, ...]]:
        """Every list token's deletion variants (`delete_depth`) → the ids of the tokens that
        have it (one id alone, the common case, is kept unboxed)."""
        dels: dict[str, list[int]] = {}
        for tok, tid in self.vocab.items():
            for v in deletes(tok, delete_depth(tok)):
                dels.setdefault(v, []).append(tid)
        return {k: v[0] if len(v) == 1 else tuple(v) for k, v in dels.items()}

    def _vocabulary_neighbours(self) -> Neighbours:
        """Every list token's similar list tokens (`similar_tokens`, Latin script), worked out
        once with the index.

        Why: most tokens of party names are list tokens (the listed names themselves, common
        given names, generic words), and finding a token's neighbours (deletion variants, edit
        distances, sound keys) is the costliest step for a token screening has not met yet.
        """
        return Neighbours(self._similar_tokens(tok, False) for tok in self.tokens)

    @property
    def deletes(self) -> dict[str, int | tuple[int, ...]]:
        """Deletion variants of the list tokens (symmetric-delete retrieval). Once the compiled
        kernel has its own table of them the dict is let go (some 70 MB for the full lists);
        the pure-Python path builds it again if it is ever needed."""
        if self._deletes is None:
            self._deletes = self._deletion_variants()
        return self._deletes

    def _learn_variants(self) -> dict[str, tuple[int, ...]]:
        """Spelling variants the publishers list as aliases of one entry, learned from the lists.

        Why: "Muhammad" and "Mohamed" are two edits apart, past any edit budget, yet the lists
        give them as aliases of the same person again and again. A pair of tokens counts when,
        in the aliases of at least `VARIANT_MIN_ENTRIES` entries, one alias has the one where
        another has the other (same first letter, same consonant skeleton). Keyed by the
        spelling key of either token, valued by the vocabulary ids of the other's spellings.
        """
        by_entry: dict[int, list[frozenset[str]]] = {}
        for nm in self.names:
            by_entry.setdefault(nm.entry, []).append(frozenset(nm.tokens))
        seen: dict[tuple[str, str], set[int]] = {}
        for e_idx, token_sets in by_entry.items():
            if len(token_sets) < 2 or len(token_sets) > 40:
                continue
            for x, y in combinations(token_sets, 2):
                only_x = [t for t in x - y if len(t) >= 3 and t.isalpha()]
                only_y = [t for t in y - x if len(t) >= 3 and t.isalpha()]
                if not only_x or not only_y:
                    continue
                for a in only_x:
                    ka = spelling_key(a)
                    ca = consonants(a)
                    match = [
                        b
                        for b in only_y
                        if b[0] == a[0] and spelling_key(b) != ka and consonants(b) == ca
                    ]
                    if len(match) == 1:
                        b = match[0]
                        seen.setdefault((min(a, b), max(a, b)), set()).add(e_idx)
        by_key: dict[str, set[int]] = {}
        for (a, b), ents in seen.items():
            ta, tb = self.vocab.get(a), self.vocab.get(b)
            if len(ents) < VARIANT_MIN_ENTRIES or ta is None or tb is None:
                continue
            by_key.setdefault(spelling_key(a), set()).add(tb)
            by_key.setdefault(spelling_key(b), set()).add(ta)
        return {k: tuple(sorted(v)) for k, v in by_key.items()}

    # -- weights ---------------------------------------------------------------------------

    def weight(self, token: str, cls: int) -> float:
        """Evidence a token carries: rarity on the lists times its class factor.

        A token no list name contains gets the highest rarity: it is strong evidence that the
        party is someone else when it stays unmatched.
        """
        tid = self.vocab.get(token)
        idf = self.idf[tid] if tid is not None else self.max_idf
        if len(token) == 1:
            # an initial or a stray letter of a legal form ("S. de R.L.", "P.J.S."): whatever
            # its rarity, one letter says little about who a party is
            idf = min(idf, LETTER_WEIGHT)
        return idf * CLASS_FACTOR[cls]

    def weighed(
        self, name: AnalysedName
    ) -> tuple[list[QueryToken], list[dict[int, tuple[float, str]]], list[TokenPlan] | None]:
        """The name's tokens as the screener weighs them (`query_tokens`, then `reweigh`),
        with the list tokens similar to each (`similar_tokens`) and, with the compiled
        kernel, each token laid out for it (`Kernel.weigh_token`'s plan; else None)."""
        qtokens, sims, plans, _ = self.weighed_reading(name)
        return qtokens, sims, plans

    def weighed_reading(
        self, name: AnalysedName
    ) -> tuple[list[QueryToken], list[dict[int, tuple[float, str]]], list[TokenPlan] | None, bool]:
        """`weighed`, and whether every name token is a list token (then `repaired` has
        nothing to re-spell: the screener need not ask it).

        A token weighs the same in every name it appears in, and party names share most of
        their tokens: every list token is laid out once with the kernel (`_lay_out`), others
        are memoised per token.
        """
        kernel = self.kernel  # first: making it lays out the list tokens (`_lay_out`)
        memo = self._weighed_memo
        laid = self._laid_out
        abjad = name.abjad
        qtokens: list[QueryToken] = []
        sims: list[dict[int, tuple[float, str]]] = []
        plans: list[TokenPlan] | None = [] if kernel is not None else None
        listed = True
        for t, c in zip(name.tokens, name.classes, strict=True):
            if c == _LEGAL:
                continue
            hit = laid.get(t)
            if hit is not None and hit[0] == c and not abjad:
                # a list token in its usual class (most tokens of most names)
                qtokens.append(hit[1])
                sims.append(hit[2])
                if plans is not None and hit[3] is not None:
                    plans.append(hit[3])
                continue
            key = (t, c, abjad)
            found = memo.get(key)
            if found is None or (kernel is not None and found[2] is None):
                if kernel is not None:  # the lines below, in one compiled call
                    found = kernel.weigh_token(t, c, abjad)
                else:
                    similar = self.similar_tokens(t, abjad) if len(t) > 1 else {}
                    q = self._reweighed(QueryToken(t, c, self.weight(t, c), abjad), similar)
                    found = (q, similar, None)
                if len(memo) > 200_000:
                    memo.clear()
                memo[key] = found
            if listed and hit is None and c == _NAME and t not in self.vocab:
                listed = False
            qtokens.append(found[0])
            sims.append(found[1])
            plan = found[2]
            if plans is not None and plan is not None:  # always a plan with the kernel
                plans.append(plan)
        return qtokens, sims, plans, listed

    def query_tokens(self, name: AnalysedName) -> list[QueryToken]:
        return [
            QueryToken(t, c, self.weight(t, c), name.abjad)
            for t, c in zip(name.tokens, name.classes, strict=True)
            if c != TokenClass.LEGAL
        ]

    def reweigh(
        self, qtokens: Sequence[QueryToken], sims: Sequence[dict[int, tuple[float, str]]]
    ) -> list[QueryToken]:
        """Query tokens the lists do not spell exactly take the rarity of their closest list
        spelling ("vladrimir" weighs what "vladimir" weighs); with none, they stay rarest."""
        return [self._reweighed(q, similar) for q, similar in zip(qtokens, sims, strict=True)]

    def _reweighed(self, q: QueryToken, similar: dict[int, tuple[float, str]]) -> QueryToken:
        """`reweigh` of one token."""
        tid = self.vocab.get(q.token)
        if q.cls == _NAME and (tid is None or self.postings.size(tid) <= RARE_POSTINGS):
            # a rare list token's answer is kept with the index
            generic = generic_word(q.token) if tid is None else self.generic_typos.get(q.token)
            if generic is not None:
                # "Liabiliti", "Limied": a misspelt generic word is still a generic word
                return QueryToken(q.token, TokenClass.STOP, GENERIC_TYPO_WEIGHT)
        if tid is not None or not similar:
            return q
        # equally close spellings: the commonest (lowest rarity) weighs it, so the answer
        # never depends on the order a set happened to give them in
        idf = self.idf
        best = max(similar.items(), key=lambda kv: (kv[1][0], -idf[kv[0]], -kv[0]))[0]
        return QueryToken(q.token, q.cls, idf[best] * CLASS_FACTOR[q.cls], q.abjad)

    # -- glued tokens ----------------------------------------------------------------------

    def repaired(self, name: AnalysedName) -> str | None:
        """The name re-spelt where it is glued or mistypes a generic word; None if unchanged.

        Why: "RINCONLTDA", "AOKribrum", "JOINTSTOCK", "HajiNasir" are one token to the analyser
        but two to the lists, and "Djoint Stock Company" or "Sociedad Anoima" hide a legal form
        behind one letter. A name token no list name spells is split where both parts are list
        tokens or generic words (legal forms, stop words, particles, titles; of several cuts
        the most balanced wins), or replaced by the generic word it misspells. The screener
        analyses the result again (so legal forms are recognised whole) and scores that
        reading beside the original one, keeping the better.
        """
        vocab = self.vocab
        memo = self._repair_memo
        kernel = self.kernel
        repair = self._repair_token if kernel is None else kernel.repair_token
        fixes: dict[int, tuple[str, ...]] = {}
        for i, (t, c) in enumerate(zip(name.tokens, name.classes, strict=True)):
            if c == _NAME and len(t) >= 2 and t not in vocab and t.isalpha():
                if t in memo:
                    fix = memo[t]
                else:
                    fix = repair(t)
                    if len(memo) > 200_000:
                        memo.clear()
                    memo[t] = fix
                if fix is not None:
                    fixes[i] = fix
        if not fixes:
            return None
        tokens: list[str] = []
        for i, t in enumerate(name.tokens):
            tokens.extend(fixes.get(i, (t,)))
        return " ".join(tokens)

    def _repair_token(self, token: str) -> tuple[str, ...] | None:
        """How `repaired` re-spells one name token no list name spells: its two parts, the
        generic word it misspells, or None to keep it. Memoised per token by `repaired`; the
        reference for the compiled `Kernel.repair_token`, which `repaired` calls when built."""
        parts = self._split(token) if 5 <= len(token) <= MAX_FUZZY_LENGTH else None
        generic = generic_word(token)
        # a generic word mistyped beats a cut that leaves a two-letter scrap
        # ("CORPORATeON" is "corporation", not "corporate" + "on")
        if parts is not None and (generic is None or min(map(len, parts)) > 2):
            return parts
        if generic is not None:
            return (generic,)
        return None

    def _split(self, token: str) -> tuple[str, str] | None:
        best: tuple[tuple[bool, int], str, str] | None = None
        vocab = self.vocab
        for i in range(2, len(token) - 1):
            left = token[:i]
            if left not in vocab and left not in _GENERIC_PARTS:
                continue
            right = token[i:]
            if right not in vocab and right not in _GENERIC_PARTS:
                continue
            # One part must be a list name word of four letters or more ("RINCON"+"LTDA",
            # "YUAN"+"YU"), or both generic words ("JOINT"+"STOCK"): "Seeds" is not "SE"+"EDS".
            # A glued legal form or generic word is the usual case: such cuts win, then the
            # most balanced ("SANAT"+"CO" over "SANA"+"TCO", "HAJI"+"IBRAHIM" over "HAJII"...).
            # A legal form or generic word of three letters or more glued to a list word
            # anchors a cut too ("JSC"+"RT", "KB"+"INVESTMENTS").
            anchored = any(len(p) >= 4 and p not in _GENERIC_PARTS for p in (left, right)) or any(
                len(p) >= 3 and p in _GLUE_WORDS and len(q) >= 2 and q in self.vocab
                for p, q in ((left, right), (right, left))
            )
            n_generic = (left in _GENERIC_PARTS) + (right in _GENERIC_PARTS)
            longer = max(len(left), len(right))
            generic = (
                n_generic == 2
                and longer >= 4
                and (left in LEGAL_FORMS or right in LEGAL_FORMS or min(len(left), len(right)) >= 4)
            )
            if anchored or generic:
                rank = (n_generic > 0, min(len(left), len(right)))
                if best is None or rank > best[0]:
                    best = (rank, left, right)
        return None if best is None else (best[1], best[2])

    # -- retrieval -------------------------------------------------------------------------

    def similar_tokens(self, token: str, abjad: bool = False) -> dict[int, tuple[float, str]]:
        """Vocabulary tokens within the edit budget or with the same sound: (similarity, how).

        Worked out with the index for list tokens (`neighbours`); memoised per token (party
        names share most of their tokens: "trading", "mohammed").
        """
        memo = self._memo
        memo_key = "\x01" + token if abjad else token
        found = memo.get(memo_key)
        if found is not None:
            return found
        tid = None if abjad else self.vocab.get(token)
        kernel = self.kernel
        if tid is not None:
            found = self.neighbours[tid]
        elif kernel is not None:
            found = kernel.similar_tokens(token, abjad)
        else:
            found = self._similar_tokens(token, abjad)
        if len(memo) > 200_000:
            memo.clear()
        memo[memo_key] = found
        return found

    def _similar_tokens(self, token: str, abjad: bool) -> dict[int, tuple[float, str]]:
        """`similar_tokens` computed in Python (the reference for the compiled kernel)."""
        out: dict[int, tuple[float, str]] = {}
        tid = self.vocab.get(token)
        if tid is not None:
            out[tid] = (1.0, "exact")
        depth = delete_depth(token)
        if len(token) > 2:
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
            tokens = self.tokens
            for c in cand:
                if c in out:
                    continue
                other = tokens[c]
                longer = max(len(other), len(token))
                budget = edit_budget(longer)
                d = OSA.distance(token, other, score_cutoff=budget)
                if d <= budget:
                    how = f"{d} edit" + ("s" if d > 1 else "")
                    sim = token_similarity_from_distance(d, longer, same_start(token, other))
                    out[c] = (sim, how)
        self.similar_by_sound(token, abjad, out)
        return out

    def similar_by_sound(self, token: str, abjad: bool, out: dict[int, tuple[float, str]]) -> None:
        """Add to `out` (the token's spelling neighbours so far) the list tokens that sound
        alike: same consonant skeleton (Arabic or Hebrew script), listed variant, same
        romanisation key, same metaphone key. The reference for the compiled twin
        (`Kernel.similar_by_sound`, which `Kernel.similar_tokens` and `weigh_token` use)."""
        if abjad and token.isalpha():
            # waw / vav is a vowel (Mahmoud) or a consonant (David, Vahid): both skeletons
            for skeleton in {consonants(token), consonants(token.replace("w", "v"))}:
                for c in self.skeletons.get(skeleton, ()):
                    if c not in out or out[c][0] < CONSONANT_SIMILARITY:
                        out[c] = (CONSONANT_SIMILARITY, "consonants")
        skey = spelling_key(token)
        for c in self.variants.get(skey, ()):
            if c not in out or out[c][0] < VARIANT_SIMILARITY:
                out[c] = (VARIANT_SIMILARITY, "listed variant")
        # Sound-alikes only when spelling found nothing: they are broad, and a token the
        # lists spell the same way needs no guessing.
        for c in self.spelling.get(skey, ()):
            if c not in out or out[c][0] < SPELLING_SIMILARITY:
                out[c] = (SPELLING_SIMILARITY, "spelling")
        key = phonetic_key(token) if not out else None
        if key:
            for c in self.phonetic.get(key, ()):
                if c not in out or out[c][0] < PHONETIC_SIMILARITY:
                    out[c] = (PHONETIC_SIMILARITY, "sound")

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        for memo in ("_memo", "_weighed_memo", "_repair_memo", "_laid_out", "_kernel"):
            state.pop(memo, None)
        state["_deletes"] = self.deletes
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        # the memos are per process, not part of the snapshot: a cache written before a memo
        # existed loads as well
        self.__dict__.update(state)
        self.forget()

    def forget(self) -> None:
        """Drop the token memos and the kernel choice (`STCE_PURE_PYTHON` is read
        again): for benchmarks that time cold lookups, and tests that compare both paths."""
        self._memo = {}
        self._weighed_memo = {}
        self._repair_memo = {}
        self._laid_out = {}
        self._kernel = None

    @property
    def kernel(self) -> Kernel | None:
        """The compiled retrieval and scoring kernel over this index, if it is built and not
        switched off (`STCE_PURE_PYTHON=1`); None means the pure-Python path."""
        if self._kernel is None:
            from stce.parties.kernel import make_kernel

            self._kernel = make_kernel(self) or False
            if self._kernel:
                self._deletes = None  # the kernel keeps its own table (see `deletes`)
            self._lay_out()
        return None if isinstance(self._kernel, bool) else self._kernel

    def _lay_out(self) -> None:
        """Weigh every list token as `weighed` does, in the class the list names mostly give
        it (Latin script), and keep the results beside the memo for the life of the process.

        Why: most tokens of party names are list tokens, and a token met for the first time
        costs more than the rest of a name's screening together (similar tokens, rarity of
        the closest spelling, the kernel's plan). About 37,000 tokens for the full lists: a
        few tenths of a second once per process, when `kernel` is first asked for (with the
        compiled kernel or without: the pure-Python path reads the table too).
        """
        self._laid_out = {}
        counts: dict[tuple[str, int], int] = {}
        for nm in self.names:
            for t, c in zip(nm.tokens, nm.classes, strict=True):
                counts[t, c] = counts.get((t, c), 0) + 1
        usual: dict[str, tuple[int, int]] = {}
        for (t, c), n in counts.items():
            if t not in usual or (n, -c) > (usual[t][1], -usual[t][0]):
                usual[t] = (c, n)
        memo, self._weighed_memo = self._weighed_memo, {}
        laid: dict[str, LaidOut] = {}
        for t, (c, _) in usual.items():
            if c == _LEGAL:
                continue  # not weighed: legal forms are set apart
            (q,), (similar,), plans = self.weighed(AnalysedName(t, (t,), (TokenClass(c),)))
            laid[t] = (c, q, similar, plans[0] if plans else None)
        self._laid_out, self._weighed_memo = laid, memo

    def best_common_pairs(self, common: Sequence[tuple[str, float]]) -> dict[str, float]:
        """Pairs of over-common list spellings met ("global energy", also when typed "global
        enerny"), each pair once at its best gain: the keys of `self.pairs` to credit."""
        best_pair: dict[str, float] = {}
        for (a, ga), (b, gb) in combinations(sorted(common), 2):
            if a == b:
                continue
            key = a + " " + b
            if best_pair.get(key, 0.0) < ga + gb:
                best_pair[key] = ga + gb
        return best_pair

    def candidates(
        self,
        qtokens: Sequence[QueryToken],
        limit: int,
        floor: float,
        sims: Sequence[dict[int, tuple[float, str]]] | None = None,
        min_bound: float = 0.0,
    ) -> list[int]:
        """Ids of list names likely to match, best first.

        `floor` is the share of the query's weight a name must plausibly cover to be scored;
        `min_bound` the optimistic score it must reach.
        """
        acc: dict[int, float] = {}
        total = sum(q.weight for q in qtokens) or 1.0
        common: list[tuple[str, float]] = []
        # over-common spellings met, per query token: (gain, list token), credited below
        credits: list[list[tuple[float, str]]] = []
        for qi, q in enumerate(qtokens):
            if len(q.token) < 2:
                continue
            similar = sims[qi] if sims is not None else self.similar_tokens(q.token, q.abjad)
            factor = CLASS_FACTOR[q.cls]
            joined = self.joined.get(q.token, ())
            if len(similar) == 1 and not joined:
                # one spelling only (the common case): add its postings directly
                ((tid, (sim, _)),) = similar.items()
                post = self.postings[tid]
                if len(post) > WALK_LIMIT:
                    common.append((self.tokens[tid], q.weight * sim))
                    credits.append([(self.idf[tid] * factor * sim, self.tokens[tid])])
                    continue
                gain = self.idf[tid] * factor * sim
                for nid in post:
                    acc[nid] = acc.get(nid, 0.0) + gain
                continue
            # per list name, the best of this query token's matches (not their sum)
            local: dict[int, float] = {}
            token_credits: list[tuple[float, str]] = []
            for tid, (sim, _) in similar.items():
                post = self.postings[tid]
                if len(post) > WALK_LIMIT:
                    common.append((self.tokens[tid], q.weight * sim))
                    token_credits.append((self.idf[tid] * factor * sim, self.tokens[tid]))
                    continue
                gain = self.idf[tid] * factor * sim
                for nid in post:
                    if local.get(nid, 0.0) < gain:
                        local[nid] = gain
            # a query token that is two list tokens joined ("alqaida")
            for nid in joined:
                local[nid] = max(local.get(nid, 0.0), q.weight)
            if token_credits:
                token_credits.sort(reverse=True)
                credits.append(token_credits)
            for nid, gain in local.items():
                acc[nid] = acc.get(nid, 0.0) + gain
        # two query tokens that are one list token split ("jin ping" / "jinping")
        for x, y in pairwise(qtokens):
            split_tid = self.vocab.get(x.token + y.token)
            if split_tid is not None and self.postings.size(split_tid) <= WALK_LIMIT:
                gain = x.weight + y.weight
                for nid in self.postings[split_tid]:
                    acc[nid] = acc.get(nid, 0.0) + gain
        compact = "".join(q.token for q in qtokens)
        for nid in self.compact.get(compact, ()):
            acc[nid] = max(acc.get(nid, 0.0), total)
        # over-common tokens ("ali", "mohammed") credit the names found through rarer ones
        for options in credits:
            member_sets = [(g, self.common_members[t]) for g, t in options]
            for nid in acc:
                for g, members in member_sets:
                    if nid in members:
                        acc[nid] += g
                        break
        if len(common) > 1:
            for key, gain in self.best_common_pairs(common).items():
                for nid in self.pairs.get(key, ()):
                    acc[nid] = acc.get(nid, 0.0) + gain
        # Rank by an optimistic score: matched weight against what the scorer will charge
        # for the party's unmatched parts and the list name's missing ones.
        need = floor * total
        name_weight = self.name_weight
        scored: list[tuple[float, float, int]] = []
        for k, v in acc.items():
            if v < need:
                continue
            # pairs and credits may count a common token twice: the bound uses at most the
            # query's weight, and ties on the bound go to the name with more evidence
            m = v if v < total else total
            rest_q = total - m
            rest_c = name_weight[k] - m
            u = m / (m + 0.5 * rest_q + (0.25 * rest_c if rest_c > 0.0 else 0.0))
            if u >= min_bound:
                scored.append((u, v, k))
        # at most two names per entry: aliases of one entry must not crowd the others out
        out: list[int] = []
        seen: dict[int, int] = {}
        names = self.names
        for _, _, k in heapq.nlargest(limit * 4, scored):
            e = names[k].entry
            if seen.get(e, 0) >= NAMES_PER_ENTRY:
                continue
            seen[e] = seen.get(e, 0) + 1
            out.append(k)
            if len(out) == limit:
                break
        return out


GENERIC_TYPO_WEIGHT = 0.5
_GENERIC_WORDS = frozenset(w for w in LEGAL_FORMS | STOP_TOKENS if len(w) >= 5)
_GENERIC_BY_START: dict[tuple[str, int], tuple[str, ...]] = {}
"""The generic words by (first letter, length), where `generic_word` looks for a misspelt one."""
_GENERIC_BY_SWAP: dict[tuple[str, str, int], tuple[str, ...]] = {}
"""The generic words by (second letter, first letter, length): those a token starting with their
first two letters swapped may misspell."""
for _w in sorted(_GENERIC_WORDS):
    _key = (_w[0], len(_w))
    _GENERIC_BY_START[_key] = (*_GENERIC_BY_START.get(_key, ()), _w)
    _swap = (_w[1], _w[0], len(_w))
    _GENERIC_BY_SWAP[_swap] = (*_GENERIC_BY_SWAP.get(_swap, ()), _w)
_GENERIC_KEYS: dict[str, str] = {}
for _w in sorted(LEGAL_FORMS | STOP_TOKENS):
    if len(_w) >= 3:
        _GENERIC_KEYS.setdefault(spelling_key(_w), _w)


RARE_POSTINGS = 3
"""A token in this few list names may itself be a typo on the lists ("Comany")."""


@lru_cache(maxsize=65_536)
def generic_word(token: str) -> str | None:
    """The legal-form or stop word `token` misspells by one edit or romanises differently.

    For an edit, the first letter must agree (or the first two be swapped): "compani" and
    "jiont" are generic words mistyped, "folding" is not "holding".
    """
    if len(token) >= 2 and token not in LEGAL_FORMS and token not in STOP_TOKENS:
        # romanised differently: "Djoint" / "joint", "Djsc" / "JSC", "Uo" / "OOO"
        same = _GENERIC_KEYS.get(spelling_key(token))
        if same is not None:
            return same
    if len(token) < 4 or len(token) > MAX_FUZZY_LENGTH or token in _GENERIC_WORDS:
        return None
    # same first letter, or the first two swapped (`same_start`), and at most one letter longer
    # or shorter; of several words one edit away, the first in alphabetical order (so the
    # answer never depends on a set's order)
    n = len(token)
    a, b = token[0], token[1]
    found: str | None = None
    for length in (n - 1, n, n + 1):
        near = _GENERIC_BY_START.get((a, length), ()) + _GENERIC_BY_SWAP.get((a, b, length), ())
        for w in near:
            if (found is None or w < found) and OSA.distance(token, w, score_cutoff=1) <= 1:
                found = w
    return found


SHORT_TOKEN = 5
SHORT_EDIT_PENALTY = 0.03
FIRST_LETTER_PENALTY = 0.1
"""Misspellings rarely touch the first letter (Pollock & Zamora, CACM 1984): "Towers" and
"Mowers" are more likely two words than one word mistyped."""


def same_start(a: str, b: str) -> bool:
    """Whether two tokens start alike: the same first letter, or the first two swapped
    ("aRhmani" / "Rahmani" is a slip of the fingers, not another name)."""
    return a[0] == b[0] or (len(a) > 1 and len(b) > 1 and a[0] == b[1] and a[1] == b[0])


def token_similarity_from_distance(distance: int, length: int, same_first: bool = True) -> float:
    """Similarity of two tokens `distance` edits apart; longer tokens forgive an edit more."""
    if distance == 0:
        return 1.0
    sim = 1.0 - distance * (0.5 / max(length, 1)) - 0.08 * distance
    if length <= SHORT_TOKEN:
        # one letter of a short name is often another name: "Chol"/"Cho", "Amin"/"Amina"
        sim -= SHORT_EDIT_PENALTY * distance
    if not same_first:
        sim -= FIRST_LETTER_PENALTY
    return max(0.0, sim)


_GENERIC_PARTS = LEGAL_FORMS | STOP_TOKENS | PARTICLES | HONORIFICS
_GLUE_WORDS = LEGAL_FORMS | STOP_TOKENS


def _core(a: AnalysedName) -> tuple[str, ...]:
    return tuple(t for t, c in zip(a.tokens, a.classes, strict=True) if c != TokenClass.LEGAL)


def _core_classes(a: AnalysedName) -> tuple[int, ...]:
    return tuple(int(c) for c in a.classes if c != TokenClass.LEGAL)


def build_index(entries: Iterable[ListEntry], checksum: str = "") -> NameIndex:
    return NameIndex(list(entries), checksum)
