from typing import Any

from stce.parties.index import QueryToken

class Query:
    """One reading of a party name, laid out for `Kernel.score`."""

class TokenPlan:
    """One weighed query token laid out for `Kernel` (`Kernel.plan_token`)."""

class Kernel:
    def __init__(self, index: Any, constants: dict[str, Any]) -> None: ...
    def candidates(
        self,
        qtokens: list[QueryToken],
        sims: list[dict[int, tuple[float, str]]],
        limit: int,
        floor: float,
        min_bound: float,
    ) -> list[int] | None: ...
    def plan_token(self, q: QueryToken, similar: dict[int, tuple[float, str]]) -> TokenPlan: ...
    def candidates_from_plans(
        self, plans: list[TokenPlan], limit: int, floor: float, min_bound: float
    ) -> list[int] | None: ...
    def similar_tokens(self, token: str, abjad: bool) -> dict[int, tuple[float, str]]: ...
    def prepare(
        self, qtokens: list[QueryToken], sims: list[dict[int, tuple[float, str]]]
    ) -> Query: ...
    def prepare_from_plans(self, plans: list[TokenPlan]) -> Query: ...
    def score(self, query: Query, nid: int, person: bool) -> tuple[float, bool] | None: ...
    def score_candidates(
        self,
        query: Query,
        nids: list[int],
        allowed: int,
        person_query: bool,
        best: dict[int, tuple[float, bool, int, Any]],
        reading: Any,
    ) -> float | None: ...
    def explain(
        self, query: Query, nid: int, person: bool
    ) -> tuple[float, list[str], list[tuple[Any, ...]], list[int], list[int]] | None: ...
    def explanation(self, query: Query, nid: int, person: bool) -> tuple[float, str] | None: ...
