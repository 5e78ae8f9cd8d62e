"""The outcome of screening one declaration."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from stce.model.hit import Hit


class Lane(StrEnum):
    """Selectivity lane (ASYCUDA convention, precedence red > yellow > blue > green)."""

    GREEN = "green"  # release
    BLUE = "blue"  # post-clearance audit
    YELLOW = "yellow"  # documentary check
    RED = "red"  # physical examination

    @property
    def rank(self) -> int:
        return _LANE_RANK[self]

    @property
    def action(self) -> str:
        return _LANE_ACTION[self]


_LANE_RANK = {Lane.GREEN: 0, Lane.BLUE: 1, Lane.YELLOW: 2, Lane.RED: 3}
_LANE_ACTION = {
    Lane.GREEN: "release",
    Lane.BLUE: "post-clearance audit",
    Lane.YELLOW: "documentary check",
    Lane.RED: "physical examination",
}


@dataclass(slots=True)
class ScreeningResult:
    """One row of `results.jsonl`: the lane, the score (0..1), the hits and what produced them.

    A plain dataclass, not a pydantic model: one is made per declaration on the hot path and
    everything in it is already validated.
    """

    declaration_id: str
    lane: Lane
    score: float
    hits: list[Hit] = field(default_factory=list)
    explanation: str = ""
    versions: dict[str, Any] = field(default_factory=dict)

    def public(self) -> dict[str, Any]:
        return {
            "declaration_id": self.declaration_id,
            "lane": self.lane.value,
            "score": round(self.score, 4),
            "hits": [h.public() for h in self.hits],
            "explanation": self.explanation,
            "versions": self.versions,
        }
