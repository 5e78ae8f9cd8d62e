"""What a recorded run writes back after each batch, beyond the results themselves.

- Licence write-offs: declarations released now (green, blue) write off their licences'
  balances, exactly once per declaration line (the store enforces it).
- Transshipment chains: the legs of the batch are saved so later batches and runs can link
  their onward legs to them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from stce.model import Check, Declaration, Lane, ScreeningResult
from stce.pipeline.context import ScreeningContext

RELEASED = frozenset({Lane.GREEN, Lane.BLUE})


class BatchHook(Protocol):
    def after_batch(
        self, declarations: Sequence[Declaration], results: Sequence[ScreeningResult]
    ) -> None: ...


class LicenceWriteOff:
    def __init__(self, context: ScreeningContext) -> None:
        from stce.store import session_factory

        self._sessions = session_factory(context.settings.database_url)
        self._rules = context.shared["licensing_rules"]
        self._determiner = context.shared.get("determiner")

    def after_batch(
        self, declarations: Sequence[Declaration], results: Sequence[ScreeningResult]
    ) -> None:
        from stce.store.licences import apply_declarations

        released = [
            d
            for d, r in zip(declarations, results, strict=True)
            if r.lane in RELEASED and any(doc.type == "licence" for doc in d.documents)
        ]
        if not released:
            return
        with self._sessions() as session, session.begin():
            apply_declarations(session, released, self._rules, self._determiner)


class ChainLegSaver:
    def __init__(self, context: ScreeningContext, check: Check) -> None:
        from stce.store import session_factory

        self._sessions = session_factory(context.settings.database_url)
        self._check = check

    def after_batch(
        self, declarations: Sequence[Declaration], results: Sequence[ScreeningResult]
    ) -> None:
        from stce.store.movements import save_legs

        index = getattr(self._check, "index", None)
        if index is None:
            return
        pending = index.pending()
        if not pending:
            return
        with self._sessions() as session, session.begin():
            save_legs(session, pending)
        index.clear_pending()


def build_hooks(context: ScreeningContext, checks: Sequence[Check]) -> list[BatchHook]:
    hooks: list[BatchHook] = []
    for check in checks:
        if check.name == "licences" and "licensing_rules" in context.shared:
            hooks.append(LicenceWriteOff(context))
        elif check.name == "movements":
            hooks.append(ChainLegSaver(context, check))
    return hooks
