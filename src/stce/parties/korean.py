"""Korean names in Hangul (and Hanja read as Korean) romanised the way the lists spell them.

Why not ICU: ICU writes Revised Romanization with sound changes across syllables ("김정은" →
"gimjeong-eun"), while lists write Korean persons family name first with each given-name
syllable apart, in one of three habits:

- `dprk`: the DPRK's own romanisation (McCune–Reischauer without diacritics, close to it), used
  for North Korean persons by the UN 1718 Committee list and OFAC: "KIM Jong Un", "RI Su Yong",
  "CHOE Ryong Hae", "PAK Pong Ju", "THAE Yong Ho".
- `south`: conventional South Korean passport spellings: "Park Ji Sung", "Lee Min Ho",
  "Choi Kyung Hwan" (ㅓ as "u", family names from the curated table).
- `rr`: Revised Romanization, syllable by syllable: "Kim Jeong Eun" (family names still by the
  table's rr column; "Gim" is never written).

Each syllable is romanised on its own (names are read syllable by syllable, so cross-syllable
assimilation does not apply), and the family name comes from `data/korean_surnames.yaml`.
Hanja are read through the Unihan kHangul readings in `data/han_hangul.tsv`.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from importlib import resources
from typing import Literal

import yaml

Style = Literal["dprk", "south", "rr"]
STYLES: tuple[Style, ...] = ("dprk", "south", "rr")

_SBASE, _SCOUNT, _NCOUNT, _TCOUNT = 0xAC00, 11172, 588, 28
_HANGUL_WORD = re.compile(r"[\uac00-\ud7a3]+")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

# initial consonants ㄱ ㄲ ㄴ ㄷ ㄸ ㄹ ㅁ ㅂ ㅃ ㅅ ㅆ ㅇ ㅈ ㅉ ㅊ ㅋ ㅌ ㅍ ㅎ
_INITIAL: dict[Style, tuple[str, ...]] = {
    "dprk": ("k", "kk", "n", "t", "tt", "r", "m", "p", "pp", "s", "ss", "", "j", "jj", "ch",
             "kh", "th", "ph", "h"),
    "south": ("k", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch",
              "k", "t", "p", "h"),
    "rr": ("g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch",
           "k", "t", "p", "h"),
}  # fmt: skip
# vowels ㅏ ㅐ ㅑ ㅒ ㅓ ㅔ ㅕ ㅖ ㅗ ㅘ ㅙ ㅚ ㅛ ㅜ ㅝ ㅞ ㅟ ㅠ ㅡ ㅢ ㅣ
_VOWEL: dict[Style, tuple[str, ...]] = {
    "dprk": ("a", "ae", "ya", "yae", "o", "e", "yo", "ye", "o", "wa", "wae", "oe", "yo", "u",
             "wo", "we", "wi", "yu", "u", "ui", "i"),
    "south": ("a", "ae", "ya", "yae", "u", "e", "yu", "ye", "o", "wa", "wae", "oe", "yo", "u",
              "wo", "we", "wi", "yu", "eu", "ui", "i"),
    "rr": ("a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u",
           "wo", "we", "wi", "yu", "eu", "ui", "i"),
}  # fmt: skip
# final consonants: none ㄱ ㄲ ㄳ ㄴ ㄵ ㄶ ㄷ ㄹ ㄺ ㄻ ㄼ ㄽ ㄾ ㄿ ㅀ
# ㅁ ㅂ ㅄ ㅅ ㅆ ㅇ ㅈ ㅊ ㅋ ㅌ ㅍ ㅎ
_FINAL = ("", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m",
          "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t")  # fmt: skip

_SOUTH_SPECIAL = {"영": "young", "희": "hee", "의": "eui"}
"""Given-name syllables whose conventional South Korean spelling follows no rule."""


ORG_PREFIXES: dict[str, str] = {"조선": "korea", "대한": "korea", "한국": "korea"}
ORG_SUFFIXES: dict[str, str] = {
    "무역총회사": "trading general corporation",
    "무역회사": "trading company",
    "무역상사": "trading company",
    "주식회사": "co ltd",
    "합영회사": "joint venture company",
    "총회사": "general corporation",
    "연구소": "research institute",
    "연구원": "research institute",
    "위원회": "committee",
    "총국": "general bureau",
    "회사": "company",
    "상사": "trading company",
    "공사": "corporation",
    "은행": "bank",
    "무역": "trading",
    "수출입": "import export",
    "해운": "shipping",
    "기술": "technology",
    "기계": "machinery",
    "공업": "industry",
    "개발": "development",
    "그룹": "group",
    "대학": "university",
    "센터": "center",
    "합영": "joint venture",
    "연합": "united",
}
"""Generic words of Korean organisation names, in the English the lists translate them to
("운천무역회사" is listed as "Unchon Trading Corporation"): split off and translated so the
distinctive part stands alone. Longest first; prefixes only when a name part remains."""
_SUFFIXES = sorted(ORG_SUFFIXES, key=len, reverse=True)


def organisation_word(word: str, style: Style) -> str:
    """A Hangul word of an organisation name: generic words translated, the rest romanised
    as one token ("조선옥류무역회사" → "korea okryu trading company" in dprk style)."""
    head, word, tail = _organisation_parts(word)
    core = "".join(syllable(ch, style) for ch in word)
    return " ".join(x for x in (*head, core, *tail) if x)


@lru_cache(maxsize=16384)
def _organisation_parts(word: str) -> tuple[tuple[str, ...], str, tuple[str, ...]]:
    """(English of the generic prefixes, the distinctive rest, English of the generic
    suffixes) of a Hangul organisation word: the same in every style, so worked out once."""
    head: list[str] = []
    tail: list[str] = []
    changed = True
    while changed and word:
        changed = False
        for p, english in ORG_PREFIXES.items():
            if word.startswith(p) and len(word) > len(p):
                head.append(english)
                word = word[len(p) :]
                changed = True
        for suffix in _SUFFIXES:
            if word.endswith(suffix):
                tail.insert(0, ORG_SUFFIXES[suffix])
                word = word[: -len(suffix)]
                changed = True
                break
    return tuple(head), word, tuple(tail)


def is_hangul(ch: str) -> bool:
    return 0 <= ord(ch) - _SBASE < _SCOUNT


def has_hangul(text: str) -> bool:
    return _HANGUL_WORD.search(text) is not None


def has_han(text: str) -> bool:
    return _HAN.search(text) is not None


def syllable(ch: str, style: Style) -> str:
    """One Hangul syllable romanised in `style` (no family-name table)."""
    if style == "south" and ch in _SOUTH_SPECIAL:
        return _SOUTH_SPECIAL[ch]
    code = ord(ch) - _SBASE
    lead, vowel, tail = code // _NCOUNT, (code % _NCOUNT) // _TCOUNT, code % _TCOUNT
    return _INITIAL[style][lead] + _VOWEL[style][vowel] + _FINAL[tail]


@cache
def surnames() -> dict[str, dict[str, object]]:
    """The curated family-name table (`data/korean_surnames.yaml`)."""
    text = resources.files("stce.parties").joinpath("data/korean_surnames.yaml").read_text("utf-8")
    table: dict[str, dict[str, object]] = yaml.safe_load(text)["surnames"]
    return table


@cache
def _family_rank() -> dict[str, int]:
    return {name: i for i, name in enumerate(surnames())}


def surname(hangul: str, style: Style) -> str | None:
    """A family name's spelling in `style`: dprk and rr columns, or the first south spelling."""
    row = surnames().get(hangul)
    if row is None:
        return None
    if style == "south":
        south = row["south"]
        assert isinstance(south, list)
        return str(south[0])
    return str(row[style])


def _split_family(word: str) -> tuple[str, str]:
    """(family name, given name) of a Hangul person name written as one word."""
    table = surnames()
    if len(word) >= 3 and word[:2] in table:
        return word[:2], word[2:]
    return word[:1], word[1:]


def looks_like_person(words: list[str]) -> bool:
    """Hangul words shaped like a Korean person name: 2-5 syllables in all, at most three
    words, led by a known family name ("김정은", "김 정은", "정 성화")."""
    return _person_shaped(tuple(words))


@lru_cache(maxsize=16384)
def _person_shaped(words: tuple[str, ...]) -> bool:
    """`looks_like_person`, asked once per name although a name is romanised in three styles."""
    total = sum(len(w) for w in words)
    if not 2 <= total <= 5 or len(words) > 3:
        return False
    if any(w.endswith(sfx) for w in words for sfx in _SUFFIXES if len(w) > len(sfx)):
        return False  # "한국은행" is a bank, though 한 is a family name
    first = words[0]
    return first[:2] in surnames() or first[:1] in surnames()


def romanise(text: str, style: Style) -> str:
    """`text` with every Hangul run romanised in `style`; other characters are kept.

    A name shaped like a Korean person's gets its family name from the table and one token per
    given-name syllable ("김정은" → "kim jong un" in dprk style); other Hangul words (company
    names) have their generic words translated and the rest kept as one token ("화려은행" →
    "hwaryo bank").
    """
    words = _HANGUL_WORD.findall(text)
    if not words:
        return text
    person = looks_like_person(words)
    first = True

    def word(m: re.Match[str]) -> str:
        nonlocal first
        w = m.group(0)
        if not person:
            return " " + organisation_word(w, style) + " "
        parts: list[str] = []
        if first:
            fam, w = _split_family(w)
            parts.append(surname(fam, style) or "".join(syllable(ch, style) for ch in fam))
            first = False
        parts.extend(syllable(ch, style) for ch in w)
        return " " + " ".join(parts) + " "

    return _HANGUL_WORD.sub(word, text)


@cache
def han_readings() -> dict[str, str]:
    """Hanja → Hangul readings, most usual first (Unihan kHangul, `data/han_hangul.tsv`)."""
    out: dict[str, str] = {}
    text = resources.files("stce.parties").joinpath("data/han_hangul.tsv").read_text("utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            ch, readings = line.split("\t", 1)
            out[ch] = readings
    return out


def hanja_to_hangul(text: str) -> str | None:
    """Han characters read as Korean; None when a character has no Korean reading.

    The family name (first character, or two for a double family name) takes the reading the
    family-name table knows ("金" reads 금 as a word but 김 as a family name); every other
    character takes its first reading.
    """
    table = han_readings()
    fams = surnames()
    out: list[str] = []
    family = True
    for ch in text:
        readings = table.get(ch)
        if readings is None:
            if _HAN.match(ch):
                return None
            out.append(ch)
            continue
        pick = readings[0]
        if family:
            # the commonest family name among the readings (the table is in census order)
            known = [r for r in readings if r in fams]
            if known:
                pick = min(known, key=_family_rank().__getitem__)
            family = False
        out.append(pick)
    return "".join(out)
