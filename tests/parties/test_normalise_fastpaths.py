"""The shortcuts of name analysis answer as the plain steps do, on arbitrary text.

`normalise._analyse` folds ASCII text inline, asks the legal-form shield only when a short
word can need it, reuses the words it split when the legal-form table leaves the text alone,
and finds classes and glued forms in one pass. Here it is compared with the analysis written
step by step from the module's building blocks (the public rigour call included), and each
building block's own shortcut with its definition.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rigour.names import replace_org_types_compare

from stce.parties import korean, normalise
from stce.parties.normalise import (
    HONORIFICS,
    PARTICLES,
    AnalysedName,
    TokenClass,
    analyse,
    analyse_alternatives,
    classify,
)


def _legal(text: str) -> str:
    return replace_org_types_compare(text, generic=True)


def _reference(name: str, text: str) -> AnalysedName:
    """The analysis as a sequence of plain steps, each the module's own building block."""
    prefolded, kept = normalise._keep_short_parts(normalise._prefold(text))
    tokens = normalise._token_list(_legal(prefolded))
    if not tokens:
        return AnalysedName(name, (), ())
    while len(tokens) > 2 and tokens[0] in HONORIFICS:
        tokens.pop(0)
    split = normalise._split_glued_forms(tokens, text)
    if split != tokens:
        split = normalise._token_list(_legal(" ".join(split)))
    tokens = split
    classes = [classify(t) for t in tokens]
    for i, t in enumerate(tokens):
        if t in kept:
            tokens[i] = kept[t]
            classes[i] = TokenClass.PARTICLE if kept[t] in PARTICLES else TokenClass.NAME
    forms = {"company", "co", "corporation", "corp"}
    for i, t in enumerate(tokens):
        if t in forms and any(
            0 <= k < len(tokens) and classes[k] == TokenClass.LEGAL and tokens[k] not in forms
            for k in (i - 1, i + 1)
        ):
            classes[i] = TokenClass.LEGAL
    if TokenClass.NAME not in classes:
        classes = [TokenClass.GENERIC if c == TokenClass.STOP else c for c in classes]
    abjad = not name.isascii() and normalise._ABJAD.search(name) is not None
    return AnalysedName(name, tuple(tokens), tuple(classes), abjad)


WORDS = (
    *("llc", "Ltd", "LTD", "Co.,", "co", "S.A.", "de", "C.V.", "jsc", "OOO", "Company", "limited"),
    *("joint", "stock", "JointStock", "PAO", "Gazprom", "Universal", "SAL", "tov", "Kim", "Se"),
    *("Gon", "Yu", "al", "bin", "Mr", "Sheikh", "General", "Trading", "HaleelLTD", "KirovPJSC"),
    *("OOORostshipservis", "amir", "ag", "GmbH", "AG", "-", "&", "'", "`", "_", "2", "YU558"),
    *("Pvt", "Ltda", "Sdn", "Bhd", "FZE", "corp", "Inc.", "Tovarystvo", "Ivan", "Petrov"),
)
names = st.one_of(
    st.text(st.characters(max_codepoint=127), max_size=40),
    st.lists(st.sampled_from(WORDS), max_size=8).map(" ".join),
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=5).map("".join),
    st.lists(
        st.sampled_from((*WORDS, " ", "\t", "\x1c", "\xa0", "\u2003", "-", "ß")), max_size=10
    ).map("".join),
    st.text(max_size=30),
)
FUZZ = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(name=names)
def test_analysis_answers_as_the_plain_steps(name: str) -> None:
    normalise.clear_caches()
    assert normalise._analyse(name, name) == _reference(name, name)
    # the default reading: Hangul romanised first, as the lists write Korean names
    text = korean.romanise(name, "dprk") if korean.has_hangul(name) else name
    expected = _reference(name, text)
    assert analyse(name) == expected
    assert analyse_alternatives(name)[0] == expected


@FUZZ
@given(text=names)
def test_token_list_shortcut_is_the_word_runs(text: str) -> None:
    if "_" in text:
        text = re.sub(r"_+", " ", text)
    if re.search(r"[0-9]", text):
        text = re.sub(r"(?<=[a-z])(?=[0-9])|(?<=[0-9])(?=[a-z])", " ", text)
    assert normalise._token_list(text) == re.findall(r"\w+", text)


@FUZZ
@given(text=names)
def test_prefold_shortcuts_match_the_general_fold(text: str) -> None:
    general = re.sub(r"['’ʼ`´‘]", "", text)
    if not general.isascii():
        general = re.sub(r"['’ʼ`´‘]", "", normalise.ascii_text(general))
    general = normalise._GLUED_DOTTED.sub(" ", general.casefold())
    assert normalise._prefold(text) == general


@FUZZ
@given(text=names)
def test_case_cuts_are_where_the_case_changes(text: str) -> None:
    expected: dict[str, set[int]] = {}
    for w in re.findall(r"[A-Za-z]+", text):
        if w.islower() or w.isupper():
            continue
        cuts = {
            i
            for i in range(1, len(w))
            if (w[i - 1].islower() and w[i].isupper())
            or (w[i - 1].isupper() and w[i].isupper() and i + 1 < len(w) and w[i + 1].islower())
        }
        if cuts:
            expected.setdefault(w.lower(), set()).update(cuts)
    got = normalise._case_cuts(text, set(expected) | {"x"})
    assert got == {k: frozenset(v) for k, v in expected.items()}


@FUZZ
@given(token=st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map("".join).map(str.lower))
def test_tokens_that_cannot_be_split_are_left_whole(token: str) -> None:
    # every position a change of case, so that even the ambiguous forms may be cut
    anywhere = frozenset(range(len(token) + 1))
    if not normalise._can_split(token):
        assert normalise._glued_parts(token, anywhere) == (token,)


@FUZZ
@given(text=st.one_of(names, st.text(alphabet="aabbssmm\n .", max_size=20)))
def test_letter_runs_made_single_as_the_template_does(text: str) -> None:
    assert normalise._undouble(text) == re.sub(r"(.)\1+", r"\1", text)


@FUZZ
@given(token=st.one_of(names, st.sampled_from(("lee", "rhee", "yi", "park", "jeong", "hassan"))))
def test_spelling_keys_have_no_letter_runs_left(token: str) -> None:
    # `consonants` relies on it: its key is not made single again
    key = normalise.spelling_key(token)
    assert normalise._undouble(key) == key
    assert normalise.consonants(token) == normalise._undouble(
        normalise.spelling_key(token.translate(normalise._NO_VOWELS))
    )


@FUZZ
@given(text=names)
def test_legal_form_table_called_as_the_public_function_calls_it(text: str) -> None:
    folded = normalise._prefold(text)
    assert normalise._org_types(
        folded, normalise._ORG_FLAGS, normalise._ORG_CLEANUP, True
    ) == replace_org_types_compare(folded, generic=True)


_CYRILLIC = st.characters(min_codepoint=0x400, max_codepoint=0x4FF)
_LATIN = st.characters(min_codepoint=0x20, max_codepoint=0x24F)
_WORDS = st.lists(
    st.text(st.one_of(_CYRILLIC, _LATIN, st.sampled_from("іїєґўий")), min_size=1, max_size=10),
    min_size=1,
    max_size=4,
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(words=_WORDS, other=st.sampled_from(["", "ϭ", "Ω", "中", "ا", "\u0301"]))
def test_word_by_word_transliteration_is_rigours(words: list[str], other: str) -> None:
    # rigour's rules look no further than a word; a text with a word it leaves non-ASCII, or
    # a character outside Latin and Cyrillic, goes to rigour whole
    from rigour.text import ascii_text

    text = " ".join(words) + other
    assert normalise._transliterated(text).casefold() == ascii_text(text).casefold()
