"""The condition language: grammar, semantics, load-time errors, monotonicity and gating."""

from __future__ import annotations

from typing import Any

import pytest

from stce.risk.expr import Compiler, ExprError
from stce.risk.features import EvalContext, root_scope
from stce.risk.history import InMemoryHistory
from tests.risk.builders import decl, hit, item

LISTS = {"hubs": ("AE", "TR", "HK"), "watch": ("2931", "8485", "93")}


def run(text: str, hits: list[Any] | None = None, **overrides: Any) -> Any:
    c = Compiler(root_scope(LISTS))
    fn = c.compile(text).fn
    ctx = EvalContext(decl(**overrides), hits or [], InMemoryHistory(), len(c.definitions), 30)
    return fn(ctx, None)


def test_precedence_and_arithmetic() -> None:
    assert run("1 + 2 * 3 == 7") is True
    assert run("(1 + 2) * 3 == 9") is True
    assert run("not 1 > 2 and 2 > 1") is True
    assert run("true or false and false") is True
    assert run("-2 + 5 == 3") is True
    assert run("10 / 4 == 2.5") is True


def test_declaration_fields_and_collections() -> None:
    assert run('procedure == "export" and destination == "DE"') is True
    assert run('parties.any(role == "consignee" and country == "DE")') is True
    assert run('parties.count(country == "AE")') == 1
    assert run("items.sum(value)") == 5000
    assert run('consignee.name == "Berliner Mode GmbH"') is True
    assert run("end_user == null and end_user.name == null") is True
    assert run("itinerary.any(it in lists.hubs)") is True
    assert run("itinerary[-1] == destination and itinerary[0] == dispatch") is True
    assert run("route_stops == 0 and not route_revisits") is True


def test_null_semantics() -> None:
    # Comparisons and string tests with null are false; arithmetic with null is null.
    assert run("payer > 3") is False
    assert run("payer < 3") is False
    assert run('payer startswith "A"') is False
    assert run('payer matches "."') is False
    no_value = [item("610910", value=None)]
    assert run("total_value + 1 == null", items=no_value) is True
    assert run("total_value <= 150", items=no_value) is False
    assert run("items.max(cas) == null") is True
    assert run("payer_is_party == null") is True


def test_string_operators() -> None:
    items = [item("293141", "DMMP 99%"), item("610910", "cotton t-shirts", line=2)]
    assert run("items.any(hs startswith lists.watch)", items=items) is True
    assert run('items.any(hs startswith "2931")', items=items) is True
    assert run('items.all(hs startswith "2931")', items=items) is False
    assert run('items.any(description contains "DMMP")', items=items) is True
    assert run('items.any(description matches "(?i)\\bdmmp\\b")', items=items) is True
    assert run('items.any(lower(description) endswith "shirts")', items=items) is True
    # A long prefix list takes the set-based path; it must agree with str.startswith.
    many = tuple(f"{n:04d}" for n in range(8400, 8490))
    c = Compiler(root_scope({"many": many}))
    fn = c.compile("items.any(hs startswith lists.many)").fn
    for hs, expected in (("848520", True), ("849000", False), ("293141", False)):
        ctx = EvalContext(decl(items=[item(hs)]), [], InMemoryHistory(), 0, 30)
        assert fn(ctx, None) is expected


def test_hits_and_evidence() -> None:
    hits = [
        hit("parties", "PARTY_LISTED", 0.93, party_role="consignee"),
        hit("countries", "ROUTE_DIVERSION_HUB", country="TR"),
    ]
    assert run('hits.any(code == "PARTY_LISTED" and score >= 0.9)', hits) is True
    assert run('hits.any(code == "PARTY_LISTED" and score >= 0.95)', hits) is False
    assert run('hits.any(evidence.party_role == "consignee")', hits) is True
    assert run('hits.any(evidence["country"] == "TR")', hits) is True
    assert run('hits.where(check == "parties").max(score)', hits) == pytest.approx(0.93)
    assert run("hits.count()", hits) == 2
    listed = [hit("goods", "GOODS_CAS_SCHEDULED", control_entries=["1C350", "CWC-2B"])]
    assert run('hits.any(evidence.control_entries.any(it startswith "CWC-2"))', listed) is True
    assert run('hits.any(evidence.control_entries.any(it startswith "CWC-1"))', listed) is False
    assert run('hits.any(evidence.missing.any(it == "x"))', listed) is False
    assert run("len(hits) == 2", hits) is True


@pytest.mark.parametrize(
    ("text", "column", "reason"),
    [
        ("destination ==", 15, "unexpected 'end of condition'"),
        ("destinaton == 'DE'", 1, "unknown name 'destinaton'"),
        ("consignee.nme == 'x'", 11, "party has no field 'nme'"),
        ("items.first(value > 1)", 7, "unknown method 'first'"),
        ("1 < 2 < 3", 7, "chained comparison"),
        ("payer matches '('", 7, "bad regular expression"),
        ("destination $ 'DE'", 13, "unexpected character '$'"),
        ("it == 1", 1, "only meaningful inside a collection"),
        ("frobnicate(1)", 1, "unknown function 'frobnicate'"),
        ("destination in 'DE'", 13, "use `contains`"),
        ("lists.nope", 7, "has no field 'nope'"),
    ],
)
def test_errors_name_the_column_and_reason(text: str, column: int, reason: str) -> None:
    with pytest.raises(ExprError) as exc:
        Compiler(root_scope(LISTS)).compile(text)
    assert exc.value.column == column
    assert reason in exc.value.reason


@pytest.mark.parametrize(
    "text",
    [
        'not hits.any(code == "PARTY_LISTED")',
        "hits.count() == 1",
        "hits.count() < 2",
        'hits.all(check == "goods")',
        "hits.min(score) >= 0.5",
        'hits.any(code == "X") != true',
        "-hits.count() > -3",
    ],
)
def test_non_monotone_conditions_are_refused(text: str) -> None:
    with pytest.raises(ExprError) as exc:
        Compiler(root_scope({})).condition(text)
    assert "adding evidence never lowers a score" in str(exc.value)


@pytest.mark.parametrize(
    "text",
    [
        'hits.any(code == "PARTY_LISTED")',
        "hits.count() >= 2",
        "hits.max(score) > 0.8",
        'not parties.any(role == "end_user") and hits.any(check == "goods")',
        'items.all(hits.any(code == "X"))',
        "len(hits) > 0",
        'payer_is_party == false or hits.where(check == "goods").count() >= 1',
    ],
)
def test_monotone_conditions_are_accepted(text: str) -> None:
    Compiler(root_scope({})).condition(text)


def test_gate_codes_are_derived_from_conditions() -> None:
    c = Compiler(root_scope({"codes": ("A", "B")}))
    assert c.compile('hits.any(code == "X" and score > 0.5)').requires == {"X"}
    assert c.compile("hits.any(code in lists.codes)").requires == {"A", "B"}
    assert c.compile('hits.any(code == "X") or hits.any(code == "Y")').requires == {"X", "Y"}
    assert c.compile('hits.any(code == "X") and destination == "DE"').requires == {"X"}
    assert c.compile('hits.any(code == "X") or destination == "DE"').requires is None
    assert c.compile('hits.any(check == "goods")').requires is None
    c.define("listed", 'hits.any(code == "PARTY_LISTED")')
    assert c.compile('listed and destination == "IR"').requires == {"PARTY_LISTED"}


def test_definitions_are_memoised_per_declaration() -> None:
    calls: list[int] = []
    c = Compiler(root_scope({}))
    c.define("sensitive", 'items.any(hs startswith "2931")')
    inner = c.definitions.compiled["sensitive"].fn

    def counting(ctx: Any, e: Any) -> Any:
        calls.append(1)
        return inner(ctx, e)

    fn = c.compile("sensitive and sensitive and sensitive").fn
    ctx = EvalContext(decl(items=[item("293141")]), [], InMemoryHistory(), 1, 30)
    assert fn(ctx, None) is True
    assert ctx.memo[0][0] is True  # computed once, then read from the memo
    assert len(ctx.matched) == 3  # the matching item, replayed for each reader
    assert counting(ctx, None) is True and calls == [1]
    with pytest.raises(ExprError, match="shadows"):
        c.define("destination", "1")


def test_strings_keep_unknown_escapes_for_regexes() -> None:
    assert run('consignee.name matches "\\bMode\\b"') is True
    assert run('"a\\tb" contains "\\t"') is True
