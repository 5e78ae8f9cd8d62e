"""Score an assessment into a maturity level per area, with the gaps that block the next level.

The rule (also in docs/assess.md): each question belongs to a level 2..5 of its area. A question is
*met* when answered "yes" and, if it requires evidence, at least one piece of evidence is attached
(an unevidenced "yes" counts as "partial"). The area's level is the highest N such that every
question of levels 2..N is met; level 1 needs nothing. The gaps to the next level are the unmet
questions of that level; later levels follow in order.
"""

from __future__ import annotations

from statistics import mean

from pydantic import BaseModel, Field

from stce.assess.model import AnswerValue, Assessment
from stce.assess.questionnaire import Area, Citation, Question, Questionnaire, load_questionnaire

MAX_LEVEL = 5


class Gap(BaseModel):
    """A question not met, with the action that closes it."""

    question_id: str
    area_id: str
    level: int
    question: str
    action: str
    why: str
    citations: list[Citation]
    answer: AnswerValue
    unevidenced: bool = False
    topics: list[str] = Field(default_factory=list)
    priority: int = 0
    """1 = blocks the next level; 2 = the level after; and so on."""


class AreaScore(BaseModel):
    area_id: str
    title: str
    op: str
    level: int
    level_name: str
    answered: int
    total: int
    met: list[str]
    gaps: list[Gap]

    @property
    def next_level(self) -> int | None:
        return self.level + 1 if self.level < MAX_LEVEL else None

    @property
    def next_gaps(self) -> list[Gap]:
        return [g for g in self.gaps if g.priority == 1]


class Profile(BaseModel):
    state: str
    state_name: str
    questionnaire_version: str
    areas: list[AreaScore]

    @property
    def average(self) -> float:
        return round(mean(a.level for a in self.areas), 2) if self.areas else 0.0

    @property
    def completion(self) -> float:
        total = sum(a.total for a in self.areas)
        return round(100.0 * sum(a.answered for a in self.areas) / total, 1) if total else 0.0

    def area(self, area_id: str) -> AreaScore:
        return next(a for a in self.areas if a.area_id == area_id)

    def gaps_by_topic(self, topic: str) -> list[Gap]:
        return [g for a in self.areas for g in a.gaps if topic in g.topics]


def is_met(assessment: Assessment, question: Question) -> tuple[bool, AnswerValue, bool]:
    """(met, the answer value, whether a "yes" lacked required evidence)."""
    answer = assessment.answers.get(question.id)
    if answer is None:
        return False, AnswerValue.UNKNOWN, False
    if answer.value is AnswerValue.YES:
        if question.evidence_required and not answer.evidence:
            return False, AnswerValue.PARTIAL, True
        return True, answer.value, False
    return False, answer.value, False


def score_area(q: Questionnaire, area: Area, assessment: Assessment) -> AreaScore:
    level = 1
    blocked = False
    met: list[str] = []
    gaps: list[Gap] = []
    for lvl in range(2, MAX_LEVEL + 1):
        questions = [x for x in area.questions if x.level == lvl]
        all_met = True
        for question in questions:
            ok, value, unevidenced = is_met(assessment, question)
            if ok:
                met.append(question.id)
                continue
            all_met = False
            gaps.append(
                Gap(
                    question_id=question.id,
                    area_id=area.id,
                    level=lvl,
                    question=question.text,
                    action=question.action,
                    why=question.why,
                    citations=[q.cite(r) for r in question.refs],
                    answer=value,
                    unevidenced=unevidenced,
                    topics=question.topics,
                )
            )
        if not blocked and all_met:
            level = lvl
        else:
            blocked = True
    for gap in gaps:
        gap.priority = max(1, gap.level - level)
    gaps.sort(key=lambda g: (g.priority, g.question_id))
    return AreaScore(
        area_id=area.id,
        title=area.title,
        op=area.op,
        level=level,
        level_name=q.levels[level].name,
        answered=sum(1 for x in area.questions if x.id in assessment.answers),
        total=len(area.questions),
        met=met,
        gaps=gaps,
    )


def score(assessment: Assessment, questionnaire: Questionnaire | None = None) -> Profile:
    """The maturity profile of `assessment` against its own questionnaire version."""
    q = questionnaire or load_questionnaire(assessment.questionnaire_version)
    return Profile(
        state=assessment.state,
        state_name=assessment.display_name,
        questionnaire_version=q.version,
        areas=[score_area(q, area, assessment) for area in q.areas],
    )
