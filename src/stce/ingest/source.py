"""Validated declarations from a file: reading, shape and code-list validation, duplicate ids."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from stce.ingest.readers import Parsed, read_declarations
from stce.ingest.rejects import Reject
from stce.ingest.validate import DeclarationValidator
from stce.model import Declaration, Hit
from stce.refdata.hs import HsNomenclature


@dataclass(frozen=True)
class Accepted:
    position: int
    declaration: Declaration
    warnings: list[Hit] = field(default_factory=list)


def validated_declarations(
    path: Path,
    hs: HsNomenclature | None,
    fmt: str | None = None,
    on_bytes: Callable[[int], None] | None = None,
) -> Iterator[Accepted | Reject]:
    """Every record of `path` as an accepted declaration (with warnings) or a reject.

    A declaration_id seen earlier in the same file is a reject: the first one stands.
    """
    validator = DeclarationValidator(hs)
    seen: dict[str, int] = {}
    for rec in read_declarations(path, fmt, on_bytes):
        if isinstance(rec, Reject):
            yield rec
            continue
        assert isinstance(rec, Parsed)
        d = rec.declaration
        first = seen.get(d.declaration_id)
        if first is not None:
            yield Reject(
                position=rec.position,
                declaration_id=d.declaration_id,
                field="declaration_id",
                reason=f"duplicate declaration_id, first seen at position {first}",
            )
            continue
        seen[d.declaration_id] = rec.position
        outcome = validator.validate(d)
        if outcome.errors:
            yield Reject(
                position=rec.position,
                declaration_id=d.declaration_id,
                field=outcome.errors[0].field,
                reason="; ".join(f"{p.field}: {p.reason}" for p in outcome.errors[:5]),
            )
            continue
        yield Accepted(rec.position, d, outcome.warnings)
