"""Licence registry, determination, verification and decrement: the `licences` check.

`build_check` is the factory the pipeline calls; the registry snapshot it needs is loaded from
the store by the pipeline (`stce.store.licences.load_registry`) and handed over, and after the
lane is decided the pipeline calls `stce.store.licences.apply_declaration` for each cleared
declaration (the decrement).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from stce.licences.determiner import HsSubheadingDeterminer, StrategicDeterminer, StrategicItem
from stce.licences.registry import LicenceRegistry
from stce.licences.rules import LicensingRules, load_rules

if TYPE_CHECKING:
    from stce.licences.check import LicenceCheck
    from stce.pipeline.context import ScreeningContext

__all__ = [
    "HsSubheadingDeterminer",
    "LicenceRegistry",
    "LicensingRules",
    "StrategicDeterminer",
    "StrategicItem",
    "build_check",
    "default_determiner",
    "load_rules",
]


def build_check(
    context: ScreeningContext,
    *,
    registry: LicenceRegistry | None = None,
    determiner: StrategicDeterminer | None = None,
    rules: LicensingRules | None = None,
) -> LicenceCheck:
    """The licence check for a run. Without a registry only determination runs fully (every
    referenced licence is then LICENCE_NOT_FOUND unless it is a general licence of the rules).
    Without a determiner, the goods check's identifier decides what is strategic."""
    from stce.licences.check import LicenceCheck  # the check pulls in name matching

    determiner = determiner or default_determiner(context)
    rules = rules or load_rules()
    registry = registry if registry is not None else LicenceRegistry([], version="empty")
    check = LicenceCheck(registry, rules, determiner, as_of=context.as_of)
    context.versions["licences"] = {"check": check.version}
    # The registry changes with every write-off: recorded, but not part of the batch's identity.
    context.versions.setdefault("state", {})["licence_registry"] = registry.version
    return check


def default_determiner(context: ScreeningContext) -> StrategicDeterminer:
    """The goods identifier (packaged knowledge base, the run's HS nomenclature), adapted and
    cached so the licence and movement checks of a run identify each declaration once."""
    from stce.goods.identify import GoodsIdentifier
    from stce.licences.determiner import CachingDeterminer, IdentifierDeterminer

    # The goods check of the same run, when there is one, already built the identifier (its
    # knowledge base and phrase index): reuse it rather than build a second.
    identifier = context.shared.get("goods_identifier")
    if not isinstance(identifier, GoodsIdentifier):
        identifier = GoodsIdentifier(hs=context.hs)
    return CachingDeterminer(IdentifierDeterminer(identifier))
