"""Assistance requests and offers, and the life of a request: requested → matched → delivered →
feedback. The Committee follows requests up after one year, hence `follow_up`."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

from pydantic import BaseModel, Field, model_validator

FOLLOW_UP_DAYS = 365


class Modality(StrEnum):
    LEGAL_ASSISTANCE = "legal_assistance"
    TRAINING = "training"
    WORKSHOP = "workshop"
    EXPERT_MISSION = "expert_mission"
    EQUIPMENT = "equipment"
    E_LEARNING = "e_learning"


class Urgency(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        return {"low": 0, "medium": 1, "high": 2}[self.value]

    @property
    def horizon_days(self) -> int:
        """How soon assistance should start to be useful."""
        return {"low": 365, "medium": 180, "high": 90}[self.value]


class RequestStatus(StrEnum):
    REQUESTED = "requested"
    MATCHED = "matched"
    DELIVERED = "delivered"
    FEEDBACK = "feedback"

    @property
    def commits_capacity(self) -> bool:
        return self is not RequestStatus.REQUESTED


class ProviderType(StrEnum):
    INTERNATIONAL_ORGANISATION = "international_organisation"
    REGIONAL_ORGANISATION = "regional_organisation"
    STATE = "state"
    NGO = "ngo"


class Source(BaseModel):
    title: str
    url: str
    check: bool = False


class Offer(BaseModel):
    """A provider's programme: what it covers, where, in which languages and how much."""

    id: str = Field(min_length=1)
    provider: str
    provider_type: ProviderType
    programme: str
    description: str = ""
    areas: list[str] = Field(min_length=1)
    regions: list[str] = Field(min_length=1)
    """Region names, or "global"."""
    languages: list[str] = Field(min_length=1)
    modalities: list[Modality] = Field(min_length=1)
    capacity: int = Field(ge=0)
    """Engagements the provider can take on in [start, end]."""
    start: date
    end: date
    sources: list[Source] = Field(default_factory=list)

    @model_validator(mode="after")
    def _period(self) -> Offer:
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self


class StatusChange(BaseModel):
    status: RequestStatus
    at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    note: str = ""


class Feedback(BaseModel):
    rating: int = Field(ge=1, le=5)
    need_met: bool
    comment: str = ""


class Request(BaseModel):
    """A state's request for assistance in one area."""

    id: str = Field(min_length=1)
    state: str = Field(min_length=1)
    region: str = ""
    area: str
    language: str = "en"
    modality: Modality
    urgency: Urgency = Urgency.MEDIUM
    description: str = ""
    origin: str = "manual"
    """"manual" or "assessment:<STATE>:<questionnaire version>"."""
    gap_questions: list[str] = Field(default_factory=list)
    created: date = Field(default_factory=date.today)
    follow_up: date | None = None
    status: RequestStatus = RequestStatus.REQUESTED
    offer_id: str | None = None
    match_score: float | None = None
    match_reasons: list[str] = Field(default_factory=list)
    feedback: Feedback | None = None
    history: list[StatusChange] = Field(default_factory=list)

    @model_validator(mode="after")
    def _defaults(self) -> Request:
        if self.follow_up is None:
            self.follow_up = self.created + timedelta(days=FOLLOW_UP_DAYS)
        if not self.history:
            self.history.append(StatusChange(status=self.status))
        return self

    def move(self, status: RequestStatus, note: str = "") -> None:
        """Advance the request; only forward steps in the order of RequestStatus are allowed."""
        order = list(RequestStatus)
        if order.index(status) != order.index(self.status) + 1:
            raise ValueError(
                f"request {self.id}: cannot go from {self.status.value} to {status.value}"
            )
        self.status = status
        self.history.append(StatusChange(status=status, note=note))

    @property
    def open(self) -> bool:
        """Not yet closed by feedback."""
        return self.status is not RequestStatus.FEEDBACK
