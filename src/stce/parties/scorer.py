"""Pairwise name scoring with an explanation of every part.

Why this design (see docs/matching-notes.md for the failures it answers):

- Parts are aligned one to one by similarity, each pair weighted by the list token's rarity, so
  "CORP" or "Mohammed" cannot carry a match but "Habbash" can.
- A list part the party does not mention is *missing* (mild penalty: "Vladimir Putin" vs
  "Vladimir Vladimirovich Putin"); a list part facing a different, unmatched party part is a
  *contradiction* (heavy penalty: "George Bush" vs "George Habbash").
- Short tokens get a length-dependent edit budget ("Jon"/"John" match, "Li"/"Lu" do not);
  initials match the part they abbreviate at a discount; tokens split or joined differently
  ("Jin Ping"/"Jinping", "vladimirputin") are re-aligned.
- A name whose matched evidence is too little (only generic or very common parts) is scaled down
  whatever its ratio, and a person matched on one part alone stays in the review band.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from rapidfuzz.distance import OSA

from stce.parties.index import (
    CONSONANT_SIMILARITY,
    PHONETIC_SIMILARITY,
    SPELLING_SIMILARITY,
    QueryToken,
    edit_budget,
    phonetic_key,
    same_start,
    token_similarity_from_distance,
)
from stce.parties.normalise import TokenClass, consonants, spelling_key

MISSING_FACTOR = 0.25
"""Weight of a list part the party leaves out (nothing contradicts it)."""
EXTRA_FACTOR = 0.5
"""Weight of a party part the list name lacks (nothing contradicts it either)."""
CONTRADICTION_FACTOR = 1.0
"""Weight of unmatched parts when both sides have leftovers (they disagree)."""
MIN_EVIDENCE = 4.0
"""Matched rarity (in idf units) below which the score is scaled down: about one token found
on 1 entry in 50. "Trading" plus "Corp" never reaches it; one rare surname does."""
SINGLE_PART_CAP = 0.78
"""Highest score of a multi-part person name matched on a single part."""
INITIAL_SIMILARITY = 0.6


@dataclass(frozen=True, slots=True)
class PartMatch:
    query: str
    listed: str
    how: str
    similarity: float


@dataclass(slots=True)
class NameScore:
    score: float
    matched: list[PartMatch] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def capped(self) -> bool:
        """Held below the alert threshold as a lead (one shared part, generic words only)."""
        return "one name part only" in self.notes or "generic words only" in self.notes

    def explain(self) -> str:
        return explanation(
            [f"{m.query}={m.listed} ({m.how})" for m in self.matched],
            self.missing,
            self.extra,
            self.notes,
        )


def explanation(
    matched: list[str], missing: Sequence[str], extra: Sequence[str], notes: Iterable[str]
) -> str:
    """The one-line explanation of a name score an officer reads: the parts matched and how,
    then the parts left over on either side (a contradiction when both sides have some), then
    the notes."""
    if missing and extra:
        matched.append("contradicts: " + ",".join(extra) + " vs " + ",".join(missing))
    else:
        if missing:
            matched.append("missing: " + ",".join(missing))
        if extra:
            matched.append("extra: " + ",".join(extra))
    matched.extend(notes)
    return "; ".join(matched)


def token_similarity(q: str, c: str, person: bool, abjad: bool = False) -> tuple[float, str]:
    """Similarity of two tokens and how it was reached."""
    if q == c:
        return 1.0, "exact"
    if q.isdigit() or c.isdigit():
        return 0.0, "number"
    if len(q) == 1 or len(c) == 1:
        if person and q[0] == c[0]:
            return INITIAL_SIMILARITY, "initial"
        return 0.0, "initial"
    longer = max(len(q), len(c))
    budget = edit_budget(longer)
    if budget:
        d = OSA.distance(q, c, score_cutoff=budget)
        if d <= budget:
            sim = token_similarity_from_distance(d, longer, same_start(q, c))
            return sim, f"{d} edit" + ("s" if d > 1 else "")
    if spelling_key(q) == spelling_key(c):
        return SPELLING_SIMILARITY, "spelling"
    if abjad and consonants(q) and consonants(q) == consonants(c):
        return CONSONANT_SIMILARITY, "consonants"
    pq = phonetic_key(q)
    if pq is not None and pq == phonetic_key(c):
        return PHONETIC_SIMILARITY, "sound"
    return 0.0, ""


Similarity = Callable[[int, int], tuple[float, str]]
"""Similarity of query part i and list part j, with how it was reached."""


def score_name(
    query: Sequence[QueryToken],
    listed: Sequence[QueryToken],
    person: bool,
    similarity: Similarity | None = None,
) -> NameScore:
    """Score a party name against one list name (both already analysed and weighted).

    `similarity` lets the screener reuse the token similarities its index lookup already
    computed; without it, tokens are compared here.
    """
    if not query or not listed:
        return NameScore(0.0)
    pairs: list[tuple[float, float, int, int, int, str]] = []
    for i, q in enumerate(query):
        for j, c in enumerate(listed):
            if similarity is None:
                sim, how = token_similarity(q.token, c.token, person, q.abjad or c.abjad)
            else:
                sim, how = similarity(i, j)
            if sim > 0.0:
                pairs.append((sim, c.weight + q.weight, -abs(i - j), i, j, how))
    pairs.sort(reverse=True)
    used_q: set[int] = set()
    used_c: set[int] = set()
    result = NameScore(0.0)
    matched_w = 0.0
    aligned_w = 0.0
    for sim, _, _, i, j, how in pairs:
        if i in used_q or j in used_c:
            continue
        used_q.add(i)
        used_c.add(j)
        w = listed[j].weight if how != "initial" else min(listed[j].weight, query[i].weight)
        matched_w += sim * w
        aligned_w += w
        result.matched.append(PartMatch(query[i].token, listed[j].token, how, sim))
    # re-align split or joined parts among the leftovers
    left_q = [i for i in range(len(query)) if i not in used_q]
    left_c = [j for j in range(len(listed)) if j not in used_c]
    if left_q and left_c:
        for a, b, side in ((query, listed, "q"), (listed, query, "c")):
            la, lb = (left_q, left_c) if side == "q" else (left_c, left_q)
            for x, y in pairwise(la):
                if y != x + 1:
                    continue
                joined = a[x].token + a[y].token
                for k in lb:
                    if (side == "q" and k in used_c) or (side == "c" and k in used_q):
                        continue
                    tok = b[k].token
                    budget = edit_budget(max(len(tok), len(joined))) // 2
                    d = OSA.distance(joined, tok, score_cutoff=budget)
                    if d > budget and (a[x].abjad or b[k].abjad):
                        same = len(tok) > 2 and consonants(joined) == consonants(tok)
                        d = 1 if same else d
                    if d <= budget or (d == 1 and (a[x].abjad or b[k].abjad)):
                        sim = 0.95 - 0.05 * d
                        if side == "q":
                            w = listed[k].weight
                            used_q.update((x, y))
                            used_c.add(k)
                            result.matched.append(
                                PartMatch(f"{a[x].token} {a[y].token}", tok, "joined", sim)
                            )
                        else:
                            w = listed[x].weight + listed[y].weight
                            used_c.update((x, y))
                            used_q.add(k)
                            result.matched.append(
                                PartMatch(tok, f"{a[x].token} {a[y].token}", "split", sim)
                            )
                        matched_w += sim * w
                        aligned_w += w
                        break
    q_un = [query[i] for i in range(len(query)) if i not in used_q]
    c_un = [listed[j] for j in range(len(listed)) if j not in used_c]
    q_un_w = sum(q.weight for q in q_un if q.cls != TokenClass.PARTICLE or not result.matched)
    c_un_w = sum(c.weight for c in c_un if c.cls != TokenClass.PARTICLE or not result.matched)
    result.extra = [q.token for q in q_un]
    result.missing = [c.token for c in c_un]
    contradicted = q_un_w > 0.0 and c_un_w > 0.0 and any(q.cls == TokenClass.NAME for q in q_un)
    if contradicted:
        denom = aligned_w + CONTRADICTION_FACTOR * (q_un_w + c_un_w)
    else:
        denom = aligned_w + EXTRA_FACTOR * q_un_w + MISSING_FACTOR * c_un_w
    if denom <= 0.0:
        return result
    score = matched_w / denom
    if matched_w < MIN_EVIDENCE:
        score *= (matched_w / MIN_EVIDENCE) ** 0.5
        result.notes.append("little evidence")
    if score > SINGLE_PART_CAP and all(c.cls != TokenClass.NAME for c in listed):
        score = SINGLE_PART_CAP
        result.notes.append("generic words only")
    name_parts = sum(1 for c in listed if c.cls == TokenClass.NAME)
    particles = {c.token for c in listed if c.cls == TokenClass.PARTICLE}
    strong = sum(
        2 if m.how in ("joined", "split") else 1
        for m in result.matched
        if m.how != "initial" and m.listed not in particles
    )
    # One shared part is a lead, not an alert: a person matched on one of several name parts,
    # or any two-part party matching a several-part list name on one part ("Amin Sheikh" vs
    # "Amin Industrial Company").
    # Nor is one shared part beside a distinctive word the list name lacks ("Orion Solutions"
    # vs "ORION"): the same word names many different firms.
    extra_words = any(q.cls == TokenClass.NAME for q in q_un)
    # ... but a name reproduced exactly ("AL QAEDA" / "Al-Qaeda": one name part and a particle)
    # is not one shared part: every part matches exactly and nothing is left on either side.
    whole = not q_un and not c_un and all(m.similarity == 1.0 for m in result.matched)
    one_part = (
        strong < 2
        and not whole
        and (
            (person and name_parts >= 2)
            or (len(query) >= 2 and len(listed) >= 2)
            or (extra_words and not person)
        )
    )
    if one_part and score > SINGLE_PART_CAP:
        score = SINGLE_PART_CAP
        result.notes.append("one name part only")
    result.score = min(1.0, score)
    return result


Alignment = tuple[float, list[str], list[tuple[Any, ...]], list[int], list[int]]
"""What the compiled kernel's `explain` gives: score, notes, alignment steps, unmatched party
parts and unmatched list parts (see `stce.parties._kernel.Kernel.explain`)."""


def name_score_from(
    laid: Alignment,
    query: Sequence[QueryToken],
    listed: Sequence[QueryToken],
    similarity: Similarity,
) -> NameScore:
    """The `NameScore` that `score_name` would give, from an alignment already worked out."""
    score, notes, steps, q_un, c_un = laid
    matched: list[PartMatch] = []
    for step in steps:
        if step[0] == 0:
            _, i, j = step
            sim, how = similarity(i, j)
            matched.append(PartMatch(query[i].token, listed[j].token, how, sim))
        elif step[0] == 1:
            _, x, y, k, sim = step
            joined = f"{query[x].token} {query[y].token}"
            matched.append(PartMatch(joined, listed[k].token, "joined", sim))
        else:
            _, x, y, k, sim = step
            split = f"{listed[x].token} {listed[y].token}"
            matched.append(PartMatch(query[k].token, split, "split", sim))
    return NameScore(
        score,
        matched,
        [listed[j].token for j in c_un],
        [query[i].token for i in q_un],
        list(notes),
    )


def explanation_from(
    laid: Alignment,
    query: Sequence[str],
    listed: Sequence[str],
    how: Callable[[int, int], str],
    notes: Sequence[str] = (),
) -> str:
    """`name_score_from(...).explain()` without building the `NameScore`, from the kernel's
    alignment (`Kernel.explain`); the kernel writes the screener's explanations itself
    (`Kernel.explanation`), and the tests hold the two to `NameScore.explain()`. `query` and
    `listed` are the tokens, `how` tells how party part i met list part j; `notes` are added
    at the end."""
    _, laid_notes, steps, q_un, c_un = laid
    matched: list[str] = []
    for step in steps:
        if step[0] == 0:
            _, i, j = step
            matched.append(f"{query[i]}={listed[j]} ({how(i, j)})")
        elif step[0] == 1:
            _, x, y, k, _ = step
            matched.append(f"{query[x]} {query[y]}={listed[k]} (joined)")
        else:
            _, x, y, k, _ = step
            matched.append(f"{query[k]}={listed[x]} {listed[y]} (split)")
    return explanation(
        matched, [listed[j] for j in c_un], [query[i] for i in q_un], (*laid_notes, *notes)
    )
