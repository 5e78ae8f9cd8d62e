"""Which checks and which risk engine a screening run uses.

Each concern offers a factory that takes the run's context; a factory returns None when what it
needs is not available (e.g. no list snapshot imported yet), and the run records that in its
versions so a reader of the results knows the check did not run.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from stce.model import Check
from stce.pipeline.context import ScreeningContext
from stce.risk import CountryCheck, RiskEngine

if TYPE_CHECKING:
    from stce.licences.determiner import StrategicDeterminer

CheckFactory = Callable[[ScreeningContext], Check | None]


def _countries(context: ScreeningContext) -> Check | None:
    return CountryCheck()


def _parties(context: ScreeningContext) -> Check | None:
    from stce.parties import build_check
    from stce.store import session_factory
    from stce.store.parties import load_clearances

    with session_factory(context.settings.database_url)() as session:
        clearances = load_clearances(session)
    return build_check(context, clearances)


def _goods(context: ScreeningContext) -> Check | None:
    from stce.goods import build_check

    check = build_check(context)
    context.shared["goods_identifier"] = check.identifier
    return check


def _determiner(context: ScreeningContext) -> StrategicDeterminer:
    """One cached goods determiner per run, shared by the licence and movement checks."""
    if "determiner" not in context.shared:
        from stce.licences import default_determiner

        context.shared["determiner"] = default_determiner(context)
    det: StrategicDeterminer = context.shared["determiner"]
    return det


def _licences(context: ScreeningContext) -> Check | None:
    from stce.licences import build_check, load_rules
    from stce.store import session_factory
    from stce.store.licences import load_registry

    rules = load_rules()
    with session_factory(context.settings.database_url)() as session:
        registry = load_registry(session)
    context.shared["licensing_rules"] = rules
    return build_check(context, registry=registry, determiner=_determiner(context), rules=rules)


def _movements(context: ScreeningContext) -> Check | None:
    from stce.movements import build_check
    from stce.movements.rules import load_movement_rules
    from stce.store import session_factory
    from stce.store.movements import load_chain_index

    rules = load_movement_rules()
    as_of = context.as_of or datetime.now(UTC).date()
    since = datetime(as_of.year, as_of.month, as_of.day, tzinfo=UTC) - CHAIN_LOOKBACK
    with session_factory(context.settings.database_url)() as session:
        index = load_chain_index(session, rules, since=since)
    return build_check(context, index=index, determiner=_determiner(context), rules=rules)


CHAIN_LOOKBACK = timedelta(days=365)
"""How far back arrival legs are loaded to link onward legs into chains."""

CHECK_FACTORIES: dict[str, CheckFactory] = {
    "countries": _countries,
    "parties": _parties,
    "goods": _goods,
    "licences": _licences,
    "movements": _movements,
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
    """The rule engine of the active pack, with the trader history of the last 90 days."""
    from stce.risk import build_engine as rule_engine
    from stce.store.risk import history_from_store

    return rule_engine(context, history=history_from_store(context.settings.database_url))
