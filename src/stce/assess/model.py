"""An assessment: one state's answers to one questionnaire version, each with its evidence."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from stce.assess.indicators import IndicatorValue


class AnswerValue(StrEnum):
    YES = "yes"
    PARTIAL = "partial"
    NO = "no"
    UNKNOWN = "unknown"


class EvidenceKind(StrEnum):
    LAW = "law"
    DOCUMENT = "document"
    FIGURE = "figure"
    URL = "url"
    MEASURED = "measured"


class Evidence(BaseModel):
    """What backs an answer: a law, a document, a figure, a link or a measured indicator."""

    kind: EvidenceKind
    ref: str = Field(min_length=1)
    note: str = ""


class Answer(BaseModel):
    question_id: str
    value: AnswerValue
    evidence: list[Evidence] = Field(default_factory=list)
    comment: str = ""
    answered_by: str = ""
    answered_at: datetime = Field(default_factory=lambda: datetime.now(UTC))


class Assessment(BaseModel):
    """A state's self-assessment. `state` is the key (ISO code or a fictional name)."""

    state: str = Field(min_length=1)
    state_name: str = ""
    region: str = ""
    languages: list[str] = Field(default_factory=list)
    questionnaire_version: str
    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    updated_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    answers: dict[str, Answer] = Field(default_factory=dict)
    measured: list[IndicatorValue] = Field(default_factory=list)

    @property
    def display_name(self) -> str:
        return self.state_name or self.state
