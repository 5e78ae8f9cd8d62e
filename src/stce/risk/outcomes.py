"""Inspection outcomes: what an examination of a declaration found, read from CSV or JSON Lines.

Outcomes close the loop: `stce rules stats` compares them with the rules that fired to show
which rules find something. A bad row is rejected with its line and field; good rows are kept.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum
from pathlib import Path
from typing import Any

import orjson
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator


class Result(StrEnum):
    """What the inspection found, weakest first."""

    NOTHING_FOUND = "nothing_found"
    IRREGULARITY = "irregularity"
    SEIZURE = "seizure"

    @property
    def is_finding(self) -> bool:
        return self is not Result.NOTHING_FOUND

    @property
    def rank(self) -> int:
        return {"nothing_found": 0, "irregularity": 1, "seizure": 2}[self.value]


_ALIASES = {
    "nothing found": Result.NOTHING_FOUND,
    "nothing_found": Result.NOTHING_FOUND,
    "nothing-found": Result.NOTHING_FOUND,
    "none": Result.NOTHING_FOUND,
    "clean": Result.NOTHING_FOUND,
    "negative": Result.NOTHING_FOUND,
    "irregularity": Result.IRREGULARITY,
    "irregular": Result.IRREGULARITY,
    "seizure": Result.SEIZURE,
    "seized": Result.SEIZURE,
}


class Outcome(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    declaration_id: str = Field(min_length=1, max_length=128)
    inspected_at: datetime
    result: Result
    notes: str | None = Field(default=None, max_length=4096)

    @field_validator("result", mode="before")
    @classmethod
    def _result(cls, v: Any) -> Any:
        if isinstance(v, str):
            key = v.strip().lower()
            if key not in _ALIASES:
                raise ValueError("expected nothing found, irregularity or seizure")
            return _ALIASES[key]
        return v

    @field_validator("inspected_at", mode="before")
    @classmethod
    def _when(cls, v: Any) -> Any:
        if isinstance(v, str) and len(v.strip()) == 10:
            return datetime.combine(date.fromisoformat(v.strip()), time())
        return v

    @field_validator("notes", mode="before")
    @classmethod
    def _notes(cls, v: Any) -> Any:
        return None if v == "" else v


@dataclass(frozen=True)
class Reject:
    line: int
    field: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.field}: {self.reason}"


def _rows(path: Path) -> Iterator[tuple[int, dict[str, Any] | None, str]]:
    """(line, row or None, error) for each record of a CSV or JSON Lines file."""
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() in (".jsonl", ".ndjson", ".json"):
        for i, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                row = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                yield i, None, f"not valid JSON: {exc}"
                continue
            if not isinstance(row, dict):
                yield i, None, "expected a JSON object"
                continue
            yield i, row, ""
        return
    reader = csv.DictReader(io.StringIO(text))
    for row in reader:
        yield reader.line_num, {k.strip(): v for k, v in row.items() if k is not None}, ""


def read_outcomes(path: Path) -> tuple[list[Outcome], list[Reject]]:
    """Parse an outcomes file (CSV with a header, or JSON Lines)."""
    good: list[Outcome] = []
    bad: list[Reject] = []
    for line, row, error in _rows(path):
        if row is None:
            bad.append(Reject(line, "-", error))
            continue
        try:
            good.append(Outcome.model_validate(row))
        except ValidationError as exc:
            err = exc.errors()[0]
            field = ".".join(str(x) for x in err["loc"]) or "-"
            bad.append(Reject(line, field, err["msg"]))
    return good, bad
