"""Name analysis: turn a raw party or list name into comparable, classified tokens.

Why: matching quality is decided here. Both sides (list names at index time, party names at
screening time) go through the same steps so that a spelling difference is the only difference:

1. Unicode folding and transliteration of non-Latin scripts (rigour/normality over ICU; ASCII
   input skips ICU entirely, which keeps the hot path cheap).
2. Legal forms rewritten to a generic comparison form by rigour's ISO 20275-based org-type table
   ("Co., Ltd", "Company Limited", "Sdn Bhd" all become `llc`), then tagged so they weigh little.
3. Honorifics and titles dropped from the front of a name ("Mr", "Sheikh", "General").
4. Stop tokens ("trading", "company", "general") and particles ("al", "bin", "de") tagged so the
   scorer weighs them down instead of treating them as evidence.
"""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass
from enum import IntEnum
from functools import lru_cache
from operator import methodcaller

from rigour.names import replace_org_types_compare
from rigour.text import ascii_text
from rigour.text.normalize import Cleanup, Normalize
from rigour.text.translit import maybe_ascii

from stce.parties import cantonese, japanese, korean
from stce.parties.cyrillic import romanised
from stce.parties.korean import has_hangul

ANALYSIS_VERSION = "12"
"""Bumped whenever `analyse` or `spelling_key` change what they produce: cached indexes built
with another analysis are then rebuilt (see `stce.parties.cache`)."""


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


class TokenClass(IntEnum):
    """What a token is worth as evidence."""

    NAME = 0
    """An ordinary name part: full weight (scaled by rarity)."""
    STOP = 1
    """Generic business words: weighted down hard."""
    PARTICLE = 2
    """Name particles (al, bin, van, de): weighted down, never the only evidence."""
    LEGAL = 3
    """Legal form (llc, jsc, gmbh): ignored for alignment, reported in explanations."""
    GENERIC = 4
    """A generic word in a name made only of generic words ("Global Trading Group"): it counts
    in full, but such a name alone never raises an alert (see the scorer)."""


# Generic comparison forms produced by rigour's org-type table in `generic` mode plus the raw
# spellings it leaves alone. Source: ISO 20275 Entity Legal Forms (GLEIF) via rigour's
# org_types.yml; the extra short forms are the ones seen on OFAC/UN lists.
LEGAL_FORMS: frozenset[str] = _words(
    """
    llc ltd limited co inc corp corporation incorporated plc jsc pjsc ojsc cjsc zao oao ao ooo
    tov pao gmbh ag kg ohg sa sas sarl srl spa bv nv ab as oy aps se lp llp gp fze fzco fzc fzllc
    fz pte pvt pty sdn bhd bhd kk kabushiki kaisha cv sl slu sal lda ltda eirl eurl dmcc dmcest
    tic as kft zrt nyrt sro spol doo dd ad ead eood sc sp zoo sa cv sab ulc lc pc psc
    """
)

STOP_TOKENS: frozenset[str] = _words(
    """
    trading trade traders company companies general international intl global group holding
    holdings enterprise enterprises services service import export imports exports commercial
    industrial industries industry corporation establishment est partners partnership
    investment investments development technology technologies tech engineering logistics
    shipping management manufacturing products supply supplies solutions systems agency
    commerce business worldwide overseas organization organisation foundation trust fund
    association center centre office branch factory works liability responsibility joint stock
    closed open public private society obshchestvo aktsionernoe zakrytoe otkrytoe publichnoe
    ogranichennoi ogranichennoy otvetstvennostyu otvetstvennostiu tovarystvo federal state
    unitary institution
    """
)
# Words of multi-word legal forms (ISO 20275 names as rigour's org-type table spells them out):
# recognised whole, the phrase becomes a legal form; broken by a typo ("Sociedad Anoima",
# "Djoint Stock"), its words must still weigh as generic words, not as rare name parts.
STOP_TOKENS |= _words(
    """
    sociedad anonima limitada responsabilidad comercial sendirian berhad anonim sirketi
    gesellschaft beschrankter haftung aktiengesellschaft societe societa responsabilita
    limitata besloten vennootschap naamloze spolka akcyjna ograniczona odpowiedzialnoscia
    kabushiki kaisha yugen obmezhenoyu vidpovidalnistyu aktsionerne tovaristvo publichne
    aktsionernoye otkrytogo zakrytogo tipa obshchestva obchtchestvo dochernee predpriyatie
    kompaniya korporatsiya pubblica privata sociedade anonyma limitee incorporee
    """
)

PARTICLES: frozenset[str] = _words(
    """
    al el ul ad ar as at az ash bin ibn ben bint bent binti abd de del della der den di da do dos
    das du la le van von ter ten y e the and of for mac mc st
    """
)

HONORIFICS: frozenset[str] = _words(
    """
    mr mrs ms miss mx dr prof professor sir dame lord lady madam madame mme mlle herr frau sr sra
    sheikh shaikh sheik shaykh haji hajji hadji alhaji mullah mulla maulvi maulana mawlawi
    sayyid sayed syed imam qari hafiz emir amir prince princess general gen colonel col major
    maj captain capt lieutenant lt brigadier admiral adm commander cdr engineer eng
    """
)
"""Titles dropped from the front of a name. 'amir', 'emir', 'sayed' are also given names, so
they are only dropped when at least two other name parts follow."""

try:
    # the function under rigour's `replace_org_types_compare`, called with that wrapper's
    # default flags (its wrapping costs a third of the call on a short name)
    from rigour._core import replace_org_types_compare as _org_types
except ImportError:  # pragma: no cover - a rigour without the compiled core

    def _org_types(text: str, flags: int, cleanup: int, generic: bool) -> str:
        return replace_org_types_compare(text, Normalize(flags), Cleanup(cleanup), generic)


_ORG_FLAGS = int(Normalize.CASEFOLD)
_ORG_CLEANUP = int(Cleanup.Noop)

_APOSTROPHES = re.compile(r"['’ʼ`´‘]")
_UNDERSCORE = re.compile(r"_+")


@dataclass(frozen=True, slots=True)
class AnalysedName:
    """A name ready for indexing and scoring.

    `tokens` are folded ASCII tokens in source order with legal forms generalised and
    honorifics removed; `classes` gives each token's `TokenClass`; `original` is the raw text.
    """

    original: str
    tokens: tuple[str, ...]
    classes: tuple[TokenClass, ...]
    abjad: bool = False
    """Written in Arabic or Hebrew script: transliterated without short vowels ("mhmd")."""

    @property
    def core(self) -> tuple[str, ...]:
        """Tokens that carry identity (everything but legal forms)."""
        return tuple(t for t, c in zip(self.tokens, self.classes, strict=True) if c != _LEGAL)

    @property
    def legal_forms(self) -> tuple[str, ...]:
        return tuple(t for t, c in zip(self.tokens, self.classes, strict=True) if c == _LEGAL)

    @property
    def compact(self) -> str:
        """Core tokens joined without spaces: catches 'vladimirputin' and 'Al-Qaida'/'Alqaida'."""
        return "".join(self.core)

    @property
    def key(self) -> str:
        """Canonical comparable string (core tokens, sorted): the per-batch and clearance key."""
        return " ".join(sorted(self.core))


_BEYOND_LATIN_CYRILLIC = re.compile(r"[^\x00-\u024f\u0400-\u04ff]")


@lru_cache(maxsize=65536)
def _word_ascii(word: str) -> str:
    # a word of Cyrillic letters, digits and punctuation is romanised here as rigour would
    # romanise it, some 50 times faster (`stce.parties.cyrillic`); any other word by rigour
    fast = romanised(word)
    return maybe_ascii(word) if fast is None else fast


def _transliterated(text: str) -> str:
    """`ascii_text(text)` up to case; text in Latin and Cyrillic letters a word at a time.

    Why: rigour transliterates Cyrillic at some 20 us a letter, and caches whole texts only;
    names share their words ("Aleksandrovich", "Obshchestvo"), so words are cached here, and
    the common Cyrillic words are romanised without rigour (`stce.parties.cyrillic`). Its
    rules look no further than the word ("-ий", Ukrainian letters); where any word is left
    non-ASCII, the whole text goes to `ascii_text`, which then spells it otherwise.
    """
    if _BEYOND_LATIN_CYRILLIC.search(text) is None:
        words = [_word_ascii(w) for w in text.split(" ")]
        if all(w.isascii() for w in words):
            return " ".join(words)
    return ascii_text(text)


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower-case ASCII transliteration of `text` with punctuation turned into spaces.

    Apostrophes vanish ("O'Brien" -> "obrien"); every other non-word character separates tokens.
    """
    return _tokens_text(_prefold(text))


def _prefold(text: str) -> str:
    if text.isascii():
        # (of the apostrophes, only ' and ` are ASCII: most names need no substitution; and
        # an ASCII text casefolds as it lower-cases)
        if "'" in text or "`" in text:
            text = text.replace("'", "").replace("`", "")
        text = text.lower()
    else:
        text = _APOSTROPHES.sub("", text)
        if not text.isascii():
            # ICU marks some syllable boundaries with an apostrophe ("Παλνιτσενκο" ->
            # "Palnitsen'ko"): it must not split the name part either
            text = _APOSTROPHES.sub("", _transliterated(text))
        text = text.casefold()
    if "." in text and _LETTER_DOT_LETTER.search(text) is not None:
        # a dotted legal form glued to a word: "GAXGARS.A.", "DEC.V.", "S.A.DE C.V." (each
        # has a letter, a dot and a letter in a row, which most dots in names do not: "Co.,
        # Ltd.")
        text = _GLUED_DOTTED.sub(" ", text)
    return text


_LETTER_DOT_LETTER = re.compile(r"[a-z]\.[a-z]")
_GLUED_DOTTED = re.compile(
    r"(?<=[a-z]{2})(?=[a-z]\.(?:[a-z]\.)*[a-z]\.?(?![a-z]))|(?<=\b[a-z]\.[a-z]\.)(?=[a-z]{2})"
)


_LETTER_DIGIT = re.compile(r"(?<=[a-z])(?=[0-9])|(?<=[0-9])(?=[a-z])")


_DIGIT = re.compile(r"[0-9]")
_WORD = re.compile(r"\w+")


def _tokens_text(text: str) -> str:
    return " ".join(_token_list(text))


def _token_list(text: str) -> list[str]:
    """The tokens of `_tokens_text(text)`: its word runs, every other character separating."""
    # (each step only runs when it has something to do: this is on the path of every name)
    if text.replace(" ", "").isalpha():
        # letters and spaces only, as most names are: the word runs are the space-separated
        # parts (letters are word characters, and there is no underscore or digit to rewrite)
        return text.split()
    if "_" in text:
        text = _UNDERSCORE.sub(" ", text)
    if _DIGIT.search(text) is not None:
        # "YU558" and "YU 558", "NAM2" and "NAM 2" are the same vessel
        text = _LETTER_DIGIT.sub(" ", text)
    return _WORD.findall(text)


GLUED_SUFFIXES: tuple[str, ...] = (
    "corporation",
    "company",
    "joint",
    "limited",
    "dmcc",
    "pvt",
    "gmbh",
    "pjsc",
    "ojsc",
    "cjsc",
    "fzco",
    "fzllc",
    "ltd",
    "llc",
    "srl",
    "fze",
    "jsc",
    "zao",
    "ooo",
    "sal",
)
"""Legal forms written glued to the name ("HaleelLTD", "KirovPJSC"): split off when at least
four letters of name remain."""
GLUED_PREFIXES: tuple[str, ...] = (
    "aktsionernoe",
    "limited",
    "company",
    "general",
    "joint",
    "stock",
    "ooo",
    "zao",
    "oao",
    "pao",
    "tov",
    "llc",
    "jsc",
)
"""Legal forms and generic words glued in front ("OOORostshipservis", "CompanyRigintel")."""


_FORM_WORDS = frozenset({"company", "co", "corporation", "corp"})

# Every glued suffix or prefix ends or starts with one of these three letters: a token whose
# own last and first three letters are in neither set cannot be split, which spares almost
# every name the scan of both tables.
_SUFFIX_ENDS = frozenset(x[-3:] for x in GLUED_SUFFIXES)
_PREFIX_STARTS = frozenset(x[:3] for x in GLUED_PREFIXES)


GLUED_AMBIGUOUS = frozenset({"sal", "tov", "pao", "zao", "oao", "stock", "general", "joint"})
"""Glued forms that also begin or end ordinary words and names ("Universal", "Fayssal",
"Tovarystvo", "Tovmasyan", "Paolini", "Zaozerny", "Stockholm"): split off only where the
writing marks the cut with a change of case ("UniversalSAL", "PAOGazprom"). Written in one
case, the screener's second reading still splits them when the rest is a list word
(`NameIndex.repaired`)."""

_CASE_WORD = re.compile(r"[A-Za-z]+")
_CASE_CUT = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def _case_cuts(text: str, keys: Container[str]) -> dict[str, frozenset[int]]:
    """Where each word of `text` changes case as a new word would ("Haleel|LTD",
    "PAO|Gazprom"), by lower-cased word; only for the words whose lower case is in `keys`
    (the tokens a glued form may be cut from)."""
    out: dict[str, frozenset[int]] = {}
    for w in _CASE_WORD.findall(text):
        if w.islower() or w.isupper():
            continue
        key = w.lower()
        if key not in keys:
            continue
        cuts = frozenset(m.start() for m in _CASE_CUT.finditer(w))
        if cuts:
            out[key] = out.get(key, frozenset()) | cuts
    return out


def _may_be_glued(token: str) -> bool:
    """Whether `_glued_parts` may split `token` (when the writing's case allows): false
    spares almost every token the split, and the name the search for case changes."""
    return (
        len(token) >= 7
        and (token[-3:] in _SUFFIX_ENDS or token[:3] in _PREFIX_STARTS)
        and _can_split(token)
    )


@lru_cache(maxsize=65536)
def _can_split(token: str) -> bool:
    """`_glued_parts`'s own conditions for a first cut, case changes aside: a glued form ends
    or begins the token (which is no legal form itself) with four letters left beside it."""
    if len(token) < 7 or token in LEGAL_FORMS:
        return False
    if not token.endswith(GLUED_SUFFIXES) and not token.startswith(GLUED_PREFIXES):
        return False
    n = len(token)
    return any(token.endswith(x) and n - len(x) >= 4 for x in GLUED_SUFFIXES) or any(
        token.startswith(x) and n - len(x) >= 4 for x in GLUED_PREFIXES
    )


def _split_glued_forms(tokens: list[str], text: str) -> list[str]:
    """`tokens` with glued legal forms split off; the same list when none is. `text` is what
    the tokens were read from: its case marks where ambiguous forms are glued."""
    glued = [t for t in tokens if _may_be_glued(t)]
    if not glued:
        return tokens
    cuts = _case_cuts(text, glued) if not text.isupper() and not text.islower() else {}
    out: list[str] = []
    for t in tokens:
        if _may_be_glued(t):
            out.extend(_glued_parts(t, cuts.get(t, frozenset())))
        else:
            out.append(t)
    return out


@lru_cache(maxsize=65536)
def _glued_parts(token: str, cuts: frozenset[int] = frozenset()) -> tuple[str, ...]:
    """One token split into its name and glued legal forms, in order (the parts split again
    until none is glued); a token alone when nothing is glued to it. `cuts`: positions where
    the writing changes case, which ambiguous forms need (`GLUED_AMBIGUOUS`)."""
    out: list[str] = []
    todo = [(token, 0)]
    while todo:
        t, at = todo.pop()
        if len(t) >= 7 and t not in LEGAL_FORMS:
            suffix = next(
                (
                    x
                    for x in GLUED_SUFFIXES
                    if t.endswith(x)
                    and len(t) - len(x) >= 4
                    and (x not in GLUED_AMBIGUOUS or at + len(t) - len(x) in cuts)
                ),
                None,
            )
            if suffix is not None:
                todo.extend(((suffix, at + len(t) - len(suffix)), (t[: -len(suffix)], at)))
                continue
            prefix = next(
                (
                    x
                    for x in GLUED_PREFIXES
                    if t.startswith(x)
                    and len(t) - len(x) >= 4
                    and (x not in GLUED_AMBIGUOUS or at + len(x) in cuts)
                ),
                None,
            )
            if prefix is not None:
                todo.extend(((t[len(prefix) :], at + len(prefix)), (prefix, at)))
                continue
        out.append(t)
    return tuple(out)


_SPELLING = (
    ("dzh", "j"),
    ("dj", "j"),
    # "zh" keeps a key of its own: folded into "j" it would then become "i" with "y", and the
    # Chinese surnames Zhang/Yang, Zhou/You, Zhao/Yao would share a key
    ("zh", "Z"),
    ("tsh", "c"),
    ("ks", "x"),
    ("ts", "c"),
    ("kh", "h"),
    ("gh", "g"),
    ("ph", "f"),
    ("th", "t"),
    ("sh", "s"),
    ("ch", "c"),
    ("ck", "k"),
    ("q", "k"),
    ("w", "v"),
    ("y", "i"),
    ("j", "i"),
    ("ou", "u"),
    ("oo", "u"),
    ("ee", "i"),
)
_ANY_SPELLING = re.compile("|".join(re.escape(a) for a, _ in _SPELLING))
_DOUBLES = re.compile(r"(.)\1+")
# the letter of a run, as a function: a template (r"\1") is expanded by `re` in Python at
# every substitution, three to five times slower
_FIRST_GROUP = methodcaller("group", 1)
_DOUBLE = re.compile(r"(.)\1")


def _undouble(text: str) -> str:
    """Runs of one letter made single ("hassan" -> "hasan"); the substitution only runs for
    the few tokens that have a run (searching is several times cheaper than substituting)."""
    return _DOUBLES.sub(_FIRST_GROUP, text) if _DOUBLE.search(text) is not None else text


_ABJAD = re.compile(
    r"[\u0590-\u05ff\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]"
)
_NO_VOWELS = str.maketrans("", "", "aeiouyw")


@lru_cache(maxsize=262144)
def consonants(token: str) -> str:
    """Consonant skeleton: how an Arabic or Hebrew name compares with its romanisations.

    Those scripts leave short vowels unwritten and use the same letters for w/u and y/i, so
    "mhmd" (محمد) and "Mohamed", "mhmwd" (محمود) and "Mahmoud" share "mhmd".
    """
    # (a spelling key has no letter runs left: every key is made single by `_undouble`)
    return spelling_key(token.translate(_NO_VOWELS))


_KOREAN_SYLLABLE = re.compile(
    r"^(?:kk|kh|k|g|n|tt|th|d|t|r|l|m|pp|ph|b|p|ss|sh|s|jj|j|ch|h)?"
    r"(?:yeo|yae|wae|ya|ae|eo|ye|yo|wa|oe|wo|we|wi|yu|eu|ui|oo|ee|a|e|o|u|i)"
    r"(?:ng|k|n|t|l|m|p)?$"
)


@lru_cache(maxsize=1)
def _korean_family_keys() -> tuple[dict[str, str], dict[str, str]]:
    """Korean family-name spellings of the curated table → the key of their DPRK spelling
    (the commonest family name wins where spellings are shared): a map of generic keys, and
    one of whole tokens for spellings whose generic key is too short to be specific.

    Keys, not spellings, are mapped so that whatever the generic rules already bring together
    stays together ("you", "yu", "iou" share a key, and all reach 유/류's "ryu"). A spelling
    whose key is a single letter ("yi" → "i", shared by "ji", "zhi") is mapped as a whole
    token only, and a family name whose own key is that short (지 "ji") is left out."""
    keys: dict[str, str] = {}
    tokens: dict[str, str] = {}
    for row in korean.surnames().values():
        target = _generic_key(str(row["dprk"]))
        south = row["south"]
        assert isinstance(south, list)
        if len(target) < 2:
            continue
        for spelling in (str(row["dprk"]), str(row["rr"]), *map(str, south)):
            key = _generic_key(spelling)
            if len(key) >= 2:
                keys.setdefault(key, target)
            elif len(spelling) >= 2:
                tokens.setdefault(spelling, target)
    for key, value in keys.items():
        seen = {key}
        while value in keys and keys[value] != value and value not in seen:
            seen.add(value)
            value = keys[value]
        keys[key] = value
    return keys, {t: keys.get(v, v) for t, v in tokens.items()}


def korean_fold(token: str) -> str:
    """A single Revised Romanization syllable without its RR vowel digraphs ("jeong" → "jong",
    "eun" → "un", "seong" → "song"), the McCune-Reischauer/DPRK habit of the lists; other
    tokens unchanged ("neumann", "europe" are not Korean syllables)."""
    if ("eo" in token or "eu" in token) and _KOREAN_SYLLABLE.match(token):
        return token.replace("eo", "o").replace("eu", "u")
    return token


def _generic_key(token: str) -> str:
    key = korean_fold(token)
    if _ANY_SPELLING.search(key) is not None:
        # (one search spares the many tokens that have none of the spellings the twenty
        # rewrites, in order)
        for a, b in _SPELLING:
            if a in key:
                key = key.replace(a, b)
    return _undouble(key)


@lru_cache(maxsize=262144)
def spelling_key(token: str) -> str:
    """Token with romanisation choices folded ("kyu"/"kiu", "hassan"/"hasan", "green"/"grin").

    Different sources romanise the same Arabic, Persian, Cyrillic or Korean name with these
    digraph and vowel-letter choices; the key is equal when only such choices differ. Korean
    RR syllables lose their digraphs first (`korean_fold`), and the keys of a Korean family
    name's spellings meet at its DPRK spelling's key ("lee", "yi", "rhee" → "ri"; "park" →
    "pak"; "choi" → "choe"; "jung", "jeong" → "jong").
    """
    keys, tokens = _korean_family_keys()
    whole = tokens.get(token)
    if whole is not None:
        return whole
    key = _generic_key(token)
    return keys.get(key, key)


# Each tabled word's class, the first table naming it winning: legal forms, then stop tokens,
# then particles and titles (titles left inside a name, "Majid Hafiz Abdul", weigh like
# particles). One dictionary look-up per token instead of up to four set look-ups.
_CLASS_OF: dict[str, TokenClass] = dict.fromkeys(PARTICLES | HONORIFICS, TokenClass.PARTICLE)
_CLASS_OF.update(dict.fromkeys(STOP_TOKENS, TokenClass.STOP))
_CLASS_OF.update(dict.fromkeys(LEGAL_FORMS, TokenClass.LEGAL))


# The table's words that no glued legal form can be cut from (all but "tovarystvo" and
# "tovaristvo", as the tables stand): a token found here needs no scan for glued forms.
_WHOLE_CLASS_OF: dict[str, TokenClass] = {
    w: c for w, c in _CLASS_OF.items() if not _can_split.__wrapped__(w)
}

# the members as plain names: an enum member looked up on its class costs a call
_NAME, _STOP, _PARTICLE, _LEGAL, _GENERIC = (
    TokenClass.NAME,
    TokenClass.STOP,
    TokenClass.PARTICLE,
    TokenClass.LEGAL,
    TokenClass.GENERIC,
)


def classify(token: str) -> TokenClass:
    return _CLASS_OF.get(token, _NAME)


_KEPT = "zqkeptpart"
_NOTHING_KEPT: dict[str, str] = {}
"""What `_keep_short_parts` returns when it keeps nothing (shared: read, never written)."""
_WORDS_OF_NAME = re.compile(r"[\s\-]+")  # "HAN YU-RO": the hyphen parts a syllable too


def _keep_short_parts(text: str) -> tuple[str, dict[str, str]]:
    """Shield short name parts that happen to spell a legal form from the legal-form table.

    Why: "Se", "Ag", "Yu", "Sa" are legal forms somewhere (SE, AG, ...) but also Korean,
    Tuareg and Chinese name syllables: "KIM SE GON" must keep "se", or it would equal "Kim
    Gon". A part of three letters or fewer standing between two plain name words (neither
    a legal form nor a particle) is a name part; it is swapped for a placeholder the table
    cannot read and restored after. Legal forms open or close a company name, so first and
    last words are left to the table ("Nokia Oy", "AO Kribrum"), except in a name made only of
    short syllables with no unmistakable legal form ("LI ZHEN YU", "YU CHOL U").
    """
    # (without a hyphen, the words are the whitespace-separated parts)
    words = _WORDS_OF_NAME.split(text.strip()) if "-" in text else text.split()
    if len(words) < 3:
        return text, _NOTHING_KEPT
    for w in words:
        if len(w) <= 3 and _short_legal_form(w):
            break
    else:
        return text, _NOTHING_KEPT
    return _kept_parts(text, words)


def _kept_parts(text: str, words: list[str]) -> tuple[str, dict[str, str]]:
    """`_keep_short_parts` of `text` split into `words` (three or more, one of them a short
    word the legal-form table rewrites); `words` is rewritten in place."""
    kept: dict[str, str] = {}
    # A name made only of short syllables ("LI ZHEN YU", "YU CHOL U") is a romanised East Asian
    # name, unless one of them is a legal form no name is spelt like ("ABC Co Ltd")
    syllables = True
    for w in words:
        if len(w) > 4 or not w.isalpha() or (len(w) >= 3 and w in LEGAL_FORMS):
            syllables = False
            break
    last = len(words) - 1
    for i in range(len(words)):
        w = words[i]
        if (
            len(w) <= 3
            and _short_legal_form(w)
            and (
                syllables
                or (0 < i < last and _plain_word(words[i - 1]) and _plain_word(words[i + 1]))
            )
        ):
            key = _KEPT + "abcdefghijklmnopqrstuvwxyz"[len(kept) % 26] * (1 + len(kept) // 26)
            kept[key] = w
            words[i] = key
    return (" ".join(words), kept) if kept else (text, kept)


@lru_cache(maxsize=65536)
def _short_legal_form(word: str) -> bool:
    """A word of letters the legal-form table rewrites (asked once per word, not per name)."""
    return word.isalpha() and _org_types(word, _ORG_FLAGS, _ORG_CLEANUP, True) != word


@lru_cache(maxsize=65536)
def _plain_word(word: str) -> bool:
    return (
        len(word) >= 2
        and word.isalpha()
        and word not in LEGAL_FORMS
        and word not in PARTICLES
        and _org_types(word, _ORG_FLAGS, _ORG_CLEANUP, True) == word
    )


@lru_cache(maxsize=262144)
def analyse(name: str) -> AnalysedName:
    """Analyse one raw name (cached: list and party names repeat heavily).

    The default analysis: Hangul is romanised as the lists write Korean persons (DPRK style,
    "김정은" → "kim jong un", see `stce.parties.korean`); other scripts go through ICU. The other
    plausible readings of a non-Latin name are in `analyse_alternatives`.
    """
    if not name.isascii() and has_hangul(name):
        return _analyse(name, korean.romanise(name, "dprk"))
    return _analyse(name, name)


MAX_ALTERNATIVES = 5
"""Analyses tried per name at most (the default included)."""


@lru_cache(maxsize=65536)
def analyse_alternatives(name: str) -> tuple[AnalysedName, ...]:
    """The default analysis first, then other plausible readings of a non-Latin name.

    Why: a script does not always fix the reading. Han characters are Chinese (pinyin, the
    default; Cantonese in the Hong Kong spelling, "陳國基" → "chan kwok kei"), Korean Hanja
    (read through Unihan kHangul, then romanised in the DPRK and South Korean habits) or
    Japanese kanji (read with a name dictionary when the `ja` extra is installed); Hangul is
    romanised in three habits ("Kim Jong Un", "Kim Jung Eun", "Kim Jeong Eun"); Greek names
    also lose their nominative endings ("Alexandros" → "alexandr", nearer "Alexander"). A
    matcher scores each and keeps the best.

    ASCII names have exactly one analysis, returned without any script work.
    """
    if name.isascii():
        # (analysed here directly: `analyse`'s cache would hold a second entry for the name)
        return (_analyse(name, name),)
    # (the default analysis made here, as `analyse` makes it, with the script tests asked once)
    written_hangul = has_hangul(name)
    abjad = _ABJAD.search(name) is not None
    first = _analyse(name, korean.romanise(name, "dprk") if written_hangul else name, abjad)
    texts: list[str] = []
    if written_hangul:
        texts += [korean.romanise(name, "south"), korean.romanise(name, "rr")]
    if korean.has_han(name):
        hk = cantonese.reading(name)
        if hk:
            texts.append(hk)
        jp = japanese.reading(name)
        if jp:
            texts.append(jp)
        hangul = korean.hanja_to_hangul(name)
        if hangul:
            texts += [korean.romanise(hangul, style) for style in korean.STYLES]
    out = [first]
    seen = {first.tokens}
    for text in texts:
        a = _analyse(name, text, abjad)
        if a.tokens and a.tokens not in seen:
            seen.add(a.tokens)
            out.append(a)
    if _GREEK.search(name):
        candidates = [_greek_stems(first, 1), _greek_stems(first, len(first.tokens))]
        if "γκ" in name or "Γκ" in name:
            # γκ inside a word is read "ng" by ICU, but foreign names use it for "g"
            # ("Ιγκορ" is Igor)
            candidates.insert(0, _analyse(name, name.replace("γκ", "γ").replace("Γκ", "Γ"), abjad))
        # given names take other languages' forms ("Alexander"), family names mostly keep
        # theirs ("Papadopoulos"): the first name part alone, then every part, stemmed
        for stemmed in candidates:
            if stemmed.tokens not in seen:
                seen.add(stemmed.tokens)
                out.append(stemmed)
    return tuple(out[:MAX_ALTERNATIVES])


_GREEK = re.compile(r"[Ͱ-Ͽἀ-῿]")
_GREEK_ENDING = re.compile(r"(?<=[a-z]{4})(os|as|is|es)$")


def _greek_stems(a: AnalysedName, parts: int) -> AnalysedName:
    """Greek nominative endings dropped from the first `parts` name tokens ("alexandros" →
    "alexandr", "georgios" → "georgi"): the stem is what other languages' forms share."""
    tokens = tuple(
        _GREEK_ENDING.sub("", t) if c == _NAME and i < parts else t
        for i, (t, c) in enumerate(zip(a.tokens, a.classes, strict=True))
    )
    return AnalysedName(a.original, tokens, a.classes, a.abjad)


def _analyse(name: str, text: str, abjad: bool | None = None) -> AnalysedName:
    """`analyse` of `text`, a rendering of the raw `name` (which is kept as the original).
    `abjad`: whether `name` is written in Arabic or Hebrew script, when already known."""
    # (this runs once for every distinct name screened: each step is skipped, or takes a
    # cheaper route, when it cannot change the result)
    if text.isascii():
        # (`_prefold`, inline for ASCII text, the usual case)
        prefolded = text
        if "'" in prefolded or "`" in prefolded:
            prefolded = prefolded.replace("'", "").replace("`", "")
        prefolded = prefolded.lower()
        if "." in prefolded and _LETTER_DOT_LETTER.search(prefolded) is not None:
            prefolded = _GLUED_DOTTED.sub(" ", prefolded)
    else:
        prefolded = _prefold(text)
    # (`_keep_short_parts`, inline: most names have no short word that spells a legal form,
    # and their words serve again as tokens when the legal-form table leaves the text alone)
    kept = _NOTHING_KEPT
    words: list[str] | None = None
    if "-" not in prefolded:
        words = prefolded.split()
        if len(words) >= 3:
            for w in words:
                if len(w) <= 3 and _short_legal_form(w):
                    prefolded, kept = _kept_parts(prefolded, words)
                    words = None
                    break
    else:
        prefolded, kept = _keep_short_parts(prefolded)
    # Legal forms are recognised before punctuation is split off, so "S.A." and "Co., Ltd."
    # are seen whole.
    replaced = _org_types(prefolded, _ORG_FLAGS, _ORG_CLEANUP, True)
    if replaced.replace(" ", "").isalpha():
        # (`_token_list`'s first case, inline; the words already split when the text has no
        # legal form to rewrite)
        tokens = words if words is not None and replaced == prefolded else replaced.split()
    else:
        tokens = _token_list(replaced)
    if not tokens:
        return _analysed(name, (), (), False)
    # Drop leading titles, but keep at least two tokens ("General Electric" survives because
    # "electric" alone would remain, and "Amir Khan" keeps its given name).
    while len(tokens) > 2 and tokens[0] in HONORIFICS:
        tokens.pop(0)
    # One pass finds each token's class and whether a legal form may be glued to it (none
    # can be to a word of `_WHOLE_CLASS_OF`).
    class_of = _WHOLE_CLASS_OF.get
    classes: list[TokenClass] = []
    add = classes.append
    for t in tokens:
        c = class_of(t)
        if c is not None:
            add(c)
        # (`_may_be_glued`, inline)
        elif len(t) >= 7 and (t[-3:] in _SUFFIX_ENDS or t[:3] in _PREFIX_STARTS) and _can_split(t):
            split = _split_glued_forms(tokens, text)
            if split != tokens:
                # "JOINTSTOCK COMPANY", "Public Joint Stock CompanyPolyus": legal forms read
                # again once the glued words are apart
                tokens = _token_list(_org_types(" ".join(split), _ORG_FLAGS, _ORG_CLEANUP, True))
            table = _CLASS_OF.get
            classes = [table(x, _NAME) for x in tokens]
            break
        else:
            add(_NAME)
    if kept:
        for i, t in enumerate(tokens):
            part = kept.get(t)
            if part is not None:
                tokens[i] = part
                classes[i] = _PARTICLE if part in PARTICLES else _NAME
    if not _FORM_WORDS.isdisjoint(tokens):
        # "Company Limited", "Co. LLC": the generic word next to a legal form belongs to it
        last = len(tokens) - 1
        for i, t in enumerate(tokens):
            if t in _FORM_WORDS and (
                (i > 0 and classes[i - 1] == _LEGAL and tokens[i - 1] not in _FORM_WORDS)
                or (i < last and classes[i + 1] == _LEGAL and tokens[i + 1] not in _FORM_WORDS)
            ):
                classes[i] = _LEGAL
    if _NAME not in classes:
        # A name made only of generic words ("General Trading Company") still needs its words
        # as evidence: its stop tokens count in full, tagged generic (legal forms stay legal).
        classes = [_GENERIC if c == _STOP else c for c in classes]
    # (`_analysed`, inline)
    out: AnalysedName = _new(AnalysedName)
    _set_original(out, name)
    _set_tokens(out, tuple(tokens))
    _set_classes(out, tuple(classes))
    if abjad is None:
        abjad = not name.isascii() and _ABJAD.search(name) is not None
    _set_abjad(out, abjad)
    return out


_new = object.__new__
_set_original = AnalysedName.__dict__["original"].__set__
_set_tokens = AnalysedName.__dict__["tokens"].__set__
_set_classes = AnalysedName.__dict__["classes"].__set__
_set_abjad = AnalysedName.__dict__["abjad"].__set__


def _analysed(
    original: str, tokens: tuple[str, ...], classes: tuple[TokenClass, ...], abjad: bool
) -> AnalysedName:
    """`AnalysedName(original, tokens, classes, abjad)`, built through its slots: the frozen
    dataclass's own `__init__` sets each field through `object.__setattr__`, which costs
    about twice as much."""
    out: AnalysedName = _new(AnalysedName)
    _set_original(out, original)
    _set_tokens(out, tokens)
    _set_classes(out, classes)
    _set_abjad(out, abjad)
    return out


def clear_caches() -> None:
    """Forget every name and token analysed so far (the per-name and per-token caches).

    For benchmarks that time names cold, and for memory: the caches are bounded anyway.
    """
    for cached in (
        fold,
        _word_ascii,
        _can_split,
        _glued_parts,
        consonants,
        spelling_key,
        _short_legal_form,
        _plain_word,
        analyse,
        analyse_alternatives,
        korean._organisation_parts,
        korean._person_shaped,
    ):
        cached.cache_clear()
