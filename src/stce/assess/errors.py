"""Input errors that name the record and field, so an official can fix the sheet or file."""

from __future__ import annotations

from pydantic import ValidationError


class AssessInputError(ValueError):
    """One or more problems in imported input; `problems` lists them, one per record and field."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(problems))


def describe_validation(exc: ValidationError, prefix: str = "") -> list[str]:
    """pydantic errors as "<location>: <message>" lines."""
    out = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"])
        where = f"{prefix}{loc}" if loc else prefix.rstrip(".") or "record"
        out.append(f"{where}: {err['msg']}")
    return out
