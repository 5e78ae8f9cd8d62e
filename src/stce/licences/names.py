"""Party-name comparison for licence and chain checks.

Licences and declarations spell the same company differently ("ACME Trading GmbH" and
"Acme Trading"): names are normalised with rigour (case, Unicode, legal forms removed) and
normality (ASCII), then compared with rapidfuzz's token-sort ratio, which forgives word order.
Keys are cached: customs parties repeat heavily.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=131072)
def name_key(name: str) -> str:
    """Comparison form of a party name: lower-case ASCII words without legal forms."""
    # Imported here: rigour loads its name data on import, which the store and the CLI
    # should not pay for unless names are compared.
    from normality import normalize
    from rigour.names import normalize_name, remove_org_types

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
    from rapidfuzz import fuzz

    return float(fuzz.token_sort_ratio(ka, kb)) / 100.0


def best_match(name: str, candidates: list[str]) -> tuple[str | None, float]:
    """The candidate most similar to `name`, with its score."""
    best: tuple[str | None, float] = (None, 0.0)
    for c in candidates:
        s = name_similarity(name, c)
        if s > best[1]:
            best = (c, s)
    return best
