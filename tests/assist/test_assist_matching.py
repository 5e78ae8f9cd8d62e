from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from stce.assist.followup import overdue_requests
from stce.assist.matching import MIN_SCORE, apply, match_requests, rank_offers, score_offer
from stce.assist.model import Modality, Offer, Request, RequestStatus, Urgency

DAY = date(2026, 11, 1)


def offer(id: str, **kw: Any) -> Offer:
    base: dict[str, Any] = {
        "id": id,
        "provider": f"P {id}",
        "provider_type": "international_organisation",
        "programme": f"Programme {id}",
        "areas": ["free_zones"],
        "regions": ["global"],
        "languages": ["en"],
        "modalities": ["training"],
        "capacity": 2,
        "start": date(2026, 1, 1),
        "end": date(2027, 12, 31),
    }
    base.update(kw)
    return Offer.model_validate(base)


def request(id: str, **kw: Any) -> Request:
    base: dict[str, Any] = {
        "id": id,
        "state": "X",
        "region": "Africa",
        "area": "free_zones",
        "language": "fr",
        "modality": Modality.TRAINING,
        "created": DAY,
    }
    base.update(kw)
    return Request.model_validate(base)


def test_score_parts_and_reasons() -> None:
    regional = offer("A", regions=["Africa"], languages=["fr", "en"])
    scored = score_offer(request("r"), regional)
    assert scored is not None
    score, reasons = scored
    assert score == 1.0
    assert reasons == [
        "covers free_zones",
        "serves Africa",
        "delivers in fr",
        "offers training",
        "runs 2026-01-01 to 2027-12-31, within the medium horizon",
    ]
    scored = score_offer(request("r"), offer("B"))
    assert scored is not None and scored[0] == 0.72
    assert "no delivery in fr (offers en)" in scored[1]


def test_offers_outside_area_or_ended_are_not_candidates() -> None:
    assert score_offer(request("r"), offer("A", areas=["licensing"])) is None
    old = offer("B", start=date(2024, 1, 1), end=date(2025, 12, 31))
    assert score_offer(request("r"), old) is None


def test_regional_and_language_fit_ranks_first() -> None:
    offers = [offer("GLOBAL_EN"), offer("AFRICA_FR", regions=["Africa"], languages=["fr"])]
    ranked = rank_offers(request("r"), offers)
    assert [r.offer_id for r in ranked] == ["AFRICA_FR", "GLOBAL_EN"]


def test_capacity_is_never_over_committed() -> None:
    best = offer("BEST", regions=["Africa"], languages=["fr"], capacity=1)
    second = offer("SECOND", languages=["fr"], capacity=1)
    reqs = [
        request("late", urgency=Urgency.LOW),
        request("urgent", urgency=Urgency.HIGH),
        request("third", urgency=Urgency.MEDIUM),
    ]
    proposals = {p.request_id: p for p in match_requests(reqs, [best, second])}
    assert proposals["urgent"].chosen and proposals["urgent"].chosen.offer_id == "BEST"
    assert proposals["third"].chosen and proposals["third"].chosen.offer_id == "SECOND"
    assert proposals["late"].chosen is None
    assert proposals["late"].reason == "every offer covering the area is at capacity"
    assert any("capacity exhausted" in x for x in proposals["late"].ranked[0].reasons)
    assert apply(list(proposals.values()), reqs) == 2
    # a second round does not reuse the committed capacity
    again = match_requests(reqs, [best, second])
    assert [p.request_id for p in again] == ["late"] and again[0].chosen is None


def test_below_minimum_score_is_not_matched() -> None:
    far = offer("FAR", regions=["Asia-Pacific"], languages=["en"], modalities=["equipment"])
    [proposal] = match_requests([request("r")], [far])
    assert proposal.ranked[0].score < MIN_SCORE and proposal.chosen is None


def test_lifecycle_and_follow_up() -> None:
    r = request("r", created=date(2025, 6, 1))
    assert r.follow_up == date(2026, 6, 1)
    with pytest.raises(ValueError, match="cannot go from requested to delivered"):
        r.move(RequestStatus.DELIVERED)
    r.move(RequestStatus.MATCHED)
    r.move(RequestStatus.DELIVERED)
    fresh = request("fresh", created=date(2026, 10, 1))
    assert [x.id for x, _ in overdue_requests([r, fresh], date(2026, 11, 27))] == ["r"]
    r.move(RequestStatus.FEEDBACK)
    assert overdue_requests([r, fresh], date(2026, 11, 27)) == []
    assert [h.status for h in r.history] == list(RequestStatus)
