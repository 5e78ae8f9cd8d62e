"""The self-assessment questionnaire and the public references it cites, loaded from versioned YAML.

The questionnaire is data so that administrations can review it and so that an assessment keeps
the version it was answered against.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml
from pydantic import BaseModel, Field, ValidationError, model_validator

DEFAULT_VERSION = "1.0"
TOPICS = ("free_zones", "transshipment", "ecommerce", "proliferation_finance")


class Reference(BaseModel):
    """A public document cited by a question or a note."""

    id: str
    title: str
    url: str
    check: bool = False


class Citation(BaseModel):
    """A reference with an optional pinpoint (paragraph, article, annex)."""

    ref: Reference
    pinpoint: str = ""

    @property
    def label(self) -> str:
        return f"{self.ref.title}{', ' + self.pinpoint if self.pinpoint else ''}"


class Level(BaseModel):
    number: int
    name: str
    summary: str


class Question(BaseModel):
    id: str
    level: int = Field(ge=2, le=5)
    text: str
    action: str
    why: str
    refs: list[str]
    topics: list[str] = Field(default_factory=list)
    indicator: str | None = None
    evidence: bool | None = None
    """Whether a "yes" must carry evidence to count; default: from level 3 up."""

    @property
    def evidence_required(self) -> bool:
        return self.evidence if self.evidence is not None else self.level >= 3


class Area(BaseModel):
    id: str
    title: str
    op: str
    questions: list[Question]


class Questionnaire(BaseModel):
    version: str
    title: str
    levels: dict[int, Level]
    areas: list[Area]
    references: dict[str, Reference]

    @model_validator(mode="after")
    def _consistent(self) -> Questionnaire:
        seen: set[str] = set()
        for area in self.areas:
            for q in area.questions:
                if q.id in seen:
                    raise ValueError(f"question {q.id}: duplicate id")
                seen.add(q.id)
                for raw in q.refs:
                    if raw.split(" ", 1)[0] not in self.references:
                        raise ValueError(f"question {q.id}: unknown reference {raw!r}")
                for topic in q.topics:
                    if topic not in TOPICS:
                        raise ValueError(f"question {q.id}: unknown topic {topic!r}")
        return self

    def area(self, area_id: str) -> Area:
        for area in self.areas:
            if area.id == area_id:
                return area
        raise KeyError(f"unknown area {area_id!r}; known: {', '.join(a.id for a in self.areas)}")

    def question(self, question_id: str) -> tuple[Area, Question]:
        for area in self.areas:
            for q in area.questions:
                if q.id == question_id:
                    return area, q
        raise KeyError(f"unknown question {question_id!r}")

    def questions(self) -> list[tuple[Area, Question]]:
        return [(a, q) for a in self.areas for q in a.questions]

    def cite(self, raw: str) -> Citation:
        """Resolve a reference string `"<id> <pinpoint>"` to a citation."""
        ref_id, _, pinpoint = raw.partition(" ")
        return Citation(ref=self.references[ref_id], pinpoint=pinpoint.strip())


def _read_yaml(name: str) -> Any:
    text = resources.files("stce.assess").joinpath("data", name).read_text(encoding="utf-8")
    return yaml.safe_load(text)


@cache
def references() -> dict[str, Reference]:
    raw = _read_yaml("references.yaml")
    return {key: Reference(id=key, **value) for key, value in raw.items()}


@cache
def load_questionnaire(version: str = DEFAULT_VERSION) -> Questionnaire:
    """The questionnaire of `version` (KeyError naming the known versions if absent)."""
    try:
        raw = _read_yaml(f"questionnaire-{version}.yaml")
    except FileNotFoundError:
        known = sorted(
            p.name.removeprefix("questionnaire-").removesuffix(".yaml")
            for p in resources.files("stce.assess").joinpath("data").iterdir()
            if p.name.startswith("questionnaire-")
        )
        raise KeyError(f"unknown questionnaire version {version!r}; known: {known}") from None
    levels = {int(k): Level(number=int(k), **v) for k, v in raw["levels"].items()}
    try:
        return Questionnaire(
            version=str(raw["version"]),
            title=raw["title"],
            levels=levels,
            areas=raw["areas"],
            references=references(),
        )
    except ValidationError as exc:
        raise ValueError(f"questionnaire {version}: {exc}") from exc
