"""Han names read in Cantonese and spelt the Hong Kong way ("陳國基" → "chan kwok ki").

Why: ICU reads Han characters in Mandarin pinyin ("chen guo ji"), but persons and companies of
Hong Kong and Macao, numerous on the lists, are listed with the Hong Kong Government Cantonese
Romanisation of their identity cards ("Kwok-ki CHAN"). Readings come from Unicode Unihan
kCantonese (Jyutping, `data/han_cantonese.tsv`); Jyutping is rewritten to the Hong Kong spelling
by the rules below, and family names from the curated table `data/cantonese_surnames.yaml`.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

import yaml

_HAN = re.compile(r"[\u4e00-\u9fff]")

_INITIALS = (
    ("gw", "kw"),
    ("kw", "kw"),
    ("ng", "ng"),
    ("b", "p"),
    ("p", "p"),
    ("d", "t"),
    ("t", "t"),
    ("g", "k"),
    ("k", "k"),
    ("z", "ch"),
    ("c", "ch"),
    ("j", "y"),
    ("s", "s"),
    ("m", "m"),
    ("n", "n"),
    ("l", "l"),
    ("h", "h"),
    ("f", "f"),
    ("w", "w"),
)
"""Jyutping initials → Hong Kong spelling (longest first)."""

_FINALS = (
    ("oeng", "eung"),
    ("oek", "euk"),
    ("oe", "eu"),
    ("eoi", "ui"),
    ("eon", "un"),
    ("eot", "ut"),
    ("yun", "uen"),
    ("yut", "uet"),
    ("yu", "u"),
    ("aa", "a"),
    ("ou", "o"),
)
"""Jyutping finals → Hong Kong spelling: 張 zoeng → cheung, 徐 ceoi → tsui-like "chui",
袁 jyun → yuen, 高 gou → ko, 陳 can → chan."""


@cache
def readings() -> dict[str, tuple[str, ...]]:
    """Han character → Jyutping readings without tones (Unihan kCantonese)."""
    text = resources.files("stce.parties").joinpath("data/han_cantonese.tsv").read_text("utf-8")
    out: dict[str, tuple[str, ...]] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            ch, values = line.split("\t", 1)
            out[ch] = tuple(values.split())
    return out


@cache
def surnames() -> dict[str, str]:
    """Family name (one or two characters) → its Hong Kong spelling."""
    path = resources.files("stce.parties").joinpath("data/cantonese_surnames.yaml")
    rows: dict[str, dict[str, object]] = yaml.safe_load(path.read_text("utf-8"))["surnames"]
    return {k: str(v["hk"]) for k, v in rows.items()}


@cache
def hong_kong_spelling(jyutping: str) -> str:
    """One toneless Jyutping syllable in the Hong Kong Government spelling (cached: a few
    hundred syllables spell every name)."""
    syl = jyutping
    if syl in ("m", "ng"):
        return syl
    head = ""
    for a, b in _INITIALS:
        if syl.startswith(a) and len(syl) > len(a):
            head, syl = b, syl[len(a) :]
            break
    for a, b in _FINALS:
        if syl.startswith(a):
            syl = b + syl[len(a) :]
            break
    if head == "s" and syl.startswith("u") and not syl.startswith("ue"):
        head = "sh"  # 書 syu → shu
    return head + syl


def reading(text: str) -> str | None:
    """`text` with its Han characters read in Cantonese, one token per character (the family
    name, when the first characters are a known one, from the table); None when a character
    has no Cantonese reading or there is no Han character."""
    if _HAN.search(text) is None:
        return None
    table = readings()
    fams = surnames()
    out: list[str] = []
    i = 0
    first = True
    while i < len(text):
        ch = text[i]
        if first and _HAN.match(ch):
            fam = text[i : i + 2] if text[i : i + 2] in fams else ch
            if fam in fams:
                out.append(" " + fams[fam] + " ")
                i += len(fam)
                first = False
                continue
        values = table.get(ch)
        if values is None:
            if _HAN.match(ch):
                return None
            out.append(ch)
        else:
            out.append(" " + hong_kong_spelling(values[0]) + " ")
            first = False
        i += 1
    return "".join(out)
