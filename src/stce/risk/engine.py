"""The interface between the checks' hits and the lane an officer sees."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from stce.model import Declaration, Hit, Lane


@dataclass(frozen=True)
class Assessment:
    lane: Lane
    score: float
    explanation: str
    hits: list[Hit] = field(default_factory=list)
    """The hits to report: the checks' hits plus any the engine adds (e.g. fired rules)."""
    fired: tuple[str, ...] = ()
    """Ids of the active rules that fired (they set the score and the lane)."""
    shadow: tuple[str, ...] = ()
    """Ids of the shadow rules that fired (recorded only)."""
    random_selected: bool = False
    """The lane comes from the random selection, not from the rules."""
    forced: bool = False
    """A hard rule with a fixed lane fired."""


class RiskEngine(Protocol):
    version: str

    def assess(self, declaration: Declaration, hits: Sequence[Hit]) -> Assessment:
        """Score the declaration's hits and choose its lane, with an explanation."""
        ...
