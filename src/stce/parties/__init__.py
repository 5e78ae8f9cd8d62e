"""Party and wallet screening: normalisation, index, scorer, clearances; the `parties` check."""

from stce.parties.check import PartiesCheck, build_check, make_check
from stce.parties.clearance import Clearance, Clearances, entry_hash, party_key
from stce.parties.index import NameIndex, build_index
from stce.parties.screener import (
    DEFAULT_THRESHOLD,
    REVIEW_THRESHOLD,
    Match,
    PartyQuery,
    PartyScreener,
)
from stce.parties.wallets import WalletIndex, normalise_address

__all__ = [
    "DEFAULT_THRESHOLD",
    "REVIEW_THRESHOLD",
    "Clearance",
    "Clearances",
    "Match",
    "NameIndex",
    "PartiesCheck",
    "PartyQuery",
    "PartyScreener",
    "WalletIndex",
    "build_check",
    "build_index",
    "entry_hash",
    "make_check",
    "normalise_address",
    "party_key",
]
