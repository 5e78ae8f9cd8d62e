"""Which checks and which risk engine a screening run uses.

Each concern offers a factory that takes the run's context; a factory returns None when what it
needs is not available (e.g. no list snapshot imported yet), and the run records that in its
versions so a reader of the results knows the check did not run.
"""

from __future__ import annotations

from collections.abc import Callable

from stce.model import Check
from stce.pipeline.context import ScreeningContext
from stce.risk import CountryCheck, RiskEngine, SeverityEngine

CheckFactory = Callable[[ScreeningContext], Check | None]


def _countries(context: ScreeningContext) -> Check | None:
    return CountryCheck()


CHECK_FACTORIES: dict[str, CheckFactory] = {
    "countries": _countries,
}


def build_checks(context: ScreeningContext, only: list[str] | None = None) -> list[Check]:
    """Build the enabled checks; record each check's version, or why it did not run."""
    checks: list[Check] = []
    status: dict[str, str] = {}
    for name, factory in CHECK_FACTORIES.items():
        if only is not None and name not in only:
            continue
        check = factory(context)
        if check is None:
            status[name] = "unavailable"
            continue
        checks.append(check)
        status[name] = check.version
    context.versions["checks"] = status
    return checks


def build_engine(context: ScreeningContext) -> RiskEngine:
    engine = SeverityEngine()
    context.versions["rules"] = engine.version
    return engine
