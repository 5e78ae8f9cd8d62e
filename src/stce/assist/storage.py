"""Requests and offers kept as JSON files under `<data_dir>/assist/`.

Files rather than tables: the catalogue and the requests are small (tens to hundreds of records),
are exchanged between the Committee's experts, providers and states as files anyway, and nothing
on the screening path reads them. Until offers are imported, the shipped sample catalogue is used.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from stce.assess.errors import AssessInputError, describe_validation
from stce.assess.questionnaire import load_questionnaire
from stce.assist.model import Offer, Request
from stce.config import get_settings

T = TypeVar("T", bound=BaseModel)


def assist_dir(base: Path | None = None) -> Path:
    return (base or get_settings().data_dir) / "assist"


def sample_offers() -> list[Offer]:
    text = resources.files("stce.assist").joinpath("data/offers.yaml").read_text("utf-8")
    return parse_records(yaml.safe_load(text), Offer, "sample offers")


def parse_records(raw: Any, model: type[T], source: str) -> list[T]:
    """Validate a list of records; every problem names the record (index and id) and field."""
    if not isinstance(raw, list):
        raise AssessInputError(source, ["expected a list of records"])
    out: list[T] = []
    problems: list[str] = []
    ids: set[str] = set()
    for i, item in enumerate(raw, start=1):
        rid = item.get("id", "?") if isinstance(item, dict) else "?"
        try:
            record = model.model_validate(item)
        except ValidationError as exc:
            problems.extend(describe_validation(exc, prefix=f"record {i} ({rid}): "))
            continue
        if rid in ids:
            problems.append(f"record {i} ({rid}): duplicate id")
        ids.add(rid)
        out.append(record)
    problems.extend(_check_areas(out))
    if problems:
        raise AssessInputError(source, problems)
    return out


def _check_areas(records: list[Any]) -> list[str]:
    known = {a.id for a in load_questionnaire().areas}
    problems = []
    for record in records:
        areas = record.areas if isinstance(record, Offer) else [record.area]
        for area in areas:
            if area not in known:
                problems.append(f"{record.id}: area {area!r} unknown (known: {sorted(known)})")
    return problems


def read_file(path: Path, model: type[T]) -> list[T]:
    """Records from a .json or .yaml file."""
    text = path.read_text(encoding="utf-8")
    try:
        raw = yaml.safe_load(text) if path.suffix.lower() in {".yaml", ".yml"} else json.loads(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise AssessInputError(str(path), [f"not valid {path.suffix[1:]}: {exc}"]) from exc
    return parse_records(raw, model, str(path))


def write_file(records: list[T], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = [r.model_dump(mode="json") for r in records]
    if path.suffix.lower() in {".yaml", ".yml"}:
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    else:
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    return path


def load_offers(base: Path | None = None) -> list[Offer]:
    path = assist_dir(base) / "offers.json"
    return read_file(path, Offer) if path.is_file() else sample_offers()


def save_offers(offers: list[Offer], base: Path | None = None) -> Path:
    return _atomic(offers, assist_dir(base) / "offers.json")


def load_requests(base: Path | None = None) -> list[Request]:
    path = assist_dir(base) / "requests.json"
    return read_file(path, Request) if path.is_file() else []


def save_requests(requests: list[Request], base: Path | None = None) -> Path:
    return _atomic(requests, assist_dir(base) / "requests.json")


def merge(existing: list[T], new: list[T]) -> tuple[list[T], int, int]:
    """Records of `new` replace those with the same id; returns (merged, added, replaced)."""
    by_id: dict[str, T] = {getattr(r, "id"): r for r in existing}  # noqa: B009
    added = sum(1 for r in new if getattr(r, "id") not in by_id)  # noqa: B009
    for r in new:
        by_id[getattr(r, "id")] = r  # noqa: B009
    return list(by_id.values()), added, len(new) - added


def _atomic(records: list[T], path: Path) -> Path:
    tmp = path.with_suffix(".tmp.json")
    write_file(records, tmp)
    tmp.replace(path)
    return path
