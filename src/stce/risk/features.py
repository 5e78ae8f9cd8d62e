"""The names a rule condition can use: the declaration, its parties and items, the hits of the
other checks, the history, and the pack's named lists.

Each field is a getter `(ctx, element) -> value` over an `EvalContext` built once per
declaration. Fields that cost something (totals, name normalisation, history look-ups) are
computed on first use and cached in the context, so a rule pays only for what it reads.
`stce rules fields` prints this schema with its documentation.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from stce.model import Declaration, Hit, Party
from stce.risk.countries import country_lists
from stce.risk.expr import (
    ANYT,
    BOOL,
    INC,
    MAP,
    NUM,
    STR,
    STR_LIST,
    UNSET,
    Scope,
    Type,
    coll,
    record,
)
from stce.risk.history import (
    History,
    InMemoryHistory,
    consignment_pair,
    party_key,
    unit_value_basis,
)

_MISSING: Any = object()

EXPORT_SIDE = {"export", "reexport", "ftz_exit", "transit", "transshipment"}
"""Procedures where the trader is the consignor (goods leave); otherwise the consignee."""


class EvalContext:
    """Everything a compiled condition reads for one declaration."""

    __slots__ = ("_by_code", "cache", "decl", "history", "hits", "matched", "memo", "window_days")

    def __init__(
        self,
        decl: Declaration,
        hits: Sequence[Hit],
        history: History,
        n_definitions: int,
        window_days: int,
    ) -> None:
        self.decl = decl
        self.hits = hits
        self.history = history
        self.memo: list[Any] = [UNSET] * n_definitions
        self.cache: dict[Any, Any] = {}
        self.matched: list[Any] = []
        self.window_days = window_days
        self._by_code: dict[str, list[Hit]] | None = None

    def by_code(self) -> dict[str, list[Hit]]:
        """The hits grouped by code (built on first use): rules look hits up by code."""
        idx = self._by_code
        if idx is None:
            idx = {}
            for h in self.hits:
                lst = idx.get(h.code)
                if lst is None:
                    idx[h.code] = [h]
                else:
                    lst.append(h)
            self._by_code = idx
        return idx

    def cached(self, key: Any, compute: Callable[[EvalContext], Any]) -> Any:
        v = self.cache.get(key, _MISSING)
        if v is _MISSING:
            v = self.cache[key] = compute(self)
        return v


def _nullsafe(attr: str) -> Callable[[Any, Any], Any]:
    def get(c: Any, e: Any) -> Any:
        return None if e is None else getattr(e, attr)

    return get


def _first_party(role: str) -> Callable[[Any, Any], Any]:
    def get(c: EvalContext, e: Any) -> Party | None:
        for p in c.decl.parties:
            if p.role == role:
                return p
        return None

    return get


# --------------------------------------------------------------------------- scopes


def hit_scope() -> Scope:
    s = Scope("hit")
    s.add("check", STR, lambda c, e: e.check, "name of the check that produced the hit")
    s.add("code", STR, lambda c, e: e.code, "stable hit code, e.g. PARTY_LISTED")
    s.add("severity", STR, lambda c, e: e.severity, "info, low, medium, high or critical")
    s.add("severity_rank", NUM, lambda c, e: e.severity.rank, "0 (info) … 4 (critical)")
    s.add("score", NUM, lambda c, e: e.score, "strength of the evidence, 0..1")
    s.add("message", STR, lambda c, e: e.message, "the sentence an officer reads")
    s.add("evidence", MAP, lambda c, e: e.evidence, "evidence map (entry_id, country, list…)")
    return s


def party_scope() -> Scope:
    s = Scope("party")
    # Enumerations are StrEnums: they compare and hash as their string value, no `.value` needed.
    s.add("role", STR, _nullsafe("role"), "consignor, consignee, end_user, declarant…")
    s.add("name", STR, _nullsafe("name"), "name as declared")
    s.add("country", STR, _nullsafe("country"), "ISO 3166 alpha-2 country of the address")
    s.add("address", STR, _nullsafe("address"), "address as declared")
    s.add("id", STR, _nullsafe("id"), "trader id (EORI, tax id)")
    s.add(
        "previous",
        NUM,
        lambda c, e: 0 if e is None else c.history.party_declarations(party_key(e.name)),
        "earlier declarations naming this party (history)",
    )
    s.add(
        "offences",
        NUM,
        lambda c, e: (
            0
            if e is None or not c.history.offenders()
            else c.history.party_offences(party_key(e.name))
        ),
        "earlier inspections of this party's declarations that found something (history)",
    )
    return s


def _unit_value(c: EvalContext, e: Any) -> float | None:
    uv = unit_value_basis(e)
    return None if uv is None else uv[1]


def _usual_unit_value(c: EvalContext, e: Any) -> float | None:
    uv = unit_value_basis(e)
    if uv is None:
        return None
    return c.history.usual_unit_value(e.hs_code[:6], uv[0])


def _unit_value_ratio(c: EvalContext, e: Any) -> float | None:
    uv = unit_value_basis(e)
    if uv is None:
        return None
    usual = c.history.usual_unit_value(e.hs_code[:6], uv[0])
    return None if not usual else uv[1] / usual


def _unit_value_deviation(c: EvalContext, e: Any) -> float | None:
    r = _unit_value_ratio(c, e)
    return None if not r else (r if r >= 1 else 1 / r)


def item_scope() -> Scope:
    s = Scope("item")
    s.add("line", NUM, lambda c, e: e.line, "goods item number")
    s.add("hs", STR, lambda c, e: e.hs_code, "declared commodity code (6 to 10 digits)")
    s.add("hs6", STR, lambda c, e: e.hs_code[:6], "HS subheading")
    s.add("hs4", STR, lambda c, e: e.hs_code[:4], "HS heading")
    s.add("chapter", STR, lambda c, e: e.hs_code[:2], "HS chapter")
    s.add("description", STR, lambda c, e: e.description, "goods description as declared")
    s.add("cas", STR, lambda c, e: e.cas, "CAS registry number")
    s.add("quantity", NUM, lambda c, e: e.quantity, "quantity in `unit`")
    s.add("unit", STR, lambda c, e: e.unit, "unit of quantity")
    s.add("net_mass_kg", NUM, lambda c, e: e.net_mass_kg, "net mass in kg")
    s.add("value", NUM, lambda c, e: e.value, "declared value")
    s.add("currency", STR, lambda c, e: e.currency, "ISO 4217 currency of the value")
    s.add("origin", STR, lambda c, e: e.origin, "country of origin")
    s.add("unit_value", NUM, _unit_value, "value per kg (or per declared unit)")
    s.add(
        "usual_unit_value",
        NUM,
        _usual_unit_value,
        "geometric-mean unit value of the HS subheading in the history (null if too few)",
    )
    s.add(
        "unit_value_ratio",
        NUM,
        _unit_value_ratio,
        "unit_value / usual_unit_value (null if either is unknown)",
    )
    s.add(
        "unit_value_deviation",
        NUM,
        _unit_value_deviation,
        "how many times the unit value is above or below the usual (>= 1; null if unknown)",
    )
    return s


def document_scope() -> Scope:
    s = Scope("document")
    s.add("type", STR, lambda c, e: e.type, "document type, e.g. licence")
    s.add("id", STR, lambda c, e: e.id, "document number")
    s.add("line", NUM, lambda c, e: e.line, "goods item covered")
    s.add("quantity", NUM, lambda c, e: e.quantity, "write-off quantity")
    s.add("value", NUM, lambda c, e: e.value, "write-off amount")
    return s


def wallet_scope() -> Scope:
    s = Scope("wallet")
    s.add("chain", STR, lambda c, e: e.chain, "asset ticker, e.g. XBT, ETH")
    s.add("address", STR, lambda c, e: e.address, "wallet address")
    return s


def _route(c: EvalContext) -> list[str]:
    d = c.decl
    out: list[str] = []
    for code in (d.country_of_dispatch, *d.itinerary, d.country_of_destination):
        if code and (not out or out[-1] != code):
            out.append(code)
    return out


def _route_revisits(c: EvalContext, e: Any) -> bool:
    route: list[str] = c.cached("route", _route)
    return len(set(route)) < len(route)


def _total_value(c: EvalContext) -> float | None:
    values = [i.value for i in c.decl.items if i.value is not None]
    return sum(values) if values else None


def _payer_is_party(c: EvalContext, e: Any) -> bool | None:
    p = c.decl.payment
    if p is None or not p.payer:
        return None
    payer = party_key(p.payer)
    return any(party_key(x.name) == payer for x in c.decl.parties)


def _trader(c: EvalContext) -> Party | None:
    d = c.decl
    role = "consignor" if d.procedure in EXPORT_SIDE else "consignee"
    fallback = None
    for p in d.parties:
        if p.role == role:
            return p
        if fallback is None and p.role == "declarant":
            fallback = p
    return fallback


def _pair(c: EvalContext) -> tuple[int, float]:
    pair = consignment_pair(c.decl)
    if pair is None:
        return 0, 0.0
    return c.history.pair_recent(pair[0], pair[1], c.decl.lodged_at, c.window_days)


def history_scope() -> Scope:
    s = Scope("history")
    s.add(
        "declarations",
        NUM,
        lambda c, e: c.history.declarations(),
        "declarations the history has seen (its coverage; 0 when empty)",
    )
    return s


def pair_scope() -> Scope:
    s = Scope("pair")
    s.add(
        "recent_count",
        NUM,
        lambda c, e: c.cached("pair", _pair)[0],
        "earlier consignments between the same consignor and consignee within the window",
    )
    s.add(
        "recent_value",
        NUM,
        lambda c, e: c.cached("pair", _pair)[1],
        "their total declared value",
    )
    s.add("window_days", NUM, lambda c, e: c.window_days, "the window, in days")
    return s


def lists_scope(lists: Mapping[str, tuple[str, ...]]) -> Scope:
    s = Scope("lists")
    for name, values in lists.items():
        s.constant(name, STR_LIST, values, f"pack list {name}")
    return s


def countries_scope() -> Scope:
    """The curated country lists of `risk/data/countries.yaml`, by key (e.g. `diversion_hubs`)."""
    s = Scope("countries")
    for key, lst in country_lists().lists.items():
        s.constant(key, STR_LIST, tuple(sorted(lst.notes)), f"{lst.title} ({lst.source})")
    return s


def root_scope(lists: Mapping[str, tuple[str, ...]]) -> Scope:
    """The declaration scope of a pack whose named lists are `lists`."""
    ps = party_scope()
    s = Scope("declaration")
    s.add("declaration_id", STR, lambda c, e: c.decl.declaration_id, "declaration id")
    s.add("procedure", STR, lambda c, e: c.decl.procedure, "export, import, transit…")
    s.add("channel", STR, lambda c, e: c.decl.channel, "cargo, ecommerce or postal")
    s.add("office", STR, lambda c, e: c.decl.office, "customs office")
    s.add("destination", STR, lambda c, e: c.decl.country_of_destination, "destination country")
    s.add("dispatch", STR, lambda c, e: c.decl.country_of_dispatch, "country of dispatch")
    s.add("itinerary", STR_LIST, lambda c, e: c.decl.itinerary, "countries of routing, in order")
    s.add(
        "route",
        STR_LIST,
        lambda c, e: c.cached("route", _route),
        "dispatch, itinerary and destination, consecutive repeats removed",
    )
    s.add("route_length", NUM, lambda c, e: len(c.decl.itinerary), "number of routing countries")
    s.add(
        "route_stops",
        NUM,
        lambda c, e: max(0, len(c.cached("route", _route)) - 2),
        "countries on the route between dispatch and destination",
    )
    s.add("route_revisits", BOOL, _route_revisits, "the route passes a country twice")
    s.add(
        "transport_mode",
        STR,
        lambda c, e: None if c.decl.transport is None else c.decl.transport.mode,
        "sea, air, road, rail, post…",
    )
    s.add("parties", coll(ps), lambda c, e: c.decl.parties, "all parties")
    for role in (
        "consignor",
        "consignee",
        "end_user",
        "buyer",
        "seller",
        "declarant",
        "notify_party",
        "freight_forwarder",
    ):
        s.add(role, record(ps), _first_party(role), f"first party with role {role} (or null)")
    s.add(
        "trader",
        record(ps),
        lambda c, e: c.cached("trader", _trader),
        "consignor on exports, consignee on imports",
    )
    s.add("items", coll(item_scope()), lambda c, e: c.decl.items, "goods items")
    s.add("item_count", NUM, lambda c, e: len(c.decl.items), "number of goods items")
    s.add(
        "total_value", NUM, lambda c, e: c.cached("total_value", _total_value), "sum of item values"
    )
    s.add(
        "documents", coll(document_scope()), lambda c, e: c.decl.documents, "additional documents"
    )
    s.add(
        "wallets",
        coll(wallet_scope()),
        lambda c, e: () if c.decl.payment is None else c.decl.payment.wallets,
        "payment wallets",
    )
    s.add(
        "payment_method",
        STR,
        lambda c, e: (
            None
            if c.decl.payment is None or c.decl.payment.method is None
            else c.decl.payment.method.lower()
        ),
        "payment method, lower case (wire, cash, crypto, card…)",
    )
    s.add(
        "payer",
        STR,
        lambda c, e: None if c.decl.payment is None else c.decl.payment.payer,
        "who pays, as declared",
    )
    s.add("payer_is_party", BOOL, _payer_is_party, "the payer is named as a party (null: no payer)")
    s.add(
        "in_free_zone",
        BOOL,
        lambda c, e: c.decl.ftz is not None,
        "the movement involves a free zone",
    )
    s.add(
        "free_zone",
        STR,
        lambda c, e: None if c.decl.ftz is None else c.decl.ftz.zone_id,
        "free zone id",
    )
    s.add(
        "hits",
        coll(hit_scope(), evidence=True),
        lambda c, e: c.hits,
        "hits of the other checks (the evidence)",
        mono=INC,
    )
    s.add("history", record(history_scope()), lambda c, e: None, "coverage of the history")
    s.add("pair", record(pair_scope()), lambda c, e: None, "consignor–consignee pair history")
    s.add("lists", record(lists_scope(lists)), lambda c, e: None, "the pack's named lists")
    s.add(
        "countries",
        record(countries_scope()),
        lambda c, e: None,
        "the curated country lists (embargoes, sanctions, diversion hubs)",
    )
    return s


def describe(scope: Scope, prefix: str = "") -> list[tuple[str, str, str]]:
    """(name, type, doc) of every field reachable from `scope`, for documentation."""
    out: list[tuple[str, str, str]] = []
    for name, fd in scope.fields.items():
        out.append((prefix + name, str(fd.type), fd.doc))
        t: Type = fd.type
        if t.scope is not None and t.kind in ("coll", "record"):
            inner = f"{prefix}{name}[]." if t.kind == "coll" else f"{prefix}{name}."
            if not (t.kind == "record" and t.scope.name == "party" and name != "trader"):
                out.extend(describe(t.scope, inner))
    return out


def empty_history() -> InMemoryHistory:
    return InMemoryHistory()


__all__ = ["ANYT", "EvalContext", "describe", "empty_history", "root_scope"]
