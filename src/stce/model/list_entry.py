"""An entry of a sanctions or denied-party list, normalised across sources.

Every loader in `stce.refdata` yields these; `stce.parties` indexes and matches them.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class EntryKind(StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"
    VESSEL = "vessel"
    AIRCRAFT = "aircraft"
    WALLET = "wallet"
    UNKNOWN = "unknown"


class NameQuality(StrEnum):
    """How much a list vouches for a name: OFAC weak a.k.a. and UN "Low" quality are `weak`."""

    PRIMARY = "primary"
    STRONG = "strong"
    WEAK = "weak"


class ListName(BaseModel):
    model_config = ConfigDict(frozen=True)

    full: str
    quality: NameQuality = NameQuality.STRONG
    script: str | None = Field(default=None, description="ISO 15924 code, e.g. Latn, Cyrl, Arab")
    parts: dict[str, str] = Field(default_factory=dict, description="given, family, patronymic…")


class BirthDate(BaseModel):
    """Exact date, year only, or a range of years."""

    model_config = ConfigDict(frozen=True)

    exact: date | None = None
    year: int | None = None
    year_from: int | None = None
    year_to: int | None = None
    approximate: bool = False


class ListIdentifier(BaseModel):
    model_config = ConfigDict(frozen=True)

    type: str
    value: str
    country: str | None = None


class ListWallet(BaseModel):
    model_config = ConfigDict(frozen=True)

    chain: str
    address: str


class ListAddress(BaseModel):
    model_config = ConfigDict(frozen=True)

    full: str
    country: str | None = None


class ListEntry(BaseModel):
    """One listed party, vessel, aircraft or wallet holder, as one source publishes it."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(description="Stable id: '<source>:<source key>', e.g. 'un-sc:KPi.033'")
    source: str
    source_key: str
    kind: EntryKind
    programmes: list[str] = Field(default_factory=list)
    names: list[ListName] = Field(min_length=1)
    birth_dates: list[BirthDate] = Field(default_factory=list)
    nationalities: list[str] = Field(default_factory=list)
    countries: list[str] = Field(default_factory=list)
    addresses: list[ListAddress] = Field(default_factory=list)
    identifiers: list[ListIdentifier] = Field(default_factory=list)
    wallets: list[ListWallet] = Field(default_factory=list)
    listed_on: date | None = None
    remarks: str | None = None
    links: list[str] = Field(default_factory=list, description="Ids of linked entries")

    @property
    def primary_name(self) -> str:
        return self.names[0].full
