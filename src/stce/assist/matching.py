"""Rank offers for each open request, with the reasons, and allocate without over-committing.

Score (0..1), each part with its reason:
- area covered: 0.40 (required: an offer outside the request's area is not a candidate);
- region: 0.20 when the offer serves the request's region, 0.12 for a global programme;
- language: 0.20 when the offer delivers in the request's language;
- modality: 0.10 when the offer delivers the requested modality;
- timing: 0.10 when the programme runs within the urgency horizon (90/180/365 days); a programme
  that ended before the request was made is not a candidate.
A request is matched to its best candidate that still has capacity and scores at least
MIN_SCORE (area plus region or language). Requests are allocated most urgent first, then oldest.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import timedelta

from pydantic import BaseModel

from stce.assist.model import Offer, Request, RequestStatus

W_AREA, W_REGION, W_GLOBAL, W_LANGUAGE, W_MODALITY, W_TIMING = 0.40, 0.20, 0.12, 0.20, 0.10, 0.10
MIN_SCORE = 0.6
GLOBAL = "global"


class RankedOffer(BaseModel):
    offer_id: str
    provider: str
    programme: str
    score: float
    reasons: list[str]
    remaining: int
    """Capacity left before this request is allocated."""

    @property
    def available(self) -> bool:
        return self.remaining > 0


class MatchProposal(BaseModel):
    request_id: str
    chosen: RankedOffer | None
    ranked: list[RankedOffer]
    reason: str = ""
    """Why nothing was chosen, when nothing was."""


def committed_capacity(requests: Iterable[Request]) -> Counter[str]:
    """Engagements already taken per offer (matched, delivered or with feedback)."""
    return Counter(r.offer_id for r in requests if r.offer_id and r.status.commits_capacity)


def score_offer(request: Request, offer: Offer) -> tuple[float, list[str]] | None:
    """Score and reasons, or None when the offer cannot serve the request at all."""
    if request.area not in offer.areas:
        return None
    if offer.end < request.created:
        return None
    score = W_AREA
    reasons = [f"covers {request.area}"]
    regions = {r.lower() for r in offer.regions}
    if request.region and request.region.lower() in regions:
        score += W_REGION
        reasons.append(f"serves {request.region}")
    elif GLOBAL in regions:
        score += W_GLOBAL
        reasons.append("global programme")
    else:
        reasons.append(f"does not serve {request.region or 'an unstated region'}")
    if request.language.lower() in {x.lower() for x in offer.languages}:
        score += W_LANGUAGE
        reasons.append(f"delivers in {request.language}")
    else:
        reasons.append(f"no delivery in {request.language} (offers {', '.join(offer.languages)})")
    if request.modality in offer.modalities:
        score += W_MODALITY
        reasons.append(f"offers {request.modality.value}")
    else:
        offered = ", ".join(m.value for m in offer.modalities)
        reasons.append(f"no {request.modality.value} (offers {offered})")
    horizon = request.created + timedelta(days=request.urgency.horizon_days)
    if offer.start <= horizon:
        score += W_TIMING
        reasons.append(f"runs {offer.start} to {offer.end}, within the {request.urgency} horizon")
    else:
        reasons.append(f"starts {offer.start}, after the {request.urgency} urgency horizon")
    return round(score, 2), reasons


def rank_offers(
    request: Request, offers: Iterable[Offer], committed: Counter[str] | None = None
) -> list[RankedOffer]:
    """Candidate offers for `request`, best first (ties: more spare capacity, then id)."""
    used = committed or Counter()
    ranked = []
    for offer in offers:
        scored = score_offer(request, offer)
        if scored is None:
            continue
        score, reasons = scored
        remaining = max(0, offer.capacity - used[offer.id])
        reasons.append(
            f"capacity {remaining} of {offer.capacity} left"
            if remaining
            else f"capacity exhausted ({used[offer.id]} of {offer.capacity} committed)"
        )
        ranked.append(
            RankedOffer(
                offer_id=offer.id,
                provider=offer.provider,
                programme=offer.programme,
                score=score,
                reasons=reasons,
                remaining=remaining,
            )
        )
    ranked.sort(key=lambda r: (-r.score, -r.remaining, r.offer_id))
    return ranked


def match_requests(requests: list[Request], offers: list[Offer]) -> list[MatchProposal]:
    """Proposals for every request still at "requested", allocating capacity as it goes."""
    used = committed_capacity(requests)
    pending = [r for r in requests if r.status is RequestStatus.REQUESTED]
    pending.sort(key=lambda r: (-r.urgency.rank, r.created, r.id))
    proposals = []
    for request in pending:
        ranked = rank_offers(request, offers, used)
        chosen = next((r for r in ranked if r.available and r.score >= MIN_SCORE), None)
        reason = ""
        if chosen is not None:
            used[chosen.offer_id] += 1
        elif not ranked:
            reason = f"no current offer covers {request.area}"
        elif not any(r.available for r in ranked):
            reason = "every offer covering the area is at capacity"
        else:
            reason = f"no offer with capacity reaches the minimum score {MIN_SCORE}"
        proposals.append(
            MatchProposal(request_id=request.id, chosen=chosen, ranked=ranked, reason=reason)
        )
    return proposals


def apply(proposals: list[MatchProposal], requests: list[Request]) -> int:
    """Record the chosen offers on the requests (status → matched); returns how many."""
    by_id = {r.id: r for r in requests}
    n = 0
    for proposal in proposals:
        if proposal.chosen is None:
            continue
        request = by_id[proposal.request_id]
        request.offer_id = proposal.chosen.offer_id
        request.match_score = proposal.chosen.score
        request.match_reasons = proposal.chosen.reasons
        request.move(RequestStatus.MATCHED, f"matched to {proposal.chosen.offer_id}")
        n += 1
    return n
