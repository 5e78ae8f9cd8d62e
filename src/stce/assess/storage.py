"""Assessments kept as one JSON file per state under `<data_dir>/assess/`.

Files rather than tables: an assessment is a document that officials exchange, review and archive
as a whole (the same JSON is the import/export format), there are a few per state and year, and
no screening path reads them. A file per state keeps them diff-able and easy to back up.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

from pydantic import ValidationError

from stce.assess.errors import AssessInputError, describe_validation
from stce.assess.model import Answer, AnswerValue, Assessment, Evidence
from stce.assess.questionnaire import DEFAULT_VERSION, load_questionnaire
from stce.config import get_settings


def assess_dir(base: Path | None = None) -> Path:
    return (base or get_settings().data_dir) / "assess"


def state_key(state: str) -> str:
    """File-safe key of a state ("Republic of Ruritania" -> "REPUBLIC_OF_RURITANIA")."""
    key = re.sub(r"[^A-Za-z0-9]+", "_", state.strip()).strip("_").upper()
    if not key:
        raise ValueError(f"state {state!r}: needs at least one letter or digit")
    return key


def path_for(state: str, base: Path | None = None) -> Path:
    return assess_dir(base) / f"{state_key(state)}.json"


def new_assessment(
    state: str,
    state_name: str = "",
    region: str = "",
    languages: list[str] | None = None,
    version: str = DEFAULT_VERSION,
) -> Assessment:
    load_questionnaire(version)  # fails early on an unknown version
    return Assessment(
        state=state_key(state),
        state_name=state_name or state,
        region=region,
        languages=languages or [],
        questionnaire_version=version,
    )


def save(assessment: Assessment, base: Path | None = None) -> Path:
    path = path_for(assessment.state, base)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(to_json(assessment), encoding="utf-8")
    tmp.replace(path)
    return path


def exists(state: str, base: Path | None = None) -> bool:
    return path_for(state, base).is_file()


def load(state: str, base: Path | None = None) -> Assessment:
    path = path_for(state, base)
    if not path.is_file():
        known = ", ".join(list_states(base)) or "none"
        raise FileNotFoundError(f"no assessment for {state!r} (known: {known})")
    return from_json(path.read_text(encoding="utf-8"), source=str(path))


def list_states(base: Path | None = None) -> list[str]:
    folder = assess_dir(base)
    return sorted(p.stem for p in folder.glob("*.json")) if folder.is_dir() else []


def to_json(assessment: Assessment) -> str:
    return assessment.model_dump_json(indent=2)


def from_json(text: str, source: str = "input") -> Assessment:
    """Parse and validate an assessment; every problem names its field (e.g. answers.LB1.value)."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise AssessInputError(source, [f"line {exc.lineno}: not valid JSON ({exc.msg})"]) from exc
    try:
        assessment = Assessment.model_validate(raw)
    except ValidationError as exc:
        raise AssessInputError(source, describe_validation(exc)) from exc
    validate_answers(assessment, source)
    return assessment


def validate_answers(assessment: Assessment, source: str) -> None:
    try:
        q = load_questionnaire(assessment.questionnaire_version)
    except KeyError as exc:
        raise AssessInputError(source, [f"questionnaire_version: {exc.args[0]}"]) from exc
    known = {question.id for _, question in q.questions()}
    problems = []
    for key, answer in assessment.answers.items():
        if key not in known:
            problems.append(f"answers.{key}: unknown question for questionnaire {q.version}")
        elif answer.question_id != key:
            problems.append(
                f"answers.{key}.question_id: is {answer.question_id!r}, expected {key!r}"
            )
    if problems:
        raise AssessInputError(source, problems)


def record_answer(
    assessment: Assessment,
    question_id: str,
    value: AnswerValue,
    evidence: list[Evidence] | None = None,
    comment: str = "",
    answered_by: str = "",
) -> Answer:
    """Set (replace) the answer to `question_id`; KeyError if the question is unknown."""
    load_questionnaire(assessment.questionnaire_version).question(question_id)
    answer = Answer(
        question_id=question_id,
        value=value,
        evidence=evidence or [],
        comment=comment,
        answered_by=answered_by,
    )
    assessment.answers[question_id] = answer
    assessment.updated_at = datetime.now(UTC)
    return answer
