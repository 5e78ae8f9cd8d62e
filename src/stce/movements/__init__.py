"""Transshipment chains and the free-zone ledger: the `movements` check.

Declarations are reduced to legs (`legs.Leg`), linked into chains by transport documents,
containers, previous-document references and (party, goods) similarity (`chains.ChainIndex`),
and compared leg to leg for diversion signs (`check.MovementCheck`). Free-zone legs and operator
stock reports make the zone ledger (`ledger`), reconciled per operator, HS code and period and
published as a transparency report (`report`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from stce.licences.determiner import StrategicDeterminer
from stce.movements.chains import ChainIndex
from stce.movements.rules import MovementRules

if TYPE_CHECKING:
    from stce.movements.check import MovementCheck
    from stce.pipeline.context import ScreeningContext

__all__ = ["ChainIndex", "MovementRules", "build_check"]


def build_check(
    context: ScreeningContext,
    *,
    index: ChainIndex | None = None,
    determiner: StrategicDeterminer | None = None,
    rules: MovementRules | None = None,
) -> MovementCheck:
    """The movement check for a run. `index` is the chain index loaded from the store
    (`stce.store.movements.load_chain_index`); after the run the pipeline saves
    `check.index.pending()` with `stce.store.movements.save_legs` so chains persist. Pass the
    same determiner as the licence check's (`stce.licences.default_determiner`) to identify
    each declaration once."""
    from stce.licences import default_determiner
    from stce.movements.check import MovementCheck  # the check pulls in name matching

    determiner = determiner or default_determiner(context)

    rules = rules or (index.rules if index is not None else MovementRules())
    index = index if index is not None else ChainIndex(rules)
    check = MovementCheck(index, determiner, rules)
    # Only the check and its rules: the number of stored legs changes with every run and would
    # make the same input look like a new batch.
    context.versions["movements"] = {"check": check.version}
    return check
