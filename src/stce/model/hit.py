"""Hits: what a check found, with enough evidence for an officer to act on it."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Severity(StrEnum):
    """How strongly a hit calls for action; ordered from weakest to strongest."""

    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {
    Severity.INFO: 0,
    Severity.LOW: 1,
    Severity.MEDIUM: 2,
    Severity.HIGH: 3,
    Severity.CRITICAL: 4,
}


class Hit(BaseModel):
    """One finding of one check on one declaration.

    `code` is stable and machine-readable (rules refer to it); `message` is the sentence an
    officer reads; `evidence` holds the facts behind it (the matched list entry, the field,
    the country list and its source).
    """

    model_config = ConfigDict(frozen=True)

    check: str
    code: str
    severity: Severity
    message: str
    evidence: dict[str, Any] = Field(default_factory=dict)
    score: float = Field(default=1.0, ge=0.0, le=1.0, description="Strength of the evidence")
    declaration_id: str = Field(default="", exclude=True)

    def public(self) -> dict[str, Any]:
        """The hit as written to results (no internal fields)."""
        return {
            "check": self.check,
            "code": self.code,
            "severity": self.severity.value,
            "score": round(self.score, 4),
            "message": self.message,
            "evidence": self.evidence,
        }
