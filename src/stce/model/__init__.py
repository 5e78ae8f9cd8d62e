"""Declarations, parties, goods, list entries, hits and results: the nouns of stce."""

from stce.model.check import Check
from stce.model.declaration import (
    Channel,
    Declaration,
    Document,
    FreeZone,
    GoodsItem,
    Party,
    PartyRole,
    Payment,
    Procedure,
    Transport,
    TransportMode,
    Wallet,
    office_country,
)
from stce.model.hit import Hit, Severity
from stce.model.list_entry import (
    BirthDate,
    EntryKind,
    ListAddress,
    ListEntry,
    ListIdentifier,
    ListName,
    ListWallet,
    NameQuality,
)
from stce.model.result import Lane, ScreeningResult

__all__ = [
    "BirthDate",
    "Channel",
    "Check",
    "Declaration",
    "Document",
    "EntryKind",
    "FreeZone",
    "GoodsItem",
    "Hit",
    "Lane",
    "ListAddress",
    "ListEntry",
    "ListIdentifier",
    "ListName",
    "ListWallet",
    "NameQuality",
    "Party",
    "PartyRole",
    "Payment",
    "Procedure",
    "ScreeningResult",
    "Severity",
    "Transport",
    "TransportMode",
    "Wallet",
    "office_country",
]
