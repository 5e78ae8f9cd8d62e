"""Commodity profiles for the training material."""

from __future__ import annotations

import pytest

from stce.goods import knowledge_base, profile
from stce.refdata.hs import HsNomenclature


def test_profile_of_a_chemical_entry_lists_its_chemicals(hs: HsNomenclature) -> None:
    p = profile("CWC-2B13", hs_descriptions=hs.hs2022)
    assert p.regimes == ["CWC"]
    assert p.hs_exact == ["293070"]
    assert "293070" in p.hs_descriptions
    assert p.chemicals[0]["cas"] == "111-48-8"
    assert any(s.fact == "control" and "opcw.org" in s.url for s in p.sources)


def test_profile_of_equipment_has_parameters_and_what_to_look_for() -> None:
    p = profile("2b230")  # case-insensitive
    assert p.entry == "2B230"
    assert any("13 kPa" in k for k in p.key_parameters)
    assert p.look_for and p.misdeclarations
    assert p.to_dict()["title"].startswith("Pressure transducers")


def test_every_entry_has_a_profile() -> None:
    kb = knowledge_base()
    for eid in kb.entries:
        p = profile(eid, kb=kb)
        assert p.title and p.what_it_is and p.sources


def test_unknown_entry() -> None:
    with pytest.raises(KeyError, match="unknown control entry"):
        profile("ZZ999")
