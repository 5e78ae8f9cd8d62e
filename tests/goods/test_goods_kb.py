"""The knowledge base: it loads, it is complete where the mirror lets us check, and a bad
entry fails with an error naming the file, the entry and the field."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from stce.goods.cas import is_valid_cas
from stce.goods.kb import DATA_DIR, KnowledgeBaseError, Regime, knowledge_base, load_knowledge_base
from stce.refdata.hs import HsNomenclature

# HS 2022 subheadings created for strategic goods (docs/domain.md, WCO HS 2022 amendments)
HS2022_STRATEGIC = [
    "284441", "284442", "284443", "284444", "284520", "284530", "284540",
    "293010", "293141", "293142", "293143", "293144", "293145", "293146", "293147", "293148",
    "293149", "293151", "293152", "293153", "293159", "293335", "382491", "382492",
    "300241", "300242", "300249", "841470", "841933", "360340", "360350", "360360",
    "810391", "810921", "810929", "811231", "811239", "847983", "848510", "848520",
    "848530", "848580", "848590", "851411", "851431", "851432", "852581", "852582",
    "852583", "902781", "880621", "880622", "880623", "880624", "880629", "880730",
    "281211", "281212", "281213", "281214", "281215", "281216", "281217", "285310",
    "292021", "292022", "292023", "292024", "292112", "292113", "292114", "292215",
    "292217", "292218", "293060", "293070",
]  # fmt: skip


def test_loads_with_counts() -> None:
    kb = knowledge_base()
    counts = kb.counts()
    assert counts["entries"] >= 150
    assert counts["chemicals"] >= 127
    for regime in Regime:
        assert counts.get(f"regime:{regime.value}", 0) > 0, regime
    assert kb.version.startswith("goods-kb:")


def test_munitions_list_ml1_to_ml20_present() -> None:
    kb = knowledge_base()
    for i in range(1, 21):
        assert f"ML{i}" in kb.entries


def test_every_cas_check_digit_is_valid() -> None:
    kb = knowledge_base()
    bad = [c for c in kb.chemicals if not is_valid_cas(c)]
    assert bad == []


def test_every_hs_code_is_an_hs2022_subheading(hs: HsNomenclature) -> None:
    kb = knowledge_base()
    unknown = sorted(c for c in kb.hs_codes() if c not in hs.hs2022)
    assert unknown == []


def test_strategic_hs2022_subheadings_are_covered(hs: HsNomenclature) -> None:
    codes = knowledge_base().hs_codes()
    missing = [c for c in HS2022_STRATEGIC if c not in codes]
    assert missing == []
    assert all(c in hs.hs2022 for c in HS2022_STRATEGIC)


def test_every_cwc_and_ag_chemical_of_the_mirror_is_covered(mirror: Path) -> None:
    kb = knowledge_base()
    path = mirror / "controls" / "chem_weapons_precursors_cas.csv"
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows
    for row in rows:
        cas = row["cas"].strip("()")
        chem = kb.chemicals.get(cas)
        assert chem is not None, f"{cas} ({row['source']}) missing"
        src = row["source"]
        if src.startswith("OPCW schedule"):
            n = src.rsplit(" ", 1)[1]
            assert any(e.startswith(f"CWC-{n}") for e in chem.entries), (cas, chem.entries)
        else:
            assert "1C350" in chem.entries, (cas, chem.entries)


def test_chpl_codes_and_tiers_match_the_mirror(mirror: Path) -> None:
    kb = knowledge_base()
    path = mirror / "controls" / "chpl_hs6_tiers.csv"
    with path.open(encoding="utf-8") as fh:
        want = {(r["hs6"], r["chpl_tier"]) for r in csv.DictReader(fh)}
    got = set()
    for e in kb.entries.values():
        if Regime.CHPL in e.regimes:
            tier = "TIER_" + (e.tier or "").replace(".", "_")
            got.update((h.code, tier) for h in e.hs)
    assert got == want
    for e in kb.entries.values():
        if Regime.CHPL in e.regimes:
            assert all("bis.gov" in kb.sources[k].url for k in e.sources["hs"])


def test_every_source_key_resolves_and_every_entry_cites_the_control_text() -> None:
    kb = knowledge_base()
    for e in kb.entries.values():
        assert e.sources["control"]
        for keys in e.sources.values():
            for k in keys:
                assert kb.sources[k].url.startswith("https://")


def _write_kb(tmp: Path, text: str) -> Path:
    (tmp / "x.yaml").write_text(text, encoding="utf-8")
    return tmp


def test_bad_entry_names_file_entry_and_field(tmp_path: Path) -> None:
    folder = _write_kb(
        tmp_path,
        """
sources: {s: {title: "A source", url: "https://example.org"}}
entries:
  - id: 9X999
    regimes: [NOT-A-REGIME]
    category: equipment
    list_ref: "x"
    title: "Thing"
    description: "A thing"
    sources: {control: [s]}
""",
    )
    with pytest.raises(KnowledgeBaseError, match=r"x\.yaml: entry 9X999: field regimes\.0"):
        load_knowledge_base(folder)


def test_bad_hs_code_and_bad_cas_are_rejected(tmp_path: Path) -> None:
    base = """
sources: {s: {title: "A source", url: "https://example.org"}}
entries:
  - {id: 9X999, regimes: [AG], category: chemical, list_ref: xx, title: Thing, description: xxx,
     sources: {control: [s], hs: [s]}, hs: [{code: "29314", match: exact}]}
"""
    with pytest.raises(KnowledgeBaseError, match=r"entry 9X999: field hs\.0\.code"):
        load_knowledge_base(_write_kb(tmp_path, base))
    chem = """
sources: {s: {title: "A source", url: "https://example.org"}}
entries:
  - {id: 9X999, regimes: [AG], category: chemical, list_ref: xx, title: Thing, description: xxx,
     sources: {control: [s]}}
chemicals:
  - {cas: 102-71-7, name: triethanolamine, entries: [9X999], sources: {control: [s]}}
"""
    with pytest.raises(KnowledgeBaseError, match=r"chemical 102-71-7: field cas"):
        load_knowledge_base(_write_kb(tmp_path, chem))


def test_unknown_references_are_rejected(tmp_path: Path) -> None:
    text = """
sources: {s: {title: "A source", url: "https://example.org"}}
entries:
  - {id: 9X999, regimes: [AG], category: chemical, list_ref: xx, title: Thing, description: xxx,
     sources: {control: [nope]}}
"""
    with pytest.raises(KnowledgeBaseError, match=r"entry 9X999: field sources\.control"):
        load_knowledge_base(_write_kb(tmp_path, text))
    text2 = """
sources: {s: {title: "A source", url: "https://example.org"}}
entries:
  - {id: 9X999, regimes: [AG], category: chemical, list_ref: xx, title: Thing, description: xxx,
     sources: {control: [s]}}
chemicals:
  - {cas: 102-71-6, name: triethanolamine, entries: [9X998], sources: {control: [s]}}
"""
    with pytest.raises(KnowledgeBaseError, match=r"chemical 102-71-6: field entries"):
        load_knowledge_base(_write_kb(tmp_path, text2))


def test_packaged_data_dir_is_inside_the_package() -> None:
    assert (DATA_DIR / "chemicals.yaml").exists()
