from __future__ import annotations

import random
from datetime import date

import pytest

from stce.licences.check import LicenceCheck
from stce.licences.determiner import HsSubheadingDeterminer
from stce.licences.model import Licence, LicenceState, WriteOff
from stce.licences.names import name_similarity
from stce.licences.registry import LicenceRegistry
from stce.licences.rules import LicensingRules, eu_rules, load_rules
from stce.licences.scenarios import (
    LICENCE_CODES,
    generate_licence_scenarios,
    scenario_determiner,
    truth_codes,
)
from stce.licences.verify import plan_writeoffs
from stce.model import Declaration, Procedure


def _registry(licences: list[dict[str, object]]) -> LicenceRegistry:
    return LicenceRegistry([LicenceState(licence=Licence.model_validate(x)) for x in licences])


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_each_planted_mismatch_is_its_own_hit_and_clean_ones_raise_nothing(seed: int) -> None:
    sc = generate_licence_scenarios(random.Random(seed), clean=6, repeats=2)
    check = LicenceCheck(_registry(sc.licences), load_rules(), scenario_determiner())
    decls = [Declaration.model_validate(d) for d in sc.declarations]
    truth = {t["declaration_id"]: sorted(truth_codes(t)) for t in sc.truth}
    seen: set[str] = set()
    for decl, hits in zip(decls, check.check(decls), strict=True):
        codes = sorted({h.code for h in hits})
        assert codes == sorted(truth.get(decl.declaration_id, [])), (decl.declaration_id, hits)
        seen.update(codes)
        for h in hits:
            assert h.check == "licences" and h.message and h.evidence
    assert seen == set(LICENCE_CODES)


def _one(code: str) -> tuple[Declaration, LicenceRegistry]:
    for seed in range(50):
        sc = generate_licence_scenarios(random.Random(seed), clean=0)
        for t in sc.truth:
            if truth_codes(t) == {code}:
                d = next(x for x in sc.declarations if x["declaration_id"] == t["declaration_id"])
                return Declaration.model_validate(d), _registry(sc.licences)
    raise AssertionError(code)


def test_hits_explain_themselves() -> None:
    decl, reg = _one("LICENCE_DESTINATION_MISMATCH")
    (hit,) = LicenceCheck(reg, load_rules(), scenario_determiner()).check([decl])[0]
    assert hit.evidence["country"] == decl.country_of_destination
    assert decl.country_of_destination not in hit.evidence["expected"]
    assert decl.country_of_destination in hit.message

    decl, reg = _one("LICENCE_HOLDER_MISMATCH")
    (hit,) = LicenceCheck(reg, load_rules(), scenario_determiner()).check([decl])[0]
    assert hit.evidence["party_role"] == "consignor" and hit.evidence["similarity"] < 0.85

    decl, reg = _one("LICENCE_MISSING")
    (hit,) = LicenceCheck(reg, load_rules(), scenario_determiner()).check([decl])[0]
    assert hit.evidence["item_line"] == 1 and hit.evidence["control_entries"]


def test_no_licence_needed_on_import_or_for_non_strategic_goods() -> None:
    decl, reg = _one("LICENCE_MISSING")
    check = LicenceCheck(reg, load_rules(), scenario_determiner())
    as_import = decl.model_copy(update={"procedure": Procedure.IMPORT})
    assert check.check([as_import]) == [[]]
    nothing = HsSubheadingDeterminer({}, version="none")
    assert LicenceCheck(reg, load_rules(), nothing).check([decl]) == [[]]
    only_export = LicensingRules(procedures=["export"])  # type: ignore[list-item]
    as_transit = decl.model_copy(update={"procedure": Procedure.TRANSIT})
    assert LicenceCheck(reg, only_export, scenario_determiner()).check([as_transit]) == [[]]
    assert LicenceCheck(reg, load_rules(), scenario_determiner()).check([as_transit])[0][
        0
    ].code == ("LICENCE_MISSING")


def test_regime_rules_limit_determination() -> None:
    decl, reg = _one("LICENCE_MISSING")
    regime = scenario_determiner().strategic_items(decl)[0].regimes[0]
    other = "MTCR" if regime != "MTCR" else "AG"
    assert LicenceCheck(reg, LicensingRules(regimes=[other]), scenario_determiner()).check(
        [decl]
    ) == [[]]
    assert LicenceCheck(reg, LicensingRules(regimes=[regime]), scenario_determiner()).check([decl])[
        0
    ]


def test_re_screening_does_not_count_the_declarations_own_write_off() -> None:
    sc = generate_licence_scenarios(random.Random(4), clean=1, repeats=0)
    decl = Declaration.model_validate(sc.declarations[0])
    lic = Licence.model_validate(sc.licences[0])
    item = lic.items[0]
    assert item.quantity is not None
    used = decl.items[0].quantity
    assert used is not None
    # The registry already holds this declaration's write-off (it was cleared before).
    state = LicenceState(
        licence=lic,
        balances={1: {"item_no": 1, "quantity": item.quantity - used, "value": None}},  # type: ignore[dict-item]
        writeoffs=[
            WriteOff(
                licence_number=lic.number,
                item_no=1,
                declaration_id=decl.declaration_id,
                line=1,
                quantity=used,
            )
        ],
    )
    tight = state.model_copy(
        update={"balances": {1: state.balances[1].model_copy(update={"quantity": 0.0})}}
    )
    check = LicenceCheck(LicenceRegistry([tight]), load_rules(), scenario_determiner())
    assert check.check([decl]) == [[]]
    # Someone else's declaration against the exhausted balance is flagged.
    other = decl.model_copy(update={"declaration_id": "OTHER-1"})
    assert [h.code for h in check.check([other])[0]] == ["LICENCE_BALANCE_EXCEEDED"]


def test_two_declarations_in_one_batch_share_the_balance() -> None:
    sc = generate_licence_scenarios(random.Random(5), clean=1, repeats=0)
    decl = Declaration.model_validate(sc.declarations[0])
    lic = Licence.model_validate(sc.licences[0])
    qty = lic.items[0].quantity
    assert qty is not None
    big = decl.items[0].model_copy(update={"quantity": qty * 0.6, "value": None})
    a = decl.model_copy(update={"items": [big]})
    b = a.model_copy(update={"declaration_id": "SECOND"})
    rules = load_rules()
    got = LicenceCheck(
        LicenceRegistry([LicenceState(licence=lic)]), rules, scenario_determiner()
    ).check([a, b])
    assert got[0] == []
    assert [h.code for h in got[1]] == ["LICENCE_BALANCE_EXCEEDED"]
    # Across batches of one run too, until the registry is refreshed.
    check = LicenceCheck(LicenceRegistry([LicenceState(licence=lic)]), rules, scenario_determiner())
    assert check.check([a]) == [[]]
    assert [h.code for h in check.check([b])[0]] == ["LICENCE_BALANCE_EXCEEDED"]
    check.refresh(LicenceRegistry([LicenceState(licence=lic)]))
    assert check.check([b]) == [[]]
    # The same declaration twice in a batch (a resubmission) is not counted twice.
    assert LicenceCheck(
        LicenceRegistry([LicenceState(licence=lic)]), rules, scenario_determiner()
    ).check([a, a]) == [[], []]


def test_tolerance_allows_overrun_within_percentage() -> None:
    sc = generate_licence_scenarios(random.Random(6), clean=1, repeats=0)
    raw = dict(sc.licences[0])
    raw["tolerance_pct"] = 10
    lic = Licence.model_validate(raw)
    qty = lic.items[0].quantity
    assert qty is not None
    decl = Declaration.model_validate(sc.declarations[0])
    check = LicenceCheck(
        LicenceRegistry([LicenceState(licence=lic)]), load_rules(), scenario_determiner()
    )

    def with_qty(q: float) -> Declaration:
        return decl.model_copy(
            update={"items": [decl.items[0].model_copy(update={"quantity": q, "value": None})]}
        )

    assert check.check([with_qty(qty * 1.09)]) == [[]]
    assert [h.code for h in check.check([with_qty(qty * 1.12)])[0]] == ["LICENCE_BALANCE_EXCEEDED"]


def test_general_licence_conditions() -> None:
    decl, reg = _one("LICENCE_NOT_FOUND")
    doc = decl.documents[0].model_copy(update={"id": "EU001"})
    check = LicenceCheck(reg, eu_rules(), scenario_determiner())
    to_japan = decl.model_copy(update={"documents": [doc], "country_of_destination": "JP"})
    assert check.check([to_japan]) == [[]]
    to_india = to_japan.model_copy(update={"country_of_destination": "IN"})
    assert [h.code for h in check.check([to_india])[0]] == ["LICENCE_DESTINATION_MISMATCH"]
    nuclear = HsSubheadingDeterminer.from_codes(
        [decl.items[0].hs_code], "NSG", control_entry="0B001"
    )
    got = LicenceCheck(reg, eu_rules(), nuclear).check([to_japan])[0]
    assert [h.code for h in got] == ["LICENCE_ITEM_NOT_COVERED"]


def test_licence_dates_use_the_declaration_date() -> None:
    decl, reg = _one("LICENCE_NOT_VALID")
    check = LicenceCheck(reg, load_rules(), scenario_determiner())
    (hit,) = check.check([decl])[0]
    assert hit.evidence["field"] in ("status", "validity")


def test_plan_writes_off_in_the_licence_unit() -> None:
    sc = generate_licence_scenarios(random.Random(8), clean=1, repeats=0)
    raw = dict(sc.licences[0])
    item = dict(raw["items"][0])  # type: ignore[index]
    item.update(
        hs_code="293141", control_entry="1C350", unit="TNE", quantity=2.0, value=None, currency=None
    )
    raw["items"] = [item]
    decl = Declaration.model_validate(sc.declarations[0])
    goods = decl.items[0].model_copy(update={"hs_code": "293141", "quantity": 250.0, "unit": "kg"})
    decl = decl.model_copy(update={"items": [goods]})
    (w,) = plan_writeoffs(decl, _registry([raw]), load_rules(), scenario_determiner())
    assert w.quantity == pytest.approx(0.25) and w.line == 1 and w.item_no == 1


def test_name_normalisation() -> None:
    assert name_similarity("Acme Precision GmbH", "ACME PRECISION") == 1.0
    assert name_similarity("Société Générale S.A.", "societe generale") == 1.0
    assert name_similarity("Acme Precision GmbH", "Borealis Trading LLC") < 0.5


def test_declaration_date_defaults_to_as_of() -> None:
    decl, reg = _one("LICENCE_NOT_VALID")
    undated = decl.model_copy(update={"lodged_at": None})
    check = LicenceCheck(reg, load_rules(), scenario_determiner(), as_of=date(2000, 1, 1))
    codes = [h.code for h in check.check([undated])[0]]
    assert "LICENCE_NOT_VALID" in codes


def test_licence_cited_per_line_is_checked_once_and_missing_lines_are_reported() -> None:
    decl, reg = _one("LICENCE_HOLDER_MISMATCH")
    doc = decl.documents[0]
    twice = decl.model_copy(update={"documents": [doc, doc.model_copy(update={"line": 7})]})
    codes = sorted(
        h.code for h in LicenceCheck(reg, load_rules(), scenario_determiner()).check([twice])[0]
    )
    assert codes == ["LICENCE_HOLDER_MISMATCH", "LICENCE_ITEM_NOT_COVERED"]


class _Cand:
    def __init__(self, entry: str, regimes: list[str], watch_only: bool) -> None:
        self.entry, self.regimes, self.watch_only = entry, regimes, watch_only


class _Assess:
    def __init__(self, cands: list[_Cand]) -> None:
        self.candidates = cands
        self.strategic = bool(cands)


class _ListIdentifier:
    """Identifies by a table of HS codes, shaped like stce.goods' identifier."""

    version = "table"

    def __init__(self, table: dict[str, list[_Cand]]) -> None:
        self.table = table
        self.calls = 0

    def identify_many(self, items: object) -> list[_Assess]:
        self.calls += 1
        return [_Assess(self.table.get(i.hs_code[:6], [])) for i in items]  # type: ignore[attr-defined]


def test_goods_identifier_adapter_and_cache() -> None:
    from stce.licences.determiner import CachingDeterminer, IdentifierDeterminer

    decl, reg = _one("LICENCE_MISSING")
    hs = decl.items[0].hs_code[:6]
    ident = _ListIdentifier({hs: [_Cand("2B352", ["AG"], False), _Cand("CHPL-1", ["CHPL"], True)]})
    det = CachingDeterminer(IdentifierDeterminer(ident))
    (item,) = det.strategic_items(decl)
    assert item.control_entries == ("2B352",) and item.regimes == ("AG",)
    assert det.strategic_items(decl) == [item] and ident.calls == 1
    watch = IdentifierDeterminer(_ListIdentifier({hs: [_Cand("CHPL-1", ["CHPL"], True)]}))
    assert watch.strategic_items(decl) == []
    codes = [h.code for h in LicenceCheck(reg, load_rules(), det).check([decl])[0]]
    assert codes == ["LICENCE_MISSING"]


def test_registered_general_licence_has_no_parties_or_balance() -> None:
    decl, reg = _one("LICENCE_HOLDER_MISMATCH")
    state = reg.get(decl.documents[0].id)
    assert state is not None
    raw = {**state.licence.model_dump(mode="json"), "type": "general", "holder": "Any exporter"}
    general = _registry([raw])
    assert LicenceCheck(general, load_rules(), scenario_determiner()).check([decl]) == [[]]
    assert plan_writeoffs(decl, general, load_rules(), scenario_determiner()) == []
    # As an individual licence the same record flags the holder.
    codes = [
        h.code for h in LicenceCheck(reg, load_rules(), scenario_determiner()).check([decl])[0]
    ]
    assert codes == ["LICENCE_HOLDER_MISMATCH"]
