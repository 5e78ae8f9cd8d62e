from __future__ import annotations

import json
from datetime import date
from importlib import resources
from pathlib import Path

import pytest

from stce.assess.errors import AssessInputError
from stce.assess.storage import from_json
from stce.assist.gaps import requests_from_assessment
from stce.assist.matching import match_requests
from stce.assist.model import Modality, Offer, Urgency
from stce.assist.storage import read_file, sample_offers

DAY = date(2026, 11, 1)


def _example(name: str) -> str:
    return resources.files("stce.assess").joinpath(f"data/examples/{name}.json").read_text()


def test_sample_offers_are_cited_and_valid() -> None:
    offers = sample_offers()
    assert len(offers) >= 10
    assert {o.provider_type.value for o in offers} >= {"international_organisation", "state"}
    for o in offers:
        assert o.sources and all(s.url.startswith("https://") for s in o.sources), o.id


def test_gaps_become_requests_tailored_to_maturity() -> None:
    low = requests_from_assessment(from_json(_example("ruritania")), DAY)
    high = requests_from_assessment(from_json(_example("freedonia")), DAY)
    assert {r.urgency for r in low[:5]} == {Urgency.HIGH}
    assert {r.urgency for r in high} == {Urgency.LOW}
    legal = next(r for r in low if r.area == "legal_basis")
    assert legal.modality is Modality.LEGAL_ASSISTANCE and legal.gap_questions == ["LB2"]
    assert legal.origin == "assessment:RUR:1.0" and legal.language == "en"
    assert all(r.region == "Eastern Europe" for r in low)


def test_assessment_gaps_are_matched_with_reasons() -> None:
    reqs = requests_from_assessment(from_json(_example("ruritania")), DAY)
    offers = sample_offers()
    proposals = match_requests(reqs, offers)
    matched = [p for p in proposals if p.chosen]
    assert len(matched) >= len(reqs) - 2
    for p in matched:
        assert p.chosen is not None
        assert p.chosen.reasons[0].startswith("covers ")
    used: dict[str, int] = {}
    for p in matched:
        assert p.chosen is not None
        used[p.chosen.offer_id] = used.get(p.chosen.offer_id, 0) + 1
    capacity = {o.id: o.capacity for o in offers}
    assert all(n <= capacity[k] for k, n in used.items())


def test_import_errors_name_record_and_field(tmp_path: Path) -> None:
    bad = [o.model_dump(mode="json") for o in sample_offers()[:2]]
    bad[0]["capacity"] = -1
    bad[1]["areas"] = ["space_law"]
    path = tmp_path / "offers.json"
    path.write_text(json.dumps(bad))
    with pytest.raises(AssessInputError) as info:
        read_file(path, Offer)
    problems = info.value.problems
    assert any(p.startswith("record 1 (WCO-STCE): capacity") for p in problems)
    assert any("US-EXBS: area 'space_law' unknown" in p for p in problems)


def test_request_ids_stay_unique() -> None:
    a = from_json(_example("ruritania"))
    first = requests_from_assessment(a, DAY)
    again = requests_from_assessment(a, DAY, taken_ids={r.id for r in first})
    assert not {r.id for r in first} & {r.id for r in again}
    assert again[0].id == first[0].id + "-2"
