"""Identification: HS correlation, CAS, names and misspellings, parameters, warnings, and
ordinary goods staying quiet."""

from __future__ import annotations

import pytest

from stce.goods.identify import GoodsIdentifier, GoodsQuery, identify
from stce.refdata.hs import HsNomenclature


def _top(ident: GoodsIdentifier, desc: str, hs: str | None = None, cas: str | None = None):  # type: ignore[no-untyped-def]
    return ident.identify(GoodsQuery(desc, hs, cas))


def test_capacitance_manometer_is_strategic_with_evidence(ident: GoodsIdentifier) -> None:
    a = _top(ident, "MKS Baratron capacitance manometer 0-100 torr", "902620")
    assert a.strategic
    best = a.candidates[0]
    assert best.entry == "2B230"
    kinds = {e.kind for e in best.evidence}
    assert {"name", "hs_partial", "parameter"} <= kinds
    assert a.hs_watchlist


def test_pressure_gauges_are_watch_listed_not_strategic(ident: GoodsIdentifier) -> None:
    a = _top(ident, "pressure gauges", "902620")
    assert not a.strategic
    assert a.hs_watchlist
    assert a.candidates[0].entry == "2B230"


@pytest.mark.parametrize(
    ("desc", "code"),
    [
        ("stainless steel cutlery", "821599"),
        ("stainless steel cutlery", "732393"),
        ("t-shirts", "610910"),
        ("mustard seeds", "120750"),
        ("satin fabric", "540752"),
        ("green tea bags", "090220"),
        ("toothpaste with sodium fluoride", "330610"),
        ("toy drone for kids", "950300"),
        ("solar inverter 5 kW", "850440"),
        ("tank tops for women", "610990"),
    ],
)
def test_ordinary_goods_stay_quiet(ident: GoodsIdentifier, desc: str, code: str) -> None:
    a = _top(ident, desc, code)
    assert not a.strategic, a.candidates[:2]
    assert not [w for w in a.warnings if w.code == "misclassified"]


def test_declared_cas_maps_to_schedule_and_ag(ident: GoodsIdentifier) -> None:
    a = _top(ident, "TEA 85", "292215", "102-71-6")
    assert a.strategic
    assert {c.entry for c in a.candidates[:2]} == {"CWC-3B17", "1C350"}
    assert a.chemicals[0].cas == "102-71-6" and a.chemicals[0].how == "declared"


def test_wrong_cas_check_digit_is_a_warning_not_a_match(ident: GoodsIdentifier) -> None:
    a = _top(ident, "industrial chemical", None, "102-71-7")
    assert not a.strategic
    assert [w.code for w in a.warnings] == ["cas_invalid"]


def test_cas_in_the_description(ident: GoodsIdentifier) -> None:
    a = _top(ident, "solvent, CAS 111-48-8, 200 kg drums")
    assert a.strategic
    assert a.candidates[0].entry in {"CWC-2B13", "1C350"}
    assert a.chemicals[0].how == "in_description"


def test_chemical_name_and_synonym_map_to_cas(ident: GoodsIdentifier) -> None:
    a = _top(ident, "2,2'-thiodiethanol")
    assert a.chemicals and a.chemicals[0].cas == "111-48-8"
    b = _top(ident, "N,N-diisopropylaminoethanol 99%")
    assert b.chemicals and b.chemicals[0].cas == "96-80-0"


def test_misspellings_still_match(ident: GoodsIdentifier) -> None:
    a = _top(ident, "trietanolamine 99 %", "292215")
    assert a.strategic and a.candidates[0].entry == "CWC-3B17"
    assert any("fuzzy" in e.detail for e in a.candidates[0].evidence)
    b = _top(ident, "maraiging steel bars", "722830")
    assert b.strategic and b.candidates[0].entry == "1C216"


def test_technical_parameters_raise_the_score(ident: GoodsIdentifier) -> None:
    plain = _top(ident, "machining centre", "845710")
    five = _top(ident, "machining centre 5-axis", "845710")
    assert not plain.strategic
    assert five.strategic and five.candidates[0].entry == "2B201"
    inv = _top(ident, "frequency inverter output 600-2000 Hz", "850440")
    assert inv.strategic and inv.candidates[0].entry == "3A225"


def test_maraging_c350_under_generic_steel_code(ident: GoodsIdentifier) -> None:
    a = _top(ident, "Vascomax C-350 round bar 200 mm", "722830")
    assert a.strategic and a.candidates[0].entry == "1C216"


def test_misclassification_warning(ident: GoodsIdentifier) -> None:
    a = _top(ident, "thiodiglycol", "340290")
    assert a.strategic
    mis = [w for w in a.warnings if w.code == "misclassified"]
    assert mis and "293070" in mis[0].message


def test_no_misclassification_when_code_fits(ident: GoodsIdentifier) -> None:
    a = _top(ident, "thiodiglycol", "293070")
    assert not [w for w in a.warnings if w.code == "misclassified"]


def test_vague_description_under_sensitive_subheading(ident: GoodsIdentifier) -> None:
    a = _top(ident, "spare parts", "848180")
    assert [w.code for w in a.warnings] == ["vague_description"]
    b = _top(ident, "samples", "300249")
    assert "vague_description" in [w.code for w in b.warnings]
    c = _top(ident, "spare parts", "871499")
    assert c.warnings == []


def test_hs2017_only_code(ident: GoodsIdentifier) -> None:
    a = _top(ident, "tritium compounds", "284440")
    codes = [w.code for w in a.warnings]
    assert "hs2017_only" in codes
    assert "284441" in a.hs_successors
    assert a.strategic and a.candidates[0].entry == "1C235"


def test_unknown_hs_code(ident: GoodsIdentifier) -> None:
    a = _top(ident, "widgets", "123456")
    assert [w.code for w in a.warnings] == ["hs_unknown"]


def test_exact_subheading_alone_is_strategic(ident: GoodsIdentifier) -> None:
    a = _top(ident, "chemical", "293141")
    assert a.strategic and a.candidates[0].entry == "CWC-2B4"


def test_chpl_alone_is_watch_not_strategic(ident: GoodsIdentifier) -> None:
    a = _top(ident, "microcontrollers", "854231")
    assert not a.strategic
    assert a.hs_watchlist
    assert any(c.entry == "CHPL-1" for c in a.candidates)


def test_exclusions_suppress_name_matches(ident: GoodsIdentifier) -> None:
    a = _top(ident, "thermal underwear", "610821")
    assert not a.candidates


def test_batch_cache_gives_same_answers(ident: GoodsIdentifier) -> None:
    items = [GoodsQuery("thiodiglycol", "293070"), GoodsQuery("t-shirts", "610910")] * 3
    res = ident.identify_many(items)
    assert [r.strategic for r in res] == [True, False] * 3
    assert res[0] is res[2]


def test_module_level_identify_accepts_mappings() -> None:
    a = identify({"description": "heavy water 99.8%", "hs_code": "284510"})
    assert a.strategic and a.candidates[0].entry == "0C003"
    assert a.to_dict()["candidates"][0]["entry"] == "0C003"


def test_works_without_hs_nomenclature(ident_nohs: GoodsIdentifier) -> None:
    a = ident_nohs.identify(GoodsQuery("capacitance manometer", "902620"))
    assert a.strategic


def test_tariff_style_word_order(ident: GoodsIdentifier) -> None:
    a = _top(ident, "valves, bellows sealed, monel", "848180")
    assert a.strategic and a.candidates[0].entry == "2A226"
    assert any("reordered" in e.detail for e in a.candidates[0].evidence)


def test_negation_and_ordinary_words_are_not_misspellings(ident: GoodsIdentifier) -> None:
    assert not _top(ident, "inorganic acids, other than hydrogen fluoride", "281119").strategic
    assert not _top(ident, "black tea, fermented", "090230").strategic  # not 'fermenter'
    a = _top(ident, "hafnium metal, more than 60 % hafnium", "811231")
    assert a.strategic and a.candidates[0].entry == "1C231"


def test_hs2022_texts_outside_the_watch_list_stay_quiet(
    ident: GoodsIdentifier, hs: HsNomenclature
) -> None:
    """Every HS 2022 subheading text, declared under its own code, is ordinary trade language:
    outside the strategic watch list none of them may be flagged strategic."""
    loud = []
    for code, desc in hs.hs2022.items():
        if code in ident.index.watchlist:
            continue
        a = ident.identify(GoodsQuery(desc.split(";")[-1], code))
        if a.strategic:
            loud.append((code, a.candidates[0].entry))
    assert loud == []


def test_without_nomenclature_ordinary_words_are_not_corrected(
    ident_nohs: GoodsIdentifier,
) -> None:
    assert not ident_nohs.identify(GoodsQuery("black tea, fermented", "090230")).strategic
