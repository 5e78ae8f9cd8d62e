"""Scoring, lanes, hard rules, shadow and draft rules, random selection and explanations."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stce.model import Lane, Severity
from stce.risk import RiskEngine, build_engine
from stce.risk.history import InMemoryHistory
from stce.risk.pack import Pack, load_default_pack, loads_pack
from stce.risk.selectivity import RuleEngine, random_draw
from tests.risk.builders import decl, hit, item

PACK_YAML = """
pack: {id: test, version: "1", title: Test pack}
lanes:
  default: {red: 0.7, yellow: 0.4, blue: 0.2}
  overrides:
    - {channels: [ecommerce], red: 0.9, yellow: 0.6, blue: 0.3}
selection: {rate: 0.0, seed: s}
rules:
  - id: HALF_A
    title: half a
    rationale: test
    source: test source
    condition: hits.any(code == "A")
    weight: 0.5
  - id: HALF_B
    title: half b
    rationale: test
    source: test source
    condition: hits.any(code == "B")
    weight: 0.5
  - id: HARD
    title: hard rule
    rationale: test
    source: test source
    condition: hits.any(code == "H")
    lane: red
  - id: STRONG
    title: scaled by the hit score
    rationale: test
    source: test source
    condition: hits.any(code == "S")
    strength: hits.where(code == "S").max(score)
    weight: 1.0
  - id: SHADOWED
    title: shadow rule
    rationale: test
    source: test source
    condition: hits.any(code == "A")
    weight: 0.9
    status: shadow
  - id: DRAFTED
    title: draft rule
    rationale: test
    source: test source
    condition: hits.any(code == "A")
    weight: 0.9
    status: draft
  - id: RETIRED_ONE
    title: retired rule
    rationale: test
    source: test source
    condition: hits.any(code == "A")
    weight: 0.9
    status: retired
  - id: LATER
    title: in force from 2027
    rationale: test
    source: test source
    condition: hits.any(code == "A")
    weight: 0.9
    effective_from: 2027-01-01
  - id: IMPORTS_ONLY
    title: imports only
    rationale: test
    source: test source
    condition: hits.any(code == "A")
    weight: 0.9
    procedures: [import]
"""


@pytest.fixture(scope="module")
def pack() -> Pack:
    return loads_pack(PACK_YAML, "test.yaml")


def engine(pack: Pack, **kw: object) -> RuleEngine:
    return RuleEngine(pack, InMemoryHistory(), learn=False, **kw)  # type: ignore[arg-type]


def test_engine_implements_the_protocol(pack: Pack) -> None:
    e: RiskEngine = engine(pack)
    assert e.version.startswith("rules:test@1#")


def test_noisy_or_score_and_thresholds(pack: Pack) -> None:
    e = engine(pack)
    assert e.assess(decl(), []).lane == Lane.GREEN
    one = e.assess(decl(), [hit("x", "A")])
    assert one.score == pytest.approx(0.5) and one.lane == Lane.YELLOW
    two = e.assess(decl(), [hit("x", "A"), hit("x", "B")])
    assert two.score == pytest.approx(0.75) and two.lane == Lane.RED
    assert two.fired == ("HALF_A", "HALF_B")


def test_thresholds_per_channel(pack: Pack) -> None:
    e = engine(pack)
    parcel = decl(channel="ecommerce")
    assert e.assess(parcel, [hit("x", "A")]).lane == Lane.BLUE
    assert e.assess(parcel, [hit("x", "A"), hit("x", "B")]).lane == Lane.YELLOW


def test_strength_scales_the_weight(pack: Pack) -> None:
    a = engine(pack).assess(decl(), [hit("x", "S", 0.55)])
    assert a.score == pytest.approx(0.55)
    assert a.lane == Lane.YELLOW


def test_hard_rule_forces_red_whatever_the_score(pack: Pack) -> None:
    a = engine(pack).assess(decl(channel="ecommerce"), [hit("x", "H")])
    assert a.lane == Lane.RED and a.forced
    assert "hard rule" in a.explanation


def test_shadow_rules_record_but_do_not_change_the_lane(pack: Pack) -> None:
    a = engine(pack).assess(decl(), [hit("x", "A")])
    assert a.shadow == ("SHADOWED",)
    assert a.score == pytest.approx(0.5)
    shadow_hit = next(h for h in a.hits if h.code == "SHADOWED")
    assert shadow_hit.check == "rules" and shadow_hit.severity == Severity.INFO
    assert shadow_hit.evidence["shadow"] is True
    assert "SHADOWED" in a.explanation and "no effect on the lane" in a.explanation


def test_draft_and_retired_rules_do_not_run_unless_promoted(pack: Pack) -> None:
    plain = engine(pack).assess(decl(), [hit("x", "A")])
    assert "DRAFTED" not in plain.fired and "RETIRED_ONE" not in plain.fired
    from stce.risk.pack import Status

    promoted = engine(pack, promote=(Status.DRAFT, Status.SHADOW)).assess(decl(), [hit("x", "A")])
    assert {"DRAFTED", "SHADOWED"} <= set(promoted.fired)
    assert "RETIRED_ONE" not in promoted.fired


def test_effective_dates_follow_the_lodgement_date(pack: Pack) -> None:
    e = engine(pack)
    assert "LATER" not in e.assess(decl(lodged_at="2026-12-31T23:00:00Z"), [hit("x", "A")]).fired
    assert "LATER" in e.assess(decl(lodged_at="2027-01-02T08:00:00Z"), [hit("x", "A")]).fired
    undated = decl(lodged_at=None)
    assert "LATER" in engine(pack, as_of=date(2027, 3, 1)).assess(undated, [hit("x", "A")]).fired


def test_rules_apply_to_their_procedures(pack: Pack) -> None:
    e = engine(pack)
    assert "IMPORTS_ONLY" not in e.assess(decl(), [hit("x", "A")]).fired
    assert "IMPORTS_ONLY" in e.assess(decl(procedure="import"), [hit("x", "A")]).fired


def test_hits_and_explanation(pack: Pack) -> None:
    original = [hit("parties", "A", 0.8)]
    a = engine(pack).assess(decl(), original)
    assert a.hits[0] == original[0]
    rule_hit = next(h for h in a.hits if h.code == "HALF_A")
    assert rule_hit.check == "rules"
    assert rule_hit.evidence["because"] == ["parties/A 0.80"]
    assert rule_hit.evidence["source"] == ["test source"]
    assert "HALF_A" in a.explanation and "because parties/A 0.80" in a.explanation
    assert a.explanation.startswith("YELLOW (documentary check), score 0.50")


def test_random_selection_is_seeded_and_reproducible(pack: Pack) -> None:
    ids = [f"D{i}" for i in range(4000)]
    e1 = engine(pack, random_rate=0.05, seed="abc")
    e2 = engine(pack, random_rate=0.05, seed="abc")
    e3 = engine(pack, random_rate=0.05, seed="xyz")
    lanes1 = [e1.assess(decl(declaration_id=i), []) for i in ids]
    lanes2 = [e2.assess(decl(declaration_id=i), []) for i in ids]
    lanes3 = [e3.assess(decl(declaration_id=i), []) for i in ids]
    picked1 = {i for i, a in zip(ids, lanes1, strict=True) if a.random_selected}
    picked2 = {i for i, a in zip(ids, lanes2, strict=True) if a.random_selected}
    picked3 = {i for i, a in zip(ids, lanes3, strict=True) if a.random_selected}
    assert picked1 == picked2
    assert picked1 != picked3
    assert 0.03 < len(picked1) / len(ids) < 0.07
    a = next(x for x in lanes1 if x.random_selected)
    assert a.lane == Lane.YELLOW
    assert any(h.code == "RANDOM_SELECTION" for h in a.hits)
    assert "random selection" in a.explanation
    assert 0 <= random_draw("abc", "D1") < 1


def test_random_selection_only_raises_lanes(pack: Pack) -> None:
    e = engine(pack, random_rate=1.0)
    assert e.assess(decl(), []).random_selected
    blue = e.assess(decl(channel="ecommerce"), [hit("x", "A")])  # 0.5 is blue for parcels
    assert blue.lane == Lane.YELLOW and blue.random_selected
    red = e.assess(decl(), [hit("x", "H")])
    assert red.lane == Lane.RED and not red.random_selected
    yellow = e.assess(decl(), [hit("x", "A")])
    assert yellow.lane == Lane.YELLOW and not yellow.random_selected


def test_build_engine_for_the_pipeline(monkeypatch: pytest.MonkeyPatch) -> None:
    from stce.config import get_settings
    from stce.pipeline.context import ScreeningContext

    ctx = ScreeningContext(settings=get_settings())
    e = build_engine(ctx)
    assert ctx.versions["rules"].startswith("stce-default@")
    assert e.random_rate == load_default_pack().spec.selection.rate
    monkeypatch.setenv("STCE_RANDOM_RATE", "0.2")
    monkeypatch.setenv("STCE_RANDOM_SEED", "other")
    e2 = build_engine(ctx)
    assert e2.random_rate == 0.2 and e2.seed == "other"


def test_the_engine_learns_from_the_stream() -> None:
    hist = InMemoryHistory()
    e = RuleEngine(load_default_pack(), hist)
    for i in range(3):
        e.assess(decl(declaration_id=f"D{i}"), [])
    assert hist.declarations() == 3
    assert hist.party_declarations("berliner mode gmbh") == 3


# ------------------------------------------------------------------------- properties

CODES = [
    ("parties", "PARTY_LISTED"),
    ("parties", "PARTY_POSSIBLE_MATCH"),
    ("parties", "WALLET_LISTED"),
    ("goods", "GOODS_STRATEGIC"),
    ("goods", "GOODS_CAS_SCHEDULED"),
    ("goods", "GOODS_HS_WATCHLIST"),
    ("goods", "GOODS_MISCLASSIFIED"),
    ("goods", "GOODS_VAGUE_DESCRIPTION"),
    ("countries", "DESTINATION_EMBARGOED"),
    ("countries", "DESTINATION_SANCTIONED"),
    ("countries", "END_USER_COUNTRY_EMBARGOED"),
    ("countries", "ROUTE_EMBARGOED"),
    ("countries", "ROUTE_DIVERSION_HUB"),
    ("countries", "PARTY_COUNTRY_SANCTIONED"),
    ("licences", "LICENCE_MISSING"),
    ("licences", "LICENCE_NOT_VALID"),
    ("licences", "LICENCE_END_USER_MISMATCH"),
    ("movements", "CHAIN_RELABELLED"),
    ("movements", "REEXPORT_CONTROLLED_NO_LICENCE"),
    ("validation", "HS_2017_ONLY"),
]
hits_st = st.lists(
    st.builds(
        lambda cc, score, sched, lst, country: hit(
            cc[0], cc[1], score, schedule=sched, list=lst, country=country
        ),
        st.sampled_from(CODES),
        st.floats(0.0, 1.0),
        st.sampled_from(["1", "2", "3"]),
        st.sampled_from(["un_arms_embargo", "un_arms_embargo_targeted", "wmd_sanctioned"]),
        st.sampled_from(["TR", "DE", "IR"]),
    ),
    max_size=6,
)
decl_st = st.builds(
    lambda hs, channel, procedure, dest, method: decl(
        items=[item(hs, "parts")],
        channel=channel,
        procedure=procedure,
        country_of_destination=dest,
        itinerary=["AE", dest],
        payment={"method": method},
    ),
    st.sampled_from(["610910", "293141", "848520", "930690", "851713"]),
    st.sampled_from(["cargo", "ecommerce", "postal"]),
    st.sampled_from(["export", "import", "transit", "reexport", "ftz_exit"]),
    st.sampled_from(["DE", "TR", "IR", "RU"]),
    st.sampled_from(["wire", "cash", "crypto"]),
)
DEFAULT = load_default_pack()


@settings(max_examples=150, deadline=None)
@given(d=decl_st, before=hits_st, extra=hits_st, rate=st.sampled_from([0.0, 0.3, 1.0]))
def test_adding_evidence_never_lowers_the_score(d, before, extra, rate) -> None:  # type: ignore[no-untyped-def]
    e = RuleEngine(DEFAULT, InMemoryHistory(), learn=False, random_rate=rate)
    a = e.assess(d, before)
    b = e.assess(d, before + extra)
    assert b.score >= a.score - 1e-12
    assert b.lane.rank >= a.lane.rank
    assert set(a.fired) <= set(b.fired)


@settings(max_examples=100, deadline=None)
@given(d=decl_st, hits=hits_st, seed=st.text(min_size=1, max_size=8), rate=st.floats(0, 1))
def test_same_input_pack_and_seed_give_the_same_lane(d, hits, seed, rate) -> None:  # type: ignore[no-untyped-def]
    a = RuleEngine(DEFAULT, InMemoryHistory(), seed=seed, random_rate=rate).assess(d, hits)
    b = RuleEngine(DEFAULT, InMemoryHistory(), seed=seed, random_rate=rate).assess(d, hits)
    assert (a.lane, a.score, a.fired, a.random_selected) == (
        b.lane,
        b.score,
        b.fired,
        b.random_selected,
    )
    assert a.explanation == b.explanation


def test_engine_pickles_for_workers(pack: Pack) -> None:
    import pickle

    e = engine(pack, random_rate=0.5, seed="w")
    e.assess(decl(), [hit("x", "A")])
    clone = pickle.loads(pickle.dumps(e))
    assert clone.pack.label == e.pack.label and clone.seed == "w"
    for i in range(20):
        d = decl(declaration_id=f"P{i}")
        a, b = e.assess(d, [hit("x", "A")]), clone.assess(d, [hit("x", "A")])
        assert (a.lane, a.score, a.fired, a.random_selected) == (
            b.lane,
            b.score,
            b.fired,
            b.random_selected,
        )
    default = pickle.loads(pickle.dumps(load_default_pack()))
    assert len(default.rules) == len(load_default_pack().rules)
