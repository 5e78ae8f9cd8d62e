"""Cyrillic words romanised as rigour romanises them, without its transliteration engine.

Why: rigour (`maybe_ascii`) runs CLDR's Cyrillic-Latin transform through ICU4X, at some
20 us a letter for a word it has not met: a three-word Russian name costs about 500 us, more
than the rest of its screening ten times over. The transform's output for the Cyrillic
alphabets of party names follows a few plain rules, written out here; where a word holds
anything else the caller asks rigour (`romanised` returns None).

The rules, each checked letter by letter and on random words against rigour
(`tests/parties/test_cyrillic.py`), a run of letters at a time (a hyphen, a digit or any
other punctuation ends a run):

- every letter has one spelling (`LETTERS`), the soft and hard signs none;
- a run holding a Serbian or Macedonian letter (ђ ј љ њ ћ џ ѓ ќ ѕ) spells ж ц ч ш as
  z c c s (Latin ž c č š without their marks);
- else a run holding a Ukrainian or Belarusian letter (є і ї ґ ў) spells г as h and и as y;
- a run ending in ый ends in y, and so does one ending in ий except in Ukrainian runs
  ("Дмитрий" -> "dmitry", "Андрій" -> "andrii").
"""

from __future__ import annotations

import re

LETTERS: dict[str, str] = {
    # Russian
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "yo",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "h",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
    # Ukrainian and Belarusian
    "є": "e",
    "і": "i",
    "ї": "i",
    "ґ": "g",
    "ў": "u",
    # Serbian and Macedonian
    "ђ": "dj",
    "ј": "j",
    "љ": "lj",
    "њ": "nj",
    "ћ": "c",
    "џ": "dz",
    "ѓ": "gj",
    "ќ": "k",
    "ѕ": "z",
    "ѐ": "e",
    "ѝ": "i",
    # Kazakh, Kyrgyz, Tatar, Bashkir, Uzbek, Tajik, Azerbaijani, Mongolian
    "ә": "a",
    "ғ": "g",
    "қ": "q",
    "ң": "n",
    "ө": "o",
    "ұ": "u",
    "ү": "u",
    "һ": "h",
    "ҳ": "h",
    "ҷ": "j",
    "җ": "j",
    "ҙ": "z",
    "ҫ": "s",
    "ҡ": "k",
    "ӣ": "i",
    "ӯ": "u",
}
"""Each letter's spelling outside the rules above (lower case)."""

_SERBIAN = frozenset("ђјљњћџѓќѕ")
_UKRAINIAN = frozenset("єіїґў")
_SERBIAN_LETTERS = {**LETTERS, "ж": "z", "ц": "c", "ч": "c", "ш": "s"}
_UKRAINIAN_LETTERS = {**LETTERS, "г": "h", "и": "y"}
_LETTER_CLASS = "[" + "".join(LETTERS) + "]"
_WORD = re.compile(r"(?:" + _LETTER_CLASS + r"|[\x21-\x40\x5b-\x60\x7b-\x7e])+")
_RUN = re.compile(_LETTER_CLASS + "+")


def romanised(word: str) -> str | None:
    """`maybe_ascii(word)` in lower case for a word of the letters above, ASCII digits and
    punctuation ("Иванов,", "ал-Карауи", "(Россия)"); None for any other word (Latin letters
    among Cyrillic ones, other scripts, typographic punctuation), which the caller gives to
    rigour."""
    low = word.lower()
    if _WORD.fullmatch(low) is None:
        return None
    return _RUN.sub(_run_of, low)


def _run_of(match: re.Match[str]) -> str:
    return _run(match.group())


def _run(run: str) -> str:
    letters = set(run)
    if letters & _SERBIAN:
        table = _SERBIAN_LETTERS
    elif letters & _UKRAINIAN:
        table = _UKRAINIAN_LETTERS
        if run.endswith("ый"):
            return "".join([table[c] for c in run[:-2]]) + "y"
        return "".join([table[c] for c in run])
    else:
        table = LETTERS
    if run.endswith(("ий", "ый")):
        return "".join([table[c] for c in run[:-2]]) + "y"
    return "".join([table[c] for c in run])
