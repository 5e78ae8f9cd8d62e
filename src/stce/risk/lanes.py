"""A first lane assignment from hit severities (replaced by the rule engine of the risk pack).

Score semantics: each hit contributes `weight(severity) * hit.score`; contributions combine as
independent evidence, `1 - prod(1 - c)`, so adding a hit never lowers the score. Lanes:
red at a critical hit or score >= 0.75; yellow at >= 0.35; blue at >= 0.10; otherwise green.
"""

from __future__ import annotations

from collections.abc import Sequence

from stce.model import Declaration, Hit, Lane, Severity
from stce.risk.engine import Assessment

WEIGHTS = {
    Severity.INFO: 0.0,
    Severity.LOW: 0.12,
    Severity.MEDIUM: 0.35,
    Severity.HIGH: 0.6,
    Severity.CRITICAL: 0.9,
}
THRESHOLDS = ((Lane.RED, 0.75), (Lane.YELLOW, 0.35), (Lane.BLUE, 0.10))


def combine(hits: Sequence[Hit]) -> float:
    keep = 1.0
    for h in hits:
        keep *= 1.0 - WEIGHTS[h.severity] * h.score
    return 1.0 - keep


def explain(lane: Lane, hits: Sequence[Hit], limit: int = 4) -> str:
    if not hits:
        return "GREEN (release): no check found anything."
    ranked = sorted(hits, key=lambda h: (-h.severity.rank, -h.score))
    head = f"{lane.value.upper()} ({lane.action}): "
    parts = [h.message for h in ranked[:limit]]
    more = len(ranked) - limit
    return head + " ".join(parts) + (f" (+{more} more)" if more > 0 else "")


_NOTHING = Assessment(lane=Lane.GREEN, score=0.0, explanation=explain(Lane.GREEN, []), hits=[])


class SeverityEngine:
    """Lane from the strongest hits; the placeholder until a rule pack is active."""

    version = "severity-lanes:1"

    def assess(self, declaration: Declaration, hits: Sequence[Hit]) -> Assessment:
        if not hits:
            return _NOTHING
        score = combine(hits)
        lane = Lane.GREEN
        if any(h.severity is Severity.CRITICAL for h in hits):
            lane = Lane.RED
        else:
            for candidate, threshold in THRESHOLDS:
                if score >= threshold:
                    lane = candidate
                    break
        return Assessment(lane=lane, score=score, explanation=explain(lane, hits), hits=list(hits))
