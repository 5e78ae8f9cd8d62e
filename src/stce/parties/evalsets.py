"""Seeded labelled sets generated from the real lists, for measuring the matcher.

Why generated on the fly: the sets copy list names at scale, so they are never stored in git;
the same seed over the same list snapshot always gives the same sets.

- Screening queries: *positives* are list names altered the way declarations alter them (typos,
  transliteration spellings, reordering, legal-form changes, joined or split tokens, dropped
  middle names, other scripts, titles); each expects its entry. *Clean* queries are names
  of nobody listed: random given name + family name recombined from different listed persons
  (hard: every token is on the lists) and invented company names made of common words.
- Name pairs: positives are two names of one entry, or a name and its variant; negatives are hard
  (same family name other person, same generic company words, same given name).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

import icu  # type: ignore[import-untyped]
from rapidfuzz import fuzz, process
from rigour.names import remove_org_types

from stce.model import EntryKind, ListEntry, NameQuality
from stce.parties.normalise import STOP_TOKENS, analyse, spelling_key

SPELLING_RULES: tuple[tuple[str, str], ...] = (
    ("mohammed", "muhammad"),
    ("muhammad", "mohamed"),
    ("mohammad", "mohamad"),
    ("ou", "u"),
    ("kh", "h"),
    ("sh", "ch"),
    ("yu", "iu"),
    ("ya", "ia"),
    ("j", "dj"),
    ("ee", "i"),
    ("oo", "u"),
    ("ph", "f"),
    ("y", "i"),
    ("q", "k"),
    ("w", "v"),
    ("ei", "ey"),
    ("dh", "d"),
    ("aa", "a"),
    ("ss", "s"),
    ("ll", "l"),
)
"""Transliteration spellings that vary between sources (Arabic, Persian, Cyrillic romanisation)."""

LEGAL_VARIANTS = (
    "LLC",
    "Ltd",
    "Co., Ltd.",
    "Company Limited",
    "FZE",
    "JSC",
    "Inc.",
    "S.A.",
    "GmbH",
)
TITLES = ("Mr.", "Dr.", "Sheikh", "Haji", "Mrs.")
GENERIC_WORDS = (
    "Global",
    "General",
    "International",
    "Trading",
    "Star",
    "Golden",
    "United",
    "Pacific",
    "Eastern",
    "Royal",
    "Modern",
    "Smart",
    "First",
    "New",
    "Green",
    "Ocean",
    "Silver",
    "Asia",
    "Euro",
    "Metro",
)
BUSINESS_WORDS = (
    "Trading",
    "Logistics",
    "Industries",
    "Supplies",
    "Electronics",
    "Machinery",
    "Textiles",
    "Foods",
    "Chemicals",
    "Shipping",
    "Solutions",
    "Technologies",
    "Imports",
    "Components",
    "Packaging",
    "Furniture",
    "Plastics",
    "Tools",
)

_CYRILLIC = icu.Transliterator.createInstance("Latin-Cyrillic")
"""Names re-written in Cyrillic, as Russian, Ukrainian or Bulgarian documents give them."""


@dataclass(frozen=True, slots=True)
class Query:
    text: str
    expected: str | None
    """Entry id the query should find; None for a clean name (no alert expected)."""
    kind: str
    """How it was made: typo, spelling, reorder, legal, join, drop, script, title, clean-..."""


@dataclass(frozen=True, slots=True)
class Pair:
    name1: str
    name2: str
    schema: str
    match: bool
    kind: str


def _latin_names(entry: ListEntry) -> list[str]:
    return [
        n.full
        for n in entry.names
        if n.full.isascii() and n.quality != NameQuality.WEAK and len(analyse(n.full).core) >= 1
    ]


def schema_of(entry: ListEntry) -> str:
    return {
        EntryKind.PERSON: "Person",
        EntryKind.ORGANISATION: "Company",
        EntryKind.VESSEL: "Vessel",
        EntryKind.AIRCRAFT: "Vessel",
    }.get(entry.kind, "LegalEntity")


def typo(rng: random.Random, name: str) -> str | None:
    words = name.split()
    idx = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    if not idx:
        return None
    i = rng.choice(idx)
    w = words[i]
    p = rng.randrange(1, len(w) - 1)
    op = rng.randrange(4)
    if op == 0:
        w = w[:p] + w[p + 1 :]
    elif op == 1:
        w = w[:p] + rng.choice("aeinorst") + w[p:]
    elif op == 2:
        w = w[:p] + rng.choice("aeinorst") + w[p + 1 :]
    else:
        w = w[: p - 1] + w[p] + w[p - 1] + w[p + 1 :]
    words[i] = w
    return " ".join(words)


def spelling(rng: random.Random, name: str) -> str | None:
    low = name.lower()
    rules = [r for r in SPELLING_RULES if r[0] in low]
    if not rules:
        return None
    a, b = rng.choice(rules)
    return low.replace(a, b, 1).title()


def reorder(rng: random.Random, name: str) -> str | None:
    words = name.replace(",", " ").split()
    if len(words) < 2:
        return None
    k = rng.randrange(1, len(words))
    return " ".join(words[k:] + words[:k])


def legal(rng: random.Random, name: str) -> str | None:
    bare = " ".join(remove_org_types(name).replace(",", " ").split())
    if not analyse(bare).core:
        return None
    return bare + " " + rng.choice(LEGAL_VARIANTS)


def join(rng: random.Random, name: str) -> str | None:
    words = name.split()
    if len(words) < 2:
        return None
    if any("-" in w for w in words) and rng.random() < 0.5:
        return name.replace("-", "")
    i = rng.randrange(len(words) - 1)
    return " ".join([*words[:i], words[i] + words[i + 1], *words[i + 2 :]])


def drop(rng: random.Random, name: str) -> str | None:
    words = name.replace(",", " ").split()
    if len(words) < 3:
        return None
    i = rng.randrange(1, len(words) - 1)
    return " ".join(words[:i] + words[i + 1 :])


def script(rng: random.Random, name: str) -> str | None:
    out: str = _CYRILLIC.transliterate(name.lower())
    return out


def title(rng: random.Random, name: str) -> str | None:
    return f"{rng.choice(TITLES)} {name}"


PERSON_VARIANTS = (typo, spelling, reorder, join, drop, script, title)
ORG_VARIANTS = (typo, spelling, legal, join)
"""Company names are not given in another script here: ICU's letter-by-letter Latin-Cyrillic of
English words ("company" -> "цомпаны") is not how any registry writes them."""


def variant(rng: random.Random, entry: ListEntry, name: str) -> tuple[str, str] | None:
    makers = PERSON_VARIANTS if entry.kind == EntryKind.PERSON else ORG_VARIANTS
    maker = rng.choice(makers)
    out = maker(rng, name)
    if not out or analyse(out).key == analyse(name).key:
        return None
    return out, maker.__name__


def positives(entries: Sequence[ListEntry], n: int, seed: int) -> list[Query]:
    rng = random.Random(seed)
    pool = [e for e in entries if e.kind != EntryKind.WALLET and _latin_names(e)]
    out: list[Query] = []
    while len(out) < n:
        e = rng.choice(pool)
        made = variant(rng, e, rng.choice(_latin_names(e)))
        if made:
            out.append(Query(made[0], e.id, made[1]))
    return out


def _person_parts(entries: Sequence[ListEntry]) -> tuple[list[str], list[str]]:
    given: list[str] = []
    family: list[str] = []
    for e in entries:
        if e.kind != EntryKind.PERSON:
            continue
        toks = [t for t in analyse(e.primary_name).core if len(t) > 2]
        if len(toks) >= 2 and e.primary_name.isascii():
            given.append(toks[-1] if "," in e.primary_name else toks[0])
            family.append(toks[0] if "," in e.primary_name else toks[-1])
    return given, family


def clean(entries: Sequence[ListEntry], n: int, seed: int, words: Sequence[str]) -> list[Query]:
    """Names of nobody listed.

    A generated name is kept only if no list name contains all its tokens (folded for
    romanisation) and none is within a rapidfuzz token-sort ratio of 90: those are not clean
    names but the near-duplicates screening exists to flag. The filter is independent of the
    matcher under test.
    """
    rng = random.Random(seed)
    holders: dict[str, set[int]] = {}
    folded: list[str] = []
    for i, e in enumerate(entries):
        for nm in e.names:
            a = analyse(nm.full)
            folded.append(" ".join(a.core))
            for t in a.core:
                holders.setdefault(spelling_key(t), set()).add(i)

    def listed(text: str) -> bool:
        core = analyse(text).core
        sets = [holders.get(spelling_key(t), set()) for t in core]
        if sets and set.intersection(*sets):
            return True
        hit = process.extractOne(
            " ".join(core), folded, scorer=fuzz.token_sort_ratio, score_cutoff=90
        )
        return hit is not None

    given, family = _person_parts(entries)
    out: list[Query] = []
    while len(out) < n:
        if rng.random() < 0.5:
            text = f"{rng.choice(given).title()} {rng.choice(family).title()}"
            kind = "clean-person"
        else:
            text = " ".join(
                [
                    rng.choice(GENERIC_WORDS),
                    rng.choice(words).title(),
                    rng.choice(BUSINESS_WORDS),
                    rng.choice(LEGAL_VARIANTS),
                ]
            )
            kind = "clean-company"
        if not listed(text):
            out.append(Query(text, None, kind))
    return out


def pairs(entries: Sequence[ListEntry], n: int, seed: int) -> list[Pair]:
    """Balanced labelled pairs: half positives (aliases, variants), half hard negatives."""
    rng = random.Random(seed)
    pool = [e for e in entries if e.kind != EntryKind.WALLET and _latin_names(e)]
    by_token: dict[str, list[ListEntry]] = {}
    for e in pool:
        for t in set(analyse(e.primary_name).core):
            by_token.setdefault(t, []).append(e)
    out: list[Pair] = []
    while len(out) < n:
        e = rng.choice(pool)
        names = _latin_names(e)
        a = rng.choice(names)
        if rng.random() < 0.5:
            others = [x for x in names if analyse(x).key != analyse(a).key]
            if others and rng.random() < 0.4:
                out.append(Pair(a, rng.choice(others), schema_of(e), True, "alias"))
                continue
            made = variant(rng, e, a)
            if made:
                out.append(Pair(made[0], a, schema_of(e), True, made[1]))
            continue
        toks = list(analyse(e.primary_name).core)
        shared = [t for t in toks if len(by_token.get(t, ())) > 1]
        if not shared:
            continue
        t = rng.choice(shared)
        other = rng.choice(by_token[t])
        if other.id == e.id or other.kind != e.kind or other.source != e.source:
            continue
        if analyse(other.primary_name).key == analyse(e.primary_name).key:
            continue
        if set(analyse(other.primary_name).core) <= STOP_TOKENS | {t}:
            continue
        kind = "same-" + ("surname" if e.kind == EntryKind.PERSON else "word")
        out.append(Pair(e.primary_name, other.primary_name, schema_of(e), False, kind))
    return out
