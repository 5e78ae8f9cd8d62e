"""Party-name comparison for licence and chain checks.

Licences and declarations spell the same company differently ("ACME Trading GmbH" and
"Acme Trading"): names are normalised with rigour (case, Unicode, legal forms removed) and
normality (ASCII), then compared with rapidfuzz's token-sort ratio, which forgives word order.
Keys are cached: customs parties repeat heavily.
"""

from __future__ import annotations

from functools import lru_cache

from normality import normalize
from rapidfuzz import fuzz
from rigour.names import normalize_name, remove_org_types


@lru_cache(maxsize=131072)
def name_key(name: str) -> str:
    """Comparison form of a party name: lower-case ASCII words without legal forms."""
    norm = normalize_name(name) or ""
    stripped = remove_org_types(norm)
    ascii_ = normalize(stripped) or normalize(norm) or ""
    return " ".join(ascii_.split())


def name_similarity(a: str, b: str) -> float:
    """0..1 similarity of two party names after normalisation."""
    ka, kb = name_key(a), name_key(b)
    if not ka or not kb:
        return 0.0
    if ka == kb:
        return 1.0
    return float(fuzz.token_sort_ratio(ka, kb)) / 100.0


def best_match(name: str, candidates: list[str]) -> tuple[str | None, float]:
    """The candidate most similar to `name`, with its score."""
    best: tuple[str | None, float] = (None, 0.0)
    for c in candidates:
        s = name_similarity(name, c)
        if s > best[1]:
            best = (c, s)
    return best
