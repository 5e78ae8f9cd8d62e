"""Japanese names in kanji read the way passports and lists spell them ("山田太郎" → "yamada taro").

Why a dictionary: a kanji name has no reading derivable from its characters (ICU reads Han as
Mandarin: "shan tian tai lang"); only a lexicon of names knows 山田 is Yamada. We use MeCab via
`fugashi` with the IPAdic dictionary (`ipadic`, whose entries include family and given names
with their readings), both field-standard and permissively licensed; install the `ja` extra.
Without it, kanji names simply get no Japanese reading (kana still romanise through ICU).

Readings are written in passport Hepburn: long vowels not marked ("タロウ" → "taro", "ゴトウ" →
"goto", "ユウコ" → "yuko"), the spelling of Japanese passports and of the lists.
"""

from __future__ import annotations

import logging
import re
import threading
from functools import cache
from typing import Any

from rigour.text import ascii_text

log = logging.getLogger(__name__)

_KANJI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_LONG = (("ou", "o"), ("oo", "o"), ("uu", "u"))
_LOCK = threading.Lock()
"""A MeCab tagger is not safe to share between threads: calls are serialised."""


@cache
def _tagger() -> Any | None:
    try:
        import ipadic  # type: ignore[import-not-found, import-untyped, unused-ignore]
        from fugashi import GenericTagger  # type: ignore[import-not-found, import-untyped, unused-ignore]
    except ImportError:
        log.info("fugashi/ipadic not installed: no Japanese readings of kanji names")
        return None
    return GenericTagger(ipadic.MECAB_ARGS)


def available() -> bool:
    """True when the Japanese name dictionary is installed (the `ja` extra)."""
    return _tagger() is not None


def passport_hepburn(romaji: str) -> str:
    """Long vowels unmarked, as on Japanese passports ("tarou" → "taro")."""
    out = romaji.lower()
    for a, b in _LONG:
        out = out.replace(a, b)
    return out


def reading(text: str) -> str | None:
    """Romanised reading of a name containing kanji, one token per word the dictionary finds;
    None without kanji, without the dictionary, or when a word has no reading."""
    if _KANJI.search(text) is None:
        return None
    tagger = _tagger()
    if tagger is None:
        return None
    with _LOCK:
        parsed = [(str(w.surface), tuple(w.feature)) for w in tagger(text)]
    words: list[str] = []
    for surface, feature in parsed:
        kana = feature[7] if len(feature) > 7 and feature[7] != "*" else None
        if kana is None:
            if _KANJI.search(surface):
                return None  # an unknown kanji word: no reading rather than a wrong one
            kana = surface
        if _KANA.search(kana) or not kana.isascii():
            kana = ascii_text(kana)
        words.append(passport_hepburn(kana))
    return " ".join(words) or None
