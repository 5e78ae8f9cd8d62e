"""The `goods` check over declarations: hit codes, severities and evidence."""

from __future__ import annotations

import pytest

from stce.config import get_settings
from stce.goods.check import GoodsCheck, build_check
from stce.goods.identify import GoodsIdentifier, GoodsQuery
from stce.model import Check, Declaration, Severity
from stce.pipeline.context import ScreeningContext
from stce.refdata.hs import HsNomenclature


def _decl(did: str, *items: tuple[str, str, str | None]) -> Declaration:
    return Declaration.model_validate(
        {
            "declaration_id": did,
            "procedure": "export",
            "items": [
                {"line": i, "hs_code": hs, "description": d, "cas": cas}
                for i, (d, hs, cas) in enumerate(items, start=1)
            ],
        }
    )


def test_build_check_implements_the_protocol(hs: HsNomenclature) -> None:
    ctx = ScreeningContext(settings=get_settings(), hs=hs)
    check = build_check(ctx)
    assert isinstance(check, Check)
    assert check.name == "goods"
    assert "goods-kb:" in check.version
    assert ctx.versions["goods_kb"].startswith("goods-kb:")


def test_hits_per_declaration_in_order(ident: GoodsIdentifier) -> None:
    check = GoodsCheck(ident)
    batch = [
        _decl("D1", ("t-shirts", "610910", None), ("stainless steel cutlery", "821599", None)),
        _decl("D2", ("t-shirts", "610910", None), ("thiodiglycol", "340290", None)),
        _decl("D3", ("pressure gauges", "902620", None)),
    ]
    out = check.check(batch)
    assert len(out) == 3
    assert out[0] == []
    codes = {h.code for h in out[1]}
    assert codes == {"GOODS_STRATEGIC", "GOODS_CAS_SCHEDULED", "GOODS_MISCLASSIFIED"}
    strat = next(h for h in out[1] if h.code == "GOODS_STRATEGIC")
    assert strat.evidence["item_line"] == 2
    assert set(strat.evidence["control_entries"]) >= {"CWC-2B13", "1C350"}
    assert "CWC" in strat.evidence["regimes"]
    assert strat.evidence["reasons"]
    assert 0 < strat.evidence["confidence"] <= 1
    assert strat.declaration_id == "D2"
    assert [h.code for h in out[2]] == ["GOODS_HS_WATCHLIST"]


def test_severity_follows_the_regime(ident: GoodsIdentifier) -> None:
    check = GoodsCheck(ident)
    out = check.check(
        [
            _decl("S1", ("chemical", "293159", "107-44-8")),  # sarin: CWC Schedule 1
            _decl("S2", ("gas centrifuge rotor", "840120", None)),  # NSG trigger list
            _decl("S3", ("triethanolamine", "292215", None)),  # CWC Schedule 3 / AG
        ]
    )
    by = [{h.code: h for h in hits} for hits in out]
    assert by[0]["GOODS_STRATEGIC"].severity is Severity.CRITICAL
    assert by[0]["GOODS_CAS_SCHEDULED"].severity is Severity.CRITICAL
    assert by[1]["GOODS_STRATEGIC"].severity is Severity.CRITICAL
    assert by[2]["GOODS_STRATEGIC"].severity is Severity.MEDIUM
    assert by[2]["GOODS_CAS_SCHEDULED"].severity is Severity.HIGH


def test_vague_description_hit(ident: GoodsIdentifier) -> None:
    out = GoodsCheck(ident).check([_decl("V1", ("spare parts", "841410", None))])
    codes = [h.code for h in out[0]]
    assert "GOODS_VAGUE_DESCRIPTION" in codes
    vague = next(h for h in out[0] if h.code == "GOODS_VAGUE_DESCRIPTION")
    assert vague.evidence["item_line"] == 1 and vague.evidence["reasons"]


def test_hs2017_code_reported_in_evidence(ident: GoodsIdentifier) -> None:
    out = GoodsCheck(ident).check([_decl("H1", ("tritium gas", "284440", None))])
    hit = next(h for h in out[0] if h.code == "GOODS_STRATEGIC")
    assert hit.evidence["hs_status"] == "hs2017_only"
    assert "284441" in hit.evidence["hs2022_successors"]
    assert hit.public()["evidence"]["control_entries"][0] == "1C235"


def test_determiner_reuses_the_goods_check_answers(
    hs: HsNomenclature, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The licence/movement determiner of a run asks about the lines the goods check just
    identified: it gets the same answers without identifying them again."""
    from stce.licences.determiner import IdentifierDeterminer

    ident = GoodsIdentifier(hs=hs)
    batch = [
        _decl("D1", ("thiodiglycol", "293090", None), ("t-shirts", "610910", None)),
        _decl("D2", ("capacitance manometer 0-100 torr", "902620", None)),
    ]
    GoodsCheck(ident).check(batch)
    want = [ident.identify(it) for d in batch for it in d.items]

    def again(*args: object) -> None:
        raise AssertionError("line identified twice")

    monkeypatch.setattr(ident, "_assess", again)
    got = [a for d in batch for a in ident.identify_many(d.items)]
    assert got == want
    det = IdentifierDeterminer(ident)
    (thiodiglycol,) = det.strategic_items(batch[0])
    assert thiodiglycol.line == 1
    assert thiodiglycol.control_entries == tuple(
        c.entry for c in want[0].candidates if not c.watch_only
    )
    assert [s.line for s in det.strategic_items(batch[1])] == [1]
    # a line the goods check did not see is still identified
    with pytest.raises(AssertionError, match="identified twice"):
        ident.identify_many([GoodsQuery("maraging steel bars", "722830")])
