"""`build_engine`: the risk engine for a screening run, as the pipeline registry builds it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from stce.risk.history import History, InMemoryHistory
from stce.risk.pack import Pack, load_default_pack, load_pack
from stce.risk.selectivity import RuleEngine

if TYPE_CHECKING:
    from stce.pipeline.context import ScreeningContext

PACK_ENV = "STCE_RULE_PACK"
SEED_ENV = "STCE_RANDOM_SEED"
RATE_ENV = "STCE_RANDOM_RATE"


def build_engine(
    context: ScreeningContext,
    *,
    history: History | None = None,
    pack: Pack | Path | str | None = None,
    seed: str | None = None,
    random_rate: float | None = None,
) -> RuleEngine:
    """The rule engine for a run.

    `pack` defaults to `$STCE_RULE_PACK` or the packaged default pack; `seed` and
    `random_rate` default to `$STCE_RANDOM_SEED`/`$STCE_RANDOM_RATE`, then to the pack's
    `selection`. `history` defaults to an empty one that learns from the batch as it streams
    (`stce.store.risk.load_history` builds one from the store). The pack label is recorded in
    `context.versions["rules"]`.
    """
    if pack is None:
        env = os.environ.get(PACK_ENV)
        pack = load_pack(env) if env else load_default_pack()
    elif not isinstance(pack, Pack):
        pack = load_pack(pack)
    if seed is None:
        seed = os.environ.get(SEED_ENV) or None
    if random_rate is None and os.environ.get(RATE_ENV):
        random_rate = float(os.environ[RATE_ENV])
    engine = RuleEngine(
        pack,
        history if history is not None else InMemoryHistory(),
        seed=seed,
        random_rate=random_rate,
        as_of=context.as_of,
    )
    context.versions["rules"] = pack.label
    return engine
