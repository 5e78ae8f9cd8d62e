"""Tokens no list name spells, through the compiled kernel: `Kernel.weigh_token` gives what
`NameIndex.weighed` worked out in Python (similar list tokens, reweighing, the token's plan),
and `Kernel.repair_token` what `NameIndex._repair_token` gives, on the real UN list's tokens
mistyped, glued and mangled, and on arbitrary text."""

from __future__ import annotations

import random
from collections.abc import Iterable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stce.model import EntryKind
from stce.parties.index import (
    LEGAL_FORMS,
    STOP_TOKENS,
    NameIndex,
    QueryToken,
    generic_word,
    same_start,
    token_similarity_from_distance,
)
from stce.parties.kernel import compiled
from stce.parties.normalise import HONORIFICS, PARTICLES, TokenClass, spelling_key

from .conftest import entry, filler_entries

pytestmark = pytest.mark.skipif(not compiled(), reason="compiled kernel not built")

CLASSES = (TokenClass.NAME, TokenClass.STOP, TokenClass.PARTICLE, TokenClass.GENERIC)


def reference(index: NameIndex, token: str, cls: int, abjad: bool) -> tuple[Any, ...]:
    """What `NameIndex.weighed` keeps for a token on the pure-Python path, with the plan the
    kernel lays out for that."""
    kernel = index.kernel
    assert kernel is not None
    similar = index._similar_tokens(token, abjad) if len(token) > 1 else {}
    q = index._reweighed(QueryToken(token, cls, index.weight(token, cls), abjad), similar)
    return q, similar, laid_out(kernel.plan_token(q, similar))


def laid_out(plan: Any) -> tuple[Any, ...]:
    """A plan's contents, the walked and over-common list tokens in id order: they follow the
    order the similar tokens were found in (a set's), which no result depends on (retrieval
    keeps each name's best gain, and sorts the over-common ones)."""
    out = list(plan.laid_out())
    out[10] = sorted(out[10])
    out[12] = sorted(out[12])
    return tuple(out)


def assert_weighs_as_python(index: NameIndex, tokens: Iterable[str]) -> int:
    kernel = index.kernel
    assert kernel is not None
    n = 0
    for token in tokens:
        for cls in CLASSES:
            for abjad in (False, True):
                index._memo = {}  # each lookup made afresh, not read back
                q, similar, plan = kernel.weigh_token(token, cls, abjad)
                want_q, want_similar, want_plan = reference(index, token, cls, abjad)
                assert q == want_q, (token, cls, abjad)
                assert type(q.cls) is type(want_q.cls), (token, cls, abjad)
                assert similar == want_similar, (token, cls, abjad)
                assert laid_out(plan) == want_plan, (token, cls, abjad)
                n += 1
    return n


def assert_repairs_as_python(index: NameIndex, tokens: Iterable[str]) -> int:
    kernel = index.kernel
    assert kernel is not None
    n = 0
    for token in tokens:
        assert kernel.spelling_key(token) == spelling_key(token), token
        assert kernel.generic_word(token) == generic_word(token), token
        assert kernel.split(token) == index._split(token), token
        assert kernel.repair_token(token) == index._repair_token(token), token
        n += 1
    return n


def mangled(tokens: list[str], rng: random.Random, n: int) -> list[str]:
    """Tokens as parties mistype and glue them: letters dropped, doubled, swapped, replaced;
    two tokens glued; a legal form or generic word glued on; the first two letters swapped."""
    generic = sorted(LEGAL_FORMS | STOP_TOKENS | PARTICLES | HONORIFICS)
    out: list[str] = []
    for _ in range(n):
        t = rng.choice(tokens)
        op = rng.randrange(8)
        i = rng.randrange(len(t))
        if op == 0:
            t = t[:i] + t[i + 1 :]
        elif op == 1:
            t = t[:i] + t[i] + t[i:]
        elif op == 2 and len(t) > 1:
            i = min(i, len(t) - 2)
            t = t[:i] + t[i + 1] + t[i] + t[i + 2 :]
        elif op == 3:
            t = t[:i] + rng.choice("aeiouykhwjsz") + t[i + 1 :]
        elif op == 4:
            t = t + rng.choice(tokens)
        elif op == 5:
            g = rng.choice(generic)
            t = t + g if rng.random() < 0.5 else g + t
        elif op == 6:
            g = rng.choice(generic)
            t = g[:i] + g[i + 1 :] if len(g) > 3 else g + g
        else:
            t = t[1::-1] + t[2:]
        out.append(t)
    return out


def awkward_tokens() -> list[str]:
    return [
        *("liabiliti", "compani", "djoint", "jiont", "corporatéon", "corporateon", "sociedad"),
        *("rinconltda", "jointstock", "hajinasir", "kbinvestments", "jscrt", "sanatco"),
        *("محمد", "mhmwd", "mahmoud", "vahid", "dawud", "x", "7", "12345", "ab", "ltd", "al"),
        *("a" * 33, "abcdefghij" * 4, "qwertyuiop" * 8, "jeong", "eunji", "seong", "rhee"),
        *("ñandú", "ǆokić", "straße", "日本", "kim", "𝒜bc", "a\nnb", "zhou", "tsheng"),
    ]


def test_weighs_and_repairs_as_python_on_un_tokens(un_index: NameIndex) -> None:
    un_index.forget()
    rng = random.Random(4)
    tokens = list(un_index.tokens)
    sample = rng.sample(tokens, 400) + mangled(tokens, rng, 1500) + awkward_tokens()
    assert assert_weighs_as_python(un_index, sample) > 10_000
    assert assert_repairs_as_python(un_index, sample) > 1000
    un_index.forget()


def test_new_tokens_reach_every_branch(un_index: NameIndex) -> None:
    """The mangled tokens above do meet what the compiled lookups must get right: generic
    words misspelt, glued tokens split, sound-alikes, list tokens rare and common."""
    un_index.forget()
    kernel = un_index.kernel
    assert kernel is not None
    rng = random.Random(4)
    sample = mangled(list(un_index.tokens), rng, 1500) + awkward_tokens()
    hows: set[str] = set()
    repairs = {"split": 0, "generic": 0}
    generic_typos = 0
    for t in sample:
        q, similar, _ = kernel.weigh_token(t, TokenClass.NAME, False)
        hows.update(how for _, how in similar.values())
        generic_typos += q.cls == TokenClass.STOP
        fix = kernel.repair_token(t)
        if fix is not None:
            repairs["split" if len(fix) == 2 else "generic"] += 1
    assert {"exact", "1 edit", "2 edits", "spelling", "sound"} <= hows
    assert generic_typos > 5 and min(repairs.values()) > 5, (generic_typos, repairs)
    un_index.forget()


def test_spelling_keys_as_python(un_index: NameIndex) -> None:
    """Every list token, every Korean family name's spellings, and romanisation habits."""
    from stce.parties import korean

    kernel = un_index.kernel
    assert kernel is not None
    spellings = [str(s) for row in korean.surnames().values() for s in row["south"]]
    spellings += [str(row[k]) for row in korean.surnames().values() for k in ("dprk", "rr")]
    habits = ["dzhamal", "djamal", "zhou", "tshang", "kseniya", "tsoi", "khalid", "ghulam"]
    habits += ["phuong", "thanh", "shah", "chang", "jackson", "qasim", "wasim", "yusuf"]
    habits += ["jeong", "eunji", "oooo", "oooa", "eee", "a\n\nb", "ssss", "", "x", "ñandú"]
    for t in [*un_index.tokens, *spellings, *habits]:
        assert kernel.spelling_key(t) == spelling_key(t), t


def test_query_tokens_made_as_the_dataclass_makes_them() -> None:
    from stce.parties import _kernel

    for args in [("abc", TokenClass.NAME, 1.5, False), ("x", TokenClass.STOP, 0.5, True)]:
        made, want = _kernel.query_token(*args), QueryToken(*args)
        assert made == want and hash(made) == hash(want) and repr(made) == repr(want)
        assert type(made) is QueryToken and type(made.cls) is type(want.cls)
        with pytest.raises(AttributeError):
            made.weight = 2.0  # type: ignore[misc]


def test_deletion_depths_as_python(small_index: NameIndex) -> None:
    """Tokens at the lengths where `delete_depth` changes, digits, and a long one: the
    compiled lookup finds the neighbours the Python one finds (a depth too shallow would
    miss some, one too deep find more)."""
    kernel = small_index.kernel
    assert kernel is not None
    for n in range(1, 36):
        for token in ("mohammedalihasannasirjongkimuniv"[:n].ljust(n, "x"), "7" * n):
            assert kernel.similar_tokens(token, False) == small_index._similar_tokens(
                token, False
            ), token


def test_similarity_from_distance_as_python() -> None:
    from stce.parties import _kernel

    for distance in range(5):
        for length in range(0, 40):
            for first in (False, True):
                assert _kernel.similarity_from_distance(
                    distance, length, first
                ) == token_similarity_from_distance(distance, length, first)
    for a, b in [("ab", "ba"), ("abc", "bac"), ("a", "a"), ("ab", "ab"), ("a", "ba"), ("ba", "b")]:
        assert _kernel.same_start(a, b) == same_start(a, b), (a, b)


@settings(max_examples=2000, deadline=None)
@given(a=st.text(alphabet="abcx", max_size=7), b=st.text(alphabet="abcx", max_size=7))
def test_within_one_edit_as_rapidfuzz(a: str, b: str) -> None:
    from rapidfuzz.distance import OSA

    from stce.parties import _kernel

    assert _kernel.within_one_edit(a, b) == (OSA.distance(a, b, score_cutoff=1) <= 1)


@pytest.fixture(scope="module")
def small_index() -> NameIndex:
    listed = [
        entry("a", EntryKind.PERSON, "Mohammed Ali HASSAN", "Muhammad Ali Hasan", "محمد علي حسن"),
        entry("b", EntryKind.ORGANISATION, "Rostshipservis OOO", "Rinconada Trading Limited"),
        entry("c", EntryKind.PERSON, "KIM Jong Un", "Haji Nasir"),
        entry("d", EntryKind.ORGANISATION, "Universal Trading FZE", "Comany Joint Stock"),
    ]
    return NameIndex(listed + filler_entries(300), "new-tokens")


@settings(max_examples=300, deadline=None)
@given(
    token=st.one_of(
        st.text(min_size=1, max_size=40),
        st.text(alphabet="abcdehijklmnorstuvwyz", min_size=1, max_size=36),
        st.lists(
            st.sampled_from(["mohammed", "ali", "hasan", "haji", "nasir", "ltd", "co", "jong"]),
            min_size=1,
            max_size=3,
        ).map("".join),
    )
)
def test_weighs_and_repairs_as_python_on_any_token(small_index: NameIndex, token: str) -> None:
    assert_weighs_as_python(small_index, [token])
    assert_repairs_as_python(small_index, [token])
