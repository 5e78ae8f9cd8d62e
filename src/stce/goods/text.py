"""Normalisation of goods descriptions and control-list phrases into comparable tokens.

The same function runs over the knowledge base at index time and over every declaration line,
so spelling variants (sulphur/sulfur, fibre/fiber, armour/armor, lyophiliser/lyophilizer) and
plurals meet in the middle without a dictionary. Tokens are cached: customs descriptions repeat
the same few thousand words.
"""

from __future__ import annotations

import re

RAW_TOKEN = re.compile(r"[^\W_]+")
_CACHE: dict[str, str] = {}
_OUR = re.compile(r"our(?:ed|s|ing)?$")
_CACHE_MAX = 500_000

_WHOLE = {
    "aluminium": "aluminum",
    "axes": "axis",
    "gases": "gas",
    "analyses": "analysis",
    "grey": "gray",
    "programme": "program",
    "five": "5",
    "four": "4",
    "six": "6",
    "three": "3",
    "two": "2",
}
_SUFFIXES = (
    ("isation", "ization"),
    ("isations", "izations"),
    ("iser", "izer"),
    ("isers", "izers"),
    ("ised", "ized"),
    ("ising", "izing"),
    ("isable", "izable"),
    ("yser", "yzer"),
    ("ysers", "yzers"),
)


def _variant(tok: str) -> str:
    t = _WHOLE.get(tok)
    if t is not None:
        return t
    if "sulph" in tok:
        tok = tok.replace("sulph", "sulf")
    if "ae" in tok and len(tok) > 5:
        tok = tok.replace("ae", "e")
    for old, new in _SUFFIXES:
        if tok.endswith(old):
            tok = tok[: -len(old)] + new
            break
    if len(tok) >= 6 and (m := _OUR.search(tok)):
        tok = tok[: m.start()] + "or" + tok[m.start() + 3 :]
    elif len(tok) >= 5 and tok.endswith(("tre", "bre")):
        tok = tok[:-2] + "er"
    elif len(tok) >= 6 and tok.endswith(("tres", "bres")):
        tok = tok[:-3] + "ers"
    # plural → singular (cheap, symmetric: applied to the knowledge base too)
    if len(tok) > 3 and tok.endswith("s") and not tok.endswith(("ss", "us", "is", "ics")):
        tok = tok[:-1]
    return tok


def norm_token(tok: str) -> str:
    """The canonical form of one lower-case token."""
    hit = _CACHE.get(tok)
    if hit is not None:
        return hit
    out = _variant(tok)
    if len(_CACHE) < _CACHE_MAX:
        _CACHE[tok] = out
    return out


def tokens(text: str) -> list[str]:
    """Canonical tokens of `text`: lower case, split on anything but letters and digits."""
    return [norm_token(t) for t in RAW_TOKEN.findall(text.lower())]


def compact(toks: list[str]) -> str:
    """Letters only, joined: 'N,N-diisopropyl-2-aminoethanol' and 'N,N-diisopropylaminoethanol'
    both become 'nndiisopropylaminoethanol'. Used for chemical names only."""
    return "".join(t for t in toks if not t.isdigit())
