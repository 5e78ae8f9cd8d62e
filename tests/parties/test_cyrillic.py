"""`stce.parties.cyrillic` spells every word it takes as rigour does (in lower case)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rigour.text.translit import maybe_ascii

from stce.parties.cyrillic import LETTERS, romanised
from stce.parties.normalise import fold

_SPECIAL = "ђјљњћџѓќѕєіїґўий"
_PUNCTUATION = "-.,()/0123456789'\"&_[]{}~!?;:@#$%^*+=<>|`\\"


@pytest.mark.parametrize("letter", sorted(LETTERS))
def test_each_letter_as_rigour_spells_it(letter: str) -> None:
    assert romanised(letter) == maybe_ascii(letter).lower()
    assert romanised(letter.upper()) == maybe_ascii(letter.upper()).lower()


@pytest.mark.parametrize(
    ("word", "spelt"),
    [
        ("Дмитрий", "dmitry"),  # -ий
        ("ЖЁЛТЫЙ", "zhyolty"),  # -ый
        ("Андрій", "andrii"),  # a Ukrainian word keeps -ий as i + i
        ("Григорій", "hryhorii"),  # and spells г, и as h, y
        ("Жарковић", "zarkovic"),  # a Serbian word drops the marks of ž, č
        ("Ђорђе", "djordje"),
        ("ал-Карауи", "al-karaui"),  # a hyphen ends a run of letters
        ("дий-дий", "dy-dy"),
        ("Иванов,", "ivanov,"),
        ("ҚАЗАҚ", "qazaq"),
        ("ъ", ""),
    ],
)
def test_rules(word: str, spelt: str) -> None:
    assert romanised(word) == spelt == maybe_ascii(word).lower()


@pytest.mark.parametrize("word", ["Aндрей", "кампанiя", "ERPскан", "«ООО»", "Ω", "abc", ""])
def test_other_words_left_to_rigour(word: str) -> None:
    """Latin letters among Cyrillic ones (homoglyphs), typographic punctuation, other
    scripts: rigour's business."""
    assert romanised(word) is None


_ALPHABET = "".join(LETTERS) + "оеаинтср" * 4 + _SPECIAL * 2 + _PUNCTUATION


@settings(max_examples=400, deadline=None)
@given(
    st.text(alphabet=_ALPHABET, min_size=1, max_size=16),
    st.sampled_from(["", "ий", "ый", "ій", "ьий"]),
    st.sampled_from([str.lower, str.upper, str.title]),
)
def test_random_words_as_rigour_spells_them(
    core: str, ending: str, case: Callable[[str], str]
) -> None:
    word = case(core + ending)
    assert romanised(word) == maybe_ascii(word).lower()


def test_fold_uses_it() -> None:
    assert fold("Дмитрий Анатольевич ЩУКИН") == "dmitry anatolevich shchukin"
    assert fold("Петро Андрійович Григорій") == "petro andriiovych hryhorii"
