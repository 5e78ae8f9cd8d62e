"""The compiled kernel gives what the pure-Python reference gives: same candidates, same similar
tokens, same scores, same screening results (on the real UN list and on made-up indexes)."""

from __future__ import annotations

import os
import random
from collections import Counter
from collections.abc import Callable
from typing import Any, TypeVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stce.model import EntryKind, ListEntry, ListName, NameQuality
from stce.parties.index import NameIndex
from stce.parties.kernel import compiled, kind_mask
from stce.parties.normalise import AnalysedName, TokenClass
from stce.parties.scorer import explanation_from, name_score_from, score_name
from stce.parties.screener import (
    RETRIEVAL_BOUND,
    RETRIEVAL_FLOOR,
    SCHEMA_KINDS,
    TOP_K,
    WEAK_ALIAS_FACTOR,
    PartyQuery,
    PartyScreener,
    Reading,
    Scored,
    _similarity,
    kinds_for,
)

needs_kernel = pytest.mark.skipif(not compiled(), reason="compiled kernel not built")
KIND_FILTERS = (None, "Person", "Company", "Vessel", "LegalEntity")
"""Party kinds as `stce parties screen` takes them (None: any list entry)."""
T = TypeVar("T")


def test_kernel_built_where_required() -> None:
    # CI sets STCE_REQUIRE_KERNEL: there the build must not silently fall back to Python
    if os.environ.get("STCE_REQUIRE_KERNEL"):
        assert compiled()


_HOWS = ("exact", "edit", "spelling", "sound", "initial", "joined", "split", "contradicts")
_HOWS += ("missing:", "extra:", "weak alias", "little evidence", "one name part only")
"""Parts of explanations the comparison counts (see `assert_same`)."""


def assert_same(index: NameIndex, texts: list[str], seen: Counter[str] | None = None) -> int:
    """Compare every kernel function with its Python reference on each reading of `texts`;
    returns how many (candidate, person) scorings were compared, and counts in `seen` the
    parts of the explanations compared (`_HOWS`)."""
    seen = Counter() if seen is None else seen
    kernel = index.kernel
    assert kernel is not None
    screener = PartyScreener(index)
    compared = 0
    for text in texts:
        for reading in screener.readings(text):
            qtokens = index.query_tokens(reading)
            sims = []
            for q in qtokens:
                if len(q.token) < 2:
                    sims.append({})
                    continue
                fast = kernel.similar_tokens(q.token, q.abjad)
                assert fast == index._similar_tokens(q.token, q.abjad), (text, q.token)
                sims.append(fast)
            qtokens = index.reweigh(qtokens, sims)
            if not qtokens:
                continue
            for limit, bound in ((TOP_K, RETRIEVAL_BOUND), (40, 0.0)):
                want = index.candidates(qtokens, limit, RETRIEVAL_FLOOR, sims, bound)
                got = kernel.candidates(qtokens, sims, limit, RETRIEVAL_FLOOR, bound)
                assert got == want, (text, limit, bound)
            plan = kernel.prepare(qtokens, sims)
            # the screener's path: token plans memoised by `weighed`, one list per reading
            w_tokens, w_sims, plans = index.weighed(reading)
            assert plans is not None and len(plans) == len(w_tokens)
            for limit, bound in ((TOP_K, RETRIEVAL_BOUND), (40, 0.0)):
                w_want = index.candidates(w_tokens, limit, RETRIEVAL_FLOOR, w_sims, bound)
                got = kernel.candidates_from_plans(plans, limit, RETRIEVAL_FLOOR, bound)
                assert got == w_want, (text, limit, bound)
            w_plan = kernel.prepare_from_plans(plans)
            w_ref = kernel.prepare(w_tokens, w_sims)
            for nid in w_want:
                for person in (False, True):
                    assert kernel.score(w_plan, nid, person) == kernel.score(w_ref, nid, person)
                    assert kernel.explain(w_plan, nid, person) == kernel.explain(w_ref, nid, person)
                    assert kernel.explanation(w_plan, nid, person) == kernel.explanation(
                        w_ref, nid, person
                    )
            for nid in want:
                nm = index.names[nid]
                listed = screener._listed(nid)
                for person in (False, True):
                    similarity = _similarity(qtokens, nm.tokens, nm.tids, sims, person)
                    ref = score_name(qtokens, listed, person, similarity)
                    fast_score = kernel.score(plan, nid, person)
                    if fast_score is None:  # left to Python (a token outside the index)
                        continue
                    assert fast_score[0] == pytest.approx(ref.score, abs=1e-12), (text, nm.text)
                    assert fast_score[1] == ref.capped, (text, nm.text)
                    laid = kernel.explain(plan, nid, person)
                    assert laid is not None
                    explained = name_score_from(laid, qtokens, listed, similarity)
                    assert explained.score == pytest.approx(ref.score, abs=1e-12)
                    explained.score = ref.score
                    assert explained == ref, (text, nm.text)
                    # the screener's explanation, written straight from the alignment
                    written = explanation_from(
                        laid,
                        [q.token for q in qtokens],
                        nm.tokens,
                        lambda i, j, s=similarity: s(i, j)[1],
                    )
                    assert written == ref.explain(), (text, nm.text)
                    # ... and as the kernel writes it itself: `NameScore.explain()` of the
                    # screener's reference (which notes a weak alias), with `score`'s score
                    named = screener._name_score(nid, qtokens, sims, person)
                    got = kernel.explanation(plan, nid, person)
                    assert got == (fast_score[0], named.explain()), (text, nm.text)
                    seen.update(how for part in got[1].split("; ") for how in _HOWS if how in part)
                    compared += 1
    return compared


def score_one_by_one(
    index: NameIndex,
    plan: Any,
    nids: list[int],
    allowed: frozenset[EntryKind] | None,
    person_query: bool,
    best: dict[int, Scored],
    reading: Reading,
) -> float | None:
    """The screener's candidate loop before `Kernel.score_candidates`, one `Kernel.score` per
    list name: what the one call must give, down to the bit, the nid kept on equal scores and
    the order entries enter `best`. None where a name is left to Python."""
    kernel = index.kernel
    assert kernel is not None
    top = 0.0
    for nid in nids:
        nm = index.names[nid]
        kind = index.entries.kinds[nm.entry]
        if allowed is not None and kind not in allowed:
            continue
        fast = kernel.score(plan, nid, person_query or kind == EntryKind.PERSON)
        if fast is None:
            return None
        raw, capped = fast
        s = raw * (WEAK_ALIAS_FACTOR if nm.weak else 1.0)
        top = max(top, s)
        prev = best.get(nm.entry)
        if prev is None or s > prev[0]:
            best[nm.entry] = (s, capped, nid, reading)
    return top


def assert_same_best(index: NameIndex, texts: list[str]) -> Counter[str]:
    """`Kernel.score_candidates` against `score_one_by_one` on every reading of `texts`, for
    every party kind, as the screener calls it (one `best` carried over a name's readings),
    with the screener's candidates and with more of them. Counts what was met: list names
    filtered out by kind, weak aliases, entries whose names tie, names left to Python."""
    kernel = index.kernel
    assert kernel is not None
    screener = PartyScreener(index)
    seen: Counter[str] = Counter()
    for text in texts:
        readings = []
        for reading in screener.readings(text):
            qtokens, qsims, plans = index.weighed(reading)
            if qtokens and plans is not None:
                plan = kernel.prepare_from_plans(plans)
                readings.append((Reading(qtokens, qsims, plan), plans))
        for kind in KIND_FILTERS:
            allowed = kinds_for(kind)
            person_query = kind is not None and allowed == SCHEMA_KINDS["person"]
            for limit, bound in ((TOP_K, RETRIEVAL_BOUND), (40, 0.0)):
                got: dict[int, Scored] = {}
                want: dict[int, Scored] = {}
                for scored_from, plans in readings:
                    nids = kernel.candidates_from_plans(plans, limit, RETRIEVAL_FLOOR, bound)
                    assert nids is not None
                    before = dict(got)
                    top = kernel.score_candidates(
                        scored_from.plan, nids, kind_mask(allowed), person_query, got, scored_from
                    )
                    ref = score_one_by_one(
                        index, scored_from.plan, nids, allowed, person_query, want, scored_from
                    )
                    if ref is None:
                        # a name left to Python: the kernel leaves the whole reading to it
                        assert top is None and got == before, text
                        seen["left to Python"] += 1
                        screener._score_each(nids, allowed, person_query, got, scored_from)
                        want = dict(got)
                        continue
                    assert top == ref, (text, kind)
                    assert list(got.items()) == list(want.items()), (text, kind)
                    _count_cases(index, scored_from, nids, allowed, person_query, seen)
    return seen


def _count_cases(
    index: NameIndex,
    scored_from: Reading,
    nids: list[int],
    allowed: frozenset[EntryKind] | None,
    person_query: bool,
    seen: Counter[str],
) -> None:
    kernel = index.kernel
    assert kernel is not None
    by_entry: dict[int, list[float]] = {}
    for nid in nids:
        nm = index.names[nid]
        kind = index.entries.kinds[nm.entry]
        if allowed is not None and kind not in allowed:
            seen["filtered by kind"] += 1
            continue
        fast = kernel.score(scored_from.plan, nid, person_query or kind == EntryKind.PERSON)
        assert fast is not None
        seen["weak alias"] += nm.weak
        by_entry.setdefault(nm.entry, []).append(fast[0] * (WEAK_ALIAS_FACTOR if nm.weak else 1))
    for scores in by_entry.values():
        seen["names of one entry tie"] += len(scores) > len(set(scores))
    seen["person query"] += person_query
    seen["calls"] += 1


def search_all(
    index: NameIndex, texts: list[str], kind: str | None = None, country: str | None = None
) -> list[list[tuple[str, float, str]]]:
    screener = PartyScreener(index)
    return [
        [
            (m.entry.id, round(m.score, 9), m.explanation)
            for m in screener.search(PartyQuery(t, kind=kind, country=country))
        ]
        for t in texts
    ]


def on_both_paths(index: NameIndex, run: Callable[[], T]) -> tuple[T, T]:
    """`run` with the compiled kernel, then on the pure-Python path."""
    index.forget()
    assert index.kernel is not None
    fast = run()
    os.environ["STCE_PURE_PYTHON"] = "1"
    try:
        index.forget()
        assert index.kernel is None
        slow = run()
    finally:
        del os.environ["STCE_PURE_PYTHON"]
        index.forget()
    return fast, slow


def un_queries(index: NameIndex) -> list[str]:
    from stce.parties.evalsets import clean, positives

    pos = positives(index.entries, 250, seed=11)
    neg = clean(index.entries, 150, seed=12, words=["copper", "valve", "trading", "pump"])
    own = [n.full for e in random.Random(13).sample(list(index.entries), 60) for n in e.names]
    # joined, split and glued parts, initials, other scripts: the re-alignment paths
    extra = [
        "ALQAIDA",
        "Al Qa ida",
        "AL-QAIDA IN THE ARABIAN PENINSULA",
        "M. ALI",
        "محمد علي",
        "Абу Бакр аль-Багдади",
        "KIM JONGUN",
        "JOINTSTOCK COMPANY",
        # deletion variants end at 32 letters; a hostile field is one long "name part"
        "Oberon " + "abcdefghij" * 4 + " Eds",
        "Oberon " + "qwertyuiop" * 400,
    ]
    # list names with each long part cut in two ("jin ping") and written as one word
    # ("vladimirputin"): the split-token and compacted-name look-ups of retrieval
    rng = random.Random(14)
    sample = [e.names[0].full for e in rng.sample(list(index.entries), 60)]
    cut = [" ".join(t[: len(t) // 2] + " " + t[len(t) // 2 :] for t in n.split()) for n in sample]
    joined = ["".join(n.split()) for n in sample]
    return [q.text for q in pos + neg] + own + extra + cut + joined


@needs_kernel
def test_kernel_matches_python_on_un_list(un_index: NameIndex) -> None:
    seen: Counter[str] = Counter()
    compared = assert_same(un_index, un_queries(un_index), seen)
    assert compared > 1000
    # the explanations compared have every kind of part the kernel writes
    assert all(seen[how] for how in _HOWS), seen


@needs_kernel
def test_explanations_outlive_their_kernel(un_index: NameIndex) -> None:
    """How a similar token is similar is kept with a plan as a code every kernel reads alike:
    a reading laid out before the kernel is made again is explained the same by the new one."""
    un_index.forget()
    first = un_index.kernel
    assert first is not None
    screener = PartyScreener(un_index)
    cases = []
    for text in un_queries(un_index)[:120]:
        for reading in screener.readings(text):
            qtokens, _, plans = un_index.weighed(reading)
            if not qtokens or plans is None:
                continue
            query = first.prepare_from_plans(plans)
            for nid in first.candidates_from_plans(plans, TOP_K, RETRIEVAL_FLOOR, 0.0) or []:
                for person in (False, True):
                    want = first.explanation(query, nid, person)
                    if want is not None:  # else left to Python (a list token outside the index)
                        cases.append((query, nid, person, want))
    un_index.forget()
    second = un_index.kernel
    assert second is not None and second is not first
    assert len(cases) > 100
    for query, nid, person, want in cases:
        assert second.explanation(query, nid, person) == want
    un_index.forget()


@needs_kernel
def test_score_candidates_as_one_by_one_on_un_list(un_index: NameIndex) -> None:
    seen = assert_same_best(un_index, un_queries(un_index))
    for case in ("filtered by kind", "weak alias", "names of one entry tie", "person query"):
        assert seen[case] > 0, (case, seen)


@needs_kernel
@pytest.mark.parametrize("kind", KIND_FILTERS[1:])
def test_screening_results_identical_by_kind_on_un_list(un_index: NameIndex, kind: str) -> None:
    texts = un_queries(un_index)
    fast, slow = on_both_paths(un_index, lambda: search_all(un_index, texts, kind, "IQ"))
    assert fast == slow
    # the UN list names no vessels: everything is filtered out
    assert sum(bool(r) for r in fast) > (50 if kind != "Vessel" else -1)


@needs_kernel
def test_list_tokens_neighbours_are_what_the_lookup_finds(un_index: NameIndex) -> None:
    """The neighbours kept with the index for every list token are what the compiled lookup
    finds (the Python one built them), so keeping them changes no result."""
    kernel = un_index.kernel
    assert kernel is not None
    assert len(un_index.neighbours) == len(un_index.tokens) > 1000
    for tid, t in enumerate(un_index.tokens):
        assert un_index.neighbours[tid] == kernel.similar_tokens(t, False), t
        assert list(un_index.neighbours[tid]) == list(un_index._similar_tokens(t, False)), t
    un_index.forget()
    assert un_index.similar_tokens(un_index.tokens[5]) == un_index.neighbours[5]


def test_list_tokens_laid_out_change_no_result(un_index: NameIndex) -> None:
    """The list tokens weighed when the kernel is made are what weighing them on demand
    gives: screening with the table and without it gives the same results."""
    un_index.forget()
    assert un_index.kernel is not None or not compiled()
    laid = un_index._laid_out
    assert len(laid) > 1000
    texts = un_queries(un_index)
    with_table = search_all(un_index, texts)
    for t, (c, q, sims, _) in list(laid.items())[::50]:
        un_index._laid_out, un_index._weighed_memo = {}, {}
        got, got_sims, _ = un_index.weighed(AnalysedName(t, (t,), (TokenClass(c),)))
        assert (got, got_sims) == ([q], [sims]), t
    un_index._laid_out, un_index._weighed_memo = {}, {}
    assert search_all(un_index, texts) == with_table
    un_index.forget()


@needs_kernel
def test_screening_results_identical_on_un_list(
    un_index: NameIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = un_queries(un_index)
    un_index.forget()
    fast = search_all(un_index, texts)
    monkeypatch.setenv("STCE_PURE_PYTHON", "1")
    un_index.forget()
    assert un_index.kernel is None
    slow = search_all(un_index, texts)
    monkeypatch.delenv("STCE_PURE_PYTHON")
    un_index.forget()
    assert fast == slow
    assert sum(bool(r) for r in fast) > 200


# -- made-up indexes: many near-identical and over-common tokens ----------------------------

SYLLABLES = ["al", "ab", "ka", "mo", "ha", "med", "ri", "sa", "li", "du", "bin", "x"]


def made_up_entries(rng: random.Random, n: int) -> list[ListEntry]:
    def word() -> str:
        return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 4)))

    common = ["mohammed", "trading", "ali"]
    kinds = (
        [EntryKind.PERSON] * 4
        + [EntryKind.ORGANISATION] * 4
        + [
            EntryKind.VESSEL,
            EntryKind.UNKNOWN,
        ]
    )
    out = []
    for i in range(n):
        parts = [word() for _ in range(rng.randint(1, 4))]
        if rng.random() < 0.6:
            parts.insert(rng.randint(0, len(parts)), rng.choice(common))
        names = [ListName(full=" ".join(parts))]
        if rng.random() < 0.3:
            # the same parts reordered: often the same score (ties within one entry)
            quality = NameQuality.WEAK if rng.random() < 0.5 else NameQuality.STRONG
            names.append(ListName(full=" ".join(reversed(parts)), quality=quality))
        if rng.random() < 0.1:
            names.append(ListName(full=" ".join(parts[:-1]) or "x", quality=NameQuality.WEAK))
        key = f"m{i}"
        out.append(
            ListEntry(
                id=f"test:{key}", source="test", source_key=key, kind=rng.choice(kinds), names=names
            )
        )
    return out


@needs_kernel
@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_kernel_matches_python_on_made_up_index(seed: int) -> None:
    rng = random.Random(seed)
    index = NameIndex(made_up_entries(rng, 600))
    texts = []
    for _ in range(30):
        nm = rng.choice(index.names).tokens
        parts = list(nm)
        op = rng.random()
        if op < 0.3 and parts:
            k = rng.randrange(len(parts))
            w = parts[k]
            if len(w) > 2:
                i = rng.randrange(len(w))
                parts[k] = w[:i] + w[i + 1 :]  # a typo
        elif op < 0.5 and len(parts) > 1:
            parts[0:2] = [parts[0] + parts[1]]  # glued
        elif op < 0.7:
            parts.append(rng.choice(SYLLABLES) * 2)  # an extra part
        elif op < 0.8 and parts:
            parts[0] = parts[0][0]  # an initial
        texts.append(" ".join(parts) or "x")
    assert_same(index, texts)
    assert_same_best(index, texts)
    kind = rng.choice(KIND_FILTERS)
    fast, slow = on_both_paths(index, lambda: search_all(index, texts, kind))
    assert fast == slow
