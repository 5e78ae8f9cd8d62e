"""The compiled matcher: phrase index, chemical-name index, CAS and HS lookups.

Built once from the knowledge base. A description is scanned in one pass over its tokens: each
token position looks up the phrases that start with that token (a first-token index, the same
idea as an Aho-Corasick automaton keyed on whole tokens), so the cost grows with the length of
the description, not with the size of the knowledge base. Tokens unknown to the knowledge base
vocabulary and long enough to be a misspelling of a technical term are corrected once with
rapidfuzz and the correction is cached.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from stce.goods.kb import Chemical, ControlEntry, KnowledgeBase
from stce.goods.text import RAW_TOKEN as _RAW_TOKEN
from stce.goods.text import compact, norm_token, tokens

PhraseKind = Literal["chemical", "name", "keyword", "exclusion"]

MIN_FUZZY_LEN = 8
"""Shorter tokens are never corrected: 'satin' must not become 'sarin'."""
MIN_FUZZY_LEN_BLIND = 10
"""Without a vocabulary of ordinary trade words (no HS nomenclature), correct only long
tokens: 'fermented' must not become 'fermenter'."""


@dataclass(frozen=True, slots=True)
class PhraseRef:
    """What a matched phrase points at."""

    kind: PhraseKind
    entry_id: str
    text: str
    cas: str | None = None
    reorderable: bool = False
    """Words all alphabetic and of 3+ letters: safe to match in another order."""


_CHEM_MORPHEMES = ("yl", "ide", "ine", "ate", "ite", "phos", "chlor", "fluor", "thio", "amin", "ol")


def _anchor(toks: list[str], common: Mapping[str, int]) -> int:
    """The token a phrase is indexed under: its rarest word in ordinary trade language
    (fewest HS 2022 descriptions using it), then the longest; numbers only if nothing else.
    Rare anchors mean few description lines ever reach the phrase comparison."""
    best, best_key = 0, (2, 0, 0)
    for i, t in enumerate(toks):
        key = (1, 0, 0) if t.isdigit() else (0, common.get(t, 0), -len(t))
        if key < best_key:
            best, best_key = i, key
    return best


def _reorderable(text: str) -> bool:
    toks = tokens(text)
    return len(toks) > 1 and all(len(t) >= 3 and t.isalpha() for t in toks)


NEGATORS = frozenset({"not", "non", "no", "without", "free"})
NEGATION_CONTEXT = frozenset({"free", "of", "other", "than"})
"""Words `negated` reads besides the negators ('free of', 'other than')."""
LIST_NEGATORS = frozenset({"excluding", "except", "excl"})
"""Negate a short list that follows: 'other than revolvers, pistols', 'excluding X, Y'."""


def negated(toks: list[str], start: int) -> bool:
    """True when the words before position `start` negate what follows ('other than hydrogen
    fluoride', 'not fermented', 'free of beryllium', 'excluding revolvers, pistols')."""
    if start >= 1 and toks[start - 1] in NEGATORS:
        return True
    if start >= 2 and toks[start - 2] == "free" and toks[start - 1] == "of":
        return True
    lo = max(0, start - 4)
    for j in range(lo, start):
        t = toks[j]
        if t in LIST_NEGATORS or (t == "than" and j > 0 and toks[j - 1] == "other"):
            return True
    return False


def word_frequencies(texts: Iterable[str]) -> dict[str, int]:
    """In how many of `texts` each canonical word occurs (document frequency)."""
    df: dict[str, int] = {}
    for text in texts:
        for t in set(tokens(text)):
            df[t] = df.get(t, 0) + 1
    return df


Bucketed = tuple[tuple[str, ...], PhraseRef, int, frozenset[str], bool]
"""A phrase under its anchor token: (words, what it points at, anchor offset, set of words,
may match with its words reordered)."""

_ASCII_FOLD = bytes(
    (c | 0x20 if 65 <= c <= 90 else c) if c < 128 and chr(c).isalnum() else 32 for c in range(256)
)
"""Byte table: ASCII capitals to lower case, every other byte that is no letter or digit to a
space. For ASCII text, splitting the translated text gives what `RAW_TOKEN.findall` gives on
the lower-cased text."""

INERT_WORD = "\x00\x00"
"""Stands for a word the knowledge base cannot use (never produced by tokenising)."""
INERT_NUMBER = "0" * 24
"""Stands for a number that is no knowledge-base word."""

TOKEN_CACHE_MAX = 200_000
REORDER_MAX = 3
"""Names of up to this many words also match with their words in another order."""


@dataclass(slots=True)
class TokenInfo:
    """Read-only after construction (not frozen only because frozen dataclasses are slow to
    build, and one is built for every new word or number)."""

    token: str
    bucket: list[Bucketed] | None
    fuzzy: bool
    chemical: bool
    hot: bool = False
    """Starts a phrase or may start a chemical name: the line needs a full scan."""

    def __post_init__(self) -> None:
        self.hot = self.bucket is not None or self.chemical


@dataclass(slots=True)
class PhraseMatch:
    ref: PhraseRef
    start: int
    end: int
    fuzzy: bool = False
    reordered: bool = False


@dataclass
class MatcherIndex:
    """Lookups compiled from a knowledge base."""

    kb: KnowledgeBase
    by_first: dict[str, list[Bucketed]] = field(default_factory=dict)
    """Phrases by their anchor token (the first token that is neither a number nor a
    one- or two-letter fragment), with the anchor's offset inside the phrase, its set of words
    and whether it may match with its words reordered."""
    compact_names: dict[str, list[PhraseRef]] = field(default_factory=dict)
    compact_prefixes: set[str] = field(default_factory=set)
    compact_starts: set[str] = field(default_factory=set)
    """Every beginning of one to five letters of a compact chemical name."""
    chemical_vocab: set[str] = field(default_factory=set)
    exclusions: dict[str, list[tuple[tuple[str, ...], str]]] = field(default_factory=dict)
    common: dict[str, int] = field(default_factory=dict)
    vocab: set[str] = field(default_factory=set)
    vocab_by_initial: dict[str, list[str]] = field(default_factory=dict)
    hs_links: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    cas_chemicals: dict[str, Chemical] = field(default_factory=dict)
    watchlist: set[str] = field(default_factory=set)
    keep: set[str] = field(default_factory=set)
    """Canonical words that can change a line's reading: every knowledge-base word, the
    negating words, exclusion words and whatever the caller adds (its vague words)."""
    _compact_blob: str = ""
    _word_numbers: set[str] = field(default_factory=set)
    _fuzzy_cache: dict[str, str | None] = field(default_factory=dict)
    _shape_cache: dict[str, str] = field(default_factory=dict)
    _hot_raws: set[str] = field(default_factory=set)
    _token_cache: dict[str, TokenInfo] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        kb: KnowledgeBase,
        common: Mapping[str, int] | None = None,
        keep: Iterable[str] = (),
    ) -> MatcherIndex:
        """Compile `kb`. `common` maps canonical words to how many ordinary goods texts use
        them (e.g. HS 2022 descriptions, see `word_frequencies`); it picks rare anchors.
        `keep` are further canonical words the caller reads in a line (see `shape`)."""
        idx = cls(kb=kb)
        idx.common = dict(common or {})
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
        # sorted: between equally close words the correction must not depend on the order a
        # set happens to iterate in (which changes from one process to the next)
        for t in sorted(idx.vocab):
            if len(t) >= MIN_FUZZY_LEN - 1 and t.isalpha():
                idx.vocab_by_initial.setdefault(t[0], []).append(t)
        idx.keep = {*idx.vocab, *NEGATORS, *LIST_NEGATORS, *NEGATION_CONTEXT, *keep}
        for phrases in idx.exclusions.values():
            for key, _ in phrases:
                idx.keep.update(key)
        idx._compact_blob = "\x00".join(idx.compact_names)
        idx._word_numbers = {t for t in (*idx.keep, *idx.by_first) if t.isdigit()}
        return idx

    def _add_entry(self, e: ControlEntry) -> None:
        for n in e.names:
            self._add_phrase(n, PhraseRef("name", e.id, n, None, _reorderable(n)))
        for k in e.keywords:
            self._add_phrase(k, PhraseRef("keyword", e.id, k, None, _reorderable(k)))
        for x in e.exclusions:
            toks = tokens(x)
            if toks:
                self.exclusions.setdefault(e.id, []).append((tuple(toks), x))

    def _add_phrase(
        self, text: str, ref: PhraseRef, *, chemical: bool = False, vocab: bool = True
    ) -> None:
        toks = tokens(text)
        if not toks:
            return
        anchor = _anchor(toks, self.common)
        bucket = self.by_first.setdefault(toks[anchor], [])
        key = tuple(toks)
        if not any(k == key and r == ref for k, r, *_ in bucket):
            reorderable = ref.kind != "chemical" and len(key) <= REORDER_MAX and ref.reorderable
            bucket.append((key, ref, anchor, frozenset(key), reorderable))
        if vocab:
            self.vocab.update(toks)
        if chemical:
            self.chemical_vocab.update(
                t
                for t in toks
                if len(t) >= 6 and t.isalpha() and any(m in t for m in _CHEM_MORPHEMES)
            )
            c = compact(toks)
            if len(c) >= 6:
                refs = self.compact_names.setdefault(c, [])
                if ref not in refs:
                    refs.append(ref)
                self.compact_prefixes.add(c[:5])
                self.compact_starts.update(c[:m] for m in range(1, 6))

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

    def excluded(self, entry_id: str, toks: list[str]) -> str | None:
        """The exclusion phrase of `entry_id` present in `toks` ('toy drone'), or None."""
        for key, text in self.exclusions.get(entry_id, ()):
            k = len(key)
            first = key[0]
            if first not in toks:
                continue
            for i in range(len(toks) - k + 1):
                if toks[i] == first and tuple(toks[i : i + k]) == key:
                    return text
        return None

    def token_info(self, raw: str) -> TokenInfo:
        """Canonical form, phrase bucket and flags of one raw lower-case token (cached)."""
        info = self._token_cache.get(raw)
        if info is not None:
            return info
        if len(self._token_cache) >= TOKEN_CACHE_MAX:
            self._token_cache.clear()  # generational reset: unique model numbers pile up
        if raw.isdigit():
            info = TokenInfo(raw, self.by_first.get(raw), False, False)
            self._token_cache[raw] = info
            return info
        tok = norm_token(raw)
        fuzzy = False
        if (
            tok not in self.vocab
            and tok not in self.common  # a word of ordinary trade language is no misspelling
            and len(tok) >= (MIN_FUZZY_LEN if self.common else MIN_FUZZY_LEN_BLIND)
            and tok.isalpha()
        ):
            c = self.correct(tok)
            if c is not None:
                tok, fuzzy = c, True
        info = TokenInfo(
            tok,
            self.by_first.get(tok),
            fuzzy,
            tok in self.chemical_vocab or (len(tok) >= 12 and tok not in self.common),
        )
        self._token_cache[raw] = info
        return info

    @staticmethod
    def raw_tokens(text: str) -> list[str]:
        """The raw lower-case tokens of `text` (tokenise once, then test and scan them)."""
        if text.isascii():  # the common case: the same split, done by a byte table
            return text.encode("ascii").translate(_ASCII_FOLD).decode("ascii").split()
        return _RAW_TOKEN.findall(text.lower())

    def scan_text(self, text: str) -> tuple[list[str], list[PhraseMatch]]:
        """Canonical tokens of `text` and every knowledge-base phrase found in them."""
        return self.scan_raw(self.raw_tokens(text))

    def scan_raw(self, raws: list[str]) -> tuple[list[str], list[PhraseMatch]]:
        """`scan_text` on tokens already split by `raw_tokens`."""
        get = self._token_cache.get
        infos = [get(r) or self.token_info(r) for r in raws]
        for i in infos:
            if i.hot:
                toks = [x.token for x in infos]
                return toks, self._match(infos, toks)
        return [x.token for x in infos], []

    def nothing_in(self, text: str) -> bool:
        """True when no word of `text` can start a phrase or a chemical name (the common
        case: ordinary goods); cheaper than `scan_text` because it builds no token list."""
        return self.nothing_in_raw(self.raw_tokens(text))

    def nothing_in_raw(self, raws: list[str]) -> bool:
        """`nothing_in` on tokens already split by `raw_tokens`. Set operations over the
        words seen before; only new words are looked at one by one."""
        words = set(raws)
        if not self._hot_raws.isdisjoint(words):
            return False
        word_numbers = self._word_numbers
        for r in words.difference(self._shape_cache):
            if r.isdigit() and r not in word_numbers:
                continue
            self._shape_of(r)
            if r in self._hot_raws:
                return False
        return True

    def shape(self, raws: list[str]) -> tuple[str, ...]:
        """The line as matching sees it.

        Each raw token is kept, except words the knowledge base cannot use (not one of its
        words or a misspelling of one, not part of a chemical name, no negation, exclusion
        or `keep` word): those become INERT_WORD, and numbers that are no knowledge-base
        word become INERT_NUMBER. Scanning the shape finds the same phrases at the same
        places as scanning the line, and says the same about vagueness, so lines that
        differ only in model numbers, quantities, colours or brands share one reading."""
        get = self._shape_cache.get
        word_numbers = self._word_numbers
        shape = tuple(
            [
                get(r)
                or (INERT_NUMBER if r.isdigit() and r not in word_numbers else self._shape_of(r))
                for r in raws
            ]
        )
        return shape

    def _shape_of(self, raw: str) -> str:
        if raw.isdigit():
            if raw in self.keep or raw in self.by_first:
                if raw in self.by_first:
                    self._hot_raws.add(raw)
                return raw
            return INERT_NUMBER  # not cached: unique numbers would pile up
        info = self.token_info(raw)
        tok = info.token
        inert = not (
            info.hot
            or info.fuzzy
            or tok in self.keep
            or len(tok) <= 1
            or tok.isdigit()
            or tok in self._compact_blob
        )
        if len(self._shape_cache) >= TOKEN_CACHE_MAX:
            self._shape_cache.clear()
            self._hot_raws.clear()
        if info.hot:
            self._hot_raws.add(raw)
        out = INERT_WORD if inert else raw
        self._shape_cache[raw] = out
        return out

    def scan(self, toks: list[str]) -> list[PhraseMatch]:
        """Every knowledge-base phrase found in canonical tokens `toks`."""
        infos = [self.token_info(t) for t in toks]
        return self._match(infos, [i.token for i in infos])

    def _match(self, infos: list[TokenInfo], fixed: list[str]) -> list[PhraseMatch]:
        out: list[PhraseMatch] = []
        n = len(infos)
        chemical = False
        any_fuzzy = False
        for info in infos:
            chemical = chemical or info.chemical
            any_fuzzy = any_fuzzy or info.fuzzy
        for i, info in enumerate(infos):
            bucket = info.bucket
            if bucket is None:
                continue
            for key, ref, off, words, reorderable in bucket:
                k = len(key)
                if k == 1:
                    out.append(PhraseMatch(ref, i, i + 1, info.fuzzy))
                    continue
                start = i - off
                if start >= 0 and start + k <= n and tuple(fixed[start : start + k]) == key:
                    fz = any_fuzzy and any(infos[j].fuzzy for j in range(start, start + k))
                    out.append(PhraseMatch(ref, start, start + k, fz))
                elif reorderable:
                    # tariff style puts the noun first: "valves, bellows sealed",
                    # "pumps turbomolecular"; accept the words in any order nearby
                    lo, hi = max(0, i - k - 1), min(n, i + k + 2)
                    if words.issubset(fixed[lo:hi]):
                        fz = any_fuzzy and any(infos[j].fuzzy for j in range(lo, hi))
                        out.append(PhraseMatch(ref, lo, hi, fz, reordered=True))
        if chemical and self.compact_names:
            for m in self._scan_compact(fixed):
                m.fuzzy = any_fuzzy and any(infos[j].fuzzy for j in range(m.start, m.end))
                out.append(m)
        return out

    def _scan_compact(self, toks: list[str]) -> list[PhraseMatch]:
        out: list[PhraseMatch] = []
        prefixes = self.compact_prefixes
        starts = self.compact_starts
        names = self.compact_names
        n = len(toks)
        for i, first in enumerate(toks):
            # a name can only start here if this word begins one (the common case: it doesn't)
            if first[:5] not in starts or first.isdigit():
                continue
            s = ""
            for j in range(i, min(n, i + 10)):
                t = toks[j]
                if not t.isdigit():
                    s += t
                if len(s) >= 5 and s[:5] not in prefixes:
                    break
                refs = names.get(s)
                if refs:
                    out.extend(PhraseMatch(r, i, j + 1) for r in refs)
        return out
