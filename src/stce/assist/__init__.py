"""UNSCR 1540 assistance matchmaking: requests (from assessment gaps or by hand), provider offers,
ranked matches with reasons and capacity, and follow-up through delivery and feedback."""

from stce.assist.matching import MatchProposal, RankedOffer, match_requests, rank_offers
from stce.assist.model import Modality, Offer, Request, RequestStatus, Urgency

__all__ = [
    "MatchProposal",
    "Modality",
    "Offer",
    "RankedOffer",
    "Request",
    "RequestStatus",
    "Urgency",
    "match_requests",
    "rank_offers",
]
