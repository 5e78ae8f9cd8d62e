"""Reading licences from the licensing authority's files.

Two formats (chosen by extension, or explicitly):

**JSON Lines** (`.jsonl`): one licence per line, the fields of `stce.licences.model.Licence`::

    {"number": "DE-2026-0001", "type": "individual", "issuing_authority": "BAFA",
     "holder": "Acme Precision GmbH", "holder_id": "DE123456789", "consignee": "Beta Trading",
     "end_user": "Beta University", "end_use": "research", "destinations": ["JP"],
     "valid_from": "2026-01-01", "valid_to": "2026-12-31", "status": "valid",
     "tolerance_pct": 10,
     "items": [{"item_no": 1, "control_entry": "2B352", "hs_code": "841933",
                "description": "freeze dryer", "quantity": 2, "unit": "NAR",
                "value": 100000, "currency": "EUR"}]}

**CSV** (`.csv`, UTF-8, header row): one row per licence item; the licence columns repeat on
every row of the same `number` and must agree. Columns: `number, type, issuing_authority,
holder, holder_id, consignee, end_user, end_use, destinations` (separated by `;` or spaces),
`valid_from, valid_to` (ISO dates), `status, tolerance_pct, item_no, control_entry, hs_code,
description, quantity, unit, value, currency`.

Errors name the record (line number and licence number) and the field; the whole file is
rejected when any record is bad, so an import never half-writes.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from stce.licences.model import Licence

LICENCE_FIELDS = (
    "number",
    "type",
    "issuing_authority",
    "holder",
    "holder_id",
    "consignee",
    "end_user",
    "end_use",
    "destinations",
    "valid_from",
    "valid_to",
    "status",
    "tolerance_pct",
)
ITEM_FIELDS = (
    "item_no",
    "control_entry",
    "hs_code",
    "description",
    "quantity",
    "unit",
    "value",
    "currency",
)


@dataclass(frozen=True)
class RecordError:
    record: str
    """Where: "line 4 (licence DE-1)"."""
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.record}: {self.field}: {self.message}"


class LicenceFileError(ValueError):
    """The file cannot be imported; `errors` lists every bad record and field."""

    def __init__(self, path: Path, errors: list[RecordError]) -> None:
        self.path = path
        self.errors = errors
        shown = "\n".join(f"  {e}" for e in errors[:50])
        more = f"\n  ... and {len(errors) - 50} more" if len(errors) > 50 else ""
        super().__init__(f"{path}: {len(errors)} error(s), nothing imported:\n{shown}{more}")


def _field_of(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(p) for p in loc) or "(record)"


def _validate(raw: dict[str, Any], where: str, errors: list[RecordError]) -> Licence | None:
    try:
        return Licence.model_validate(raw)
    except ValidationError as exc:
        for e in exc.errors():
            msg = e["msg"].removeprefix("Value error, ")
            errors.append(RecordError(where, _field_of(e["loc"]), msg))
    return None


def read_json_objects(
    path: Path, errors: list[RecordError], what: str = "record"
) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for each non-blank line of a JSON Lines file; a line that is not
    a JSON object becomes a RecordError naming it, and the others are still read."""
    with path.open(encoding="utf-8") as fh:
        for n, text in enumerate(fh, start=1):
            if not text.strip():
                continue
            try:
                raw = json.loads(text)
            except json.JSONDecodeError as exc:
                errors.append(RecordError(f"line {n}", "(json)", str(exc)))
                continue
            if not isinstance(raw, dict):
                errors.append(RecordError(f"line {n}", "(json)", f"a {what} must be an object"))
                continue
            yield n, raw


def _read_jsonl(path: Path, errors: list[RecordError]) -> Iterator[tuple[str, dict[str, Any]]]:
    for n, raw in read_json_objects(path, errors, "licence"):
        yield f"line {n} (licence {raw.get('number', '?')})", raw


def _blank(v: str | None) -> bool:
    return v is None or v.strip() == ""


def _read_csv(path: Path, errors: list[RecordError]) -> Iterator[tuple[str, dict[str, Any]]]:
    grouped: dict[str, tuple[str, dict[str, Any], dict[str, str]]] = {}
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        header = set(reader.fieldnames or [])
        missing = {
            "number",
            "type",
            "issuing_authority",
            "holder",
            "valid_from",
            "valid_to",
        } - header
        if missing:
            errors.append(
                RecordError("header", ", ".join(sorted(missing)), "required column missing")
            )
            return
        unknown = header - set(LICENCE_FIELDS) - set(ITEM_FIELDS)
        if unknown:
            errors.append(RecordError("header", ", ".join(sorted(unknown)), "unknown column"))
            return
        for n, row in enumerate(reader, start=2):
            number = (row.get("number") or "").strip()
            where = f"line {n} (licence {number or '?'})"
            if not number:
                errors.append(RecordError(where, "number", "licence number is empty"))
                continue
            head = {k: (row.get(k) or "").strip() for k in LICENCE_FIELDS}
            item: dict[str, Any] = {
                k: (row.get(k) or "").strip() for k in ITEM_FIELDS if not _blank(row.get(k))
            }
            if number in grouped:
                first_where, raw, first_head = grouped[number]
                for k in LICENCE_FIELDS:
                    if head[k] != first_head[k]:
                        errors.append(
                            RecordError(
                                where,
                                k,
                                f"{head[k]!r} differs from {first_head[k]!r} on {first_where}",
                            )
                        )
                item.setdefault("item_no", len(raw["items"]) + 1)
                raw["items"].append(item)
                continue
            raw = {k: v for k, v in head.items() if v != ""}
            if "destinations" in raw:
                raw["destinations"] = (
                    raw["destinations"].replace(";", " ").replace(",", " ").split()
                )
            item.setdefault("item_no", 1)
            raw["items"] = [item]
            grouped[number] = (where, raw, head)
    for where, raw, _ in grouped.values():
        yield where, raw


def read_licences(path: Path, fmt: str | None = None) -> list[Licence]:
    """Every licence of `path`, or LicenceFileError listing every bad record and field."""
    kind = (fmt or path.suffix.lstrip(".")).lower()
    errors: list[RecordError] = []
    if kind in ("jsonl", "ndjson"):
        rows = list(_read_jsonl(path, errors))
    elif kind == "csv":
        rows = list(_read_csv(path, errors))
    else:
        raise LicenceFileError(
            path, [RecordError("file", "format", f"unknown licence format {kind!r} (csv or jsonl)")]
        )
    out: list[Licence] = []
    seen: dict[str, str] = {}
    for where, raw in rows:
        lic = _validate(raw, where, errors)
        if lic is None:
            continue
        if lic.number in seen:
            errors.append(
                RecordError(where, "number", f"repeats the licence of {seen[lic.number]}")
            )
            continue
        seen[lic.number] = where
        out.append(lic)
    if errors:
        raise LicenceFileError(path, errors)
    return out
