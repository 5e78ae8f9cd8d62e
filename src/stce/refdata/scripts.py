"""Which writing system a name is in (ISO 15924), so matchers can pick the right comparison."""

from __future__ import annotations

import unicodedata

_PREFIXES = (
    ("LATIN", "Latn"),
    ("CYRILLIC", "Cyrl"),
    ("ARABIC", "Arab"),
    ("HANGUL", "Hang"),
    ("CJK", "Hani"),
    ("HIRAGANA", "Jpan"),
    ("KATAKANA", "Jpan"),
    ("HEBREW", "Hebr"),
    ("GREEK", "Grek"),
    ("GEORGIAN", "Geor"),
    ("ARMENIAN", "Armn"),
    ("THAI", "Thai"),
    ("DEVANAGARI", "Deva"),
)


def detect_script(name: str) -> str | None:
    """ISO 15924 code of the first letter's script (None when the name has no letter)."""
    for char in name:
        if not char.isalpha():
            continue
        uname = unicodedata.name(char, "")
        for prefix, code in _PREFIXES:
            if uname.startswith(prefix):
                return code
        return None
    return None
