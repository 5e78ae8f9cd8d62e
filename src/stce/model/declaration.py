"""A customs declaration as stce screens it.

Field names follow the WCO Data Model where it has one (consignor, consignee, declarant, carrier,
notify party, country of dispatch and destination, countries of routing, transport document,
additional document, commodity classification). What the WCO model lacks (end user, CAS number,
free-zone operator, payment wallets) is modelled as an extension with the plainest name.

The models only check shape (types, patterns, enumerations) so that parsing stays in pydantic's
compiled core; code-list membership (ISO 3166, ISO 4217, HS 2022) is checked afterwards by
`stce.ingest.validate`, which names the offending field.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

MAX_TEXT = 4096
"""Longest free text accepted in one field (descriptions, addresses). Longer is a reject."""

CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$", to_upper=True)]
CurrencyCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$", to_upper=True)]
HsCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{6,10}$")]
CasNumber = Annotated[str, StringConstraints(pattern=r"^[0-9]{2,7}-[0-9]{2}-[0-9]$")]
Text = Annotated[str, StringConstraints(max_length=MAX_TEXT, strip_whitespace=True)]
ShortText = Annotated[str, StringConstraints(max_length=512, strip_whitespace=True)]
Identifier = Annotated[str, StringConstraints(min_length=1, max_length=128, strip_whitespace=True)]


def office_country(office: str | None) -> str | None:
    """The country of a customs office given as a UN/LOCODE ("AEJEA" -> "AE"): the
    administration's own country for the declarations lodged there."""
    if office and len(office) == 5 and office[:2].isalpha():
        return office[:2].upper()
    return None


class Procedure(StrEnum):
    """Customs procedure of the movement."""

    EXPORT = "export"
    IMPORT = "import"
    TRANSIT = "transit"
    TRANSSHIPMENT = "transshipment"
    FTZ_ENTRY = "ftz_entry"
    FTZ_EXIT = "ftz_exit"
    REEXPORT = "reexport"


class Channel(StrEnum):
    """How the goods travel commercially: ordinary cargo, e-commerce parcels or post."""

    CARGO = "cargo"
    ECOMMERCE = "ecommerce"
    POSTAL = "postal"


class PartyRole(StrEnum):
    """Role of a party on the declaration (WCO Data Model party classes plus end user)."""

    CONSIGNOR = "consignor"
    CONSIGNEE = "consignee"
    END_USER = "end_user"
    DECLARANT = "declarant"
    CARRIER = "carrier"
    NOTIFY_PARTY = "notify_party"
    BUYER = "buyer"
    SELLER = "seller"
    FREIGHT_FORWARDER = "freight_forwarder"


class TransportMode(StrEnum):
    SEA = "sea"
    AIR = "air"
    ROAD = "road"
    RAIL = "rail"
    POST = "post"
    MULTIMODAL = "multimodal"
    PIPELINE = "pipeline"
    INLAND_WATERWAY = "inland_waterway"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Party(_Strict):
    role: PartyRole
    name: Annotated[str, StringConstraints(min_length=1, max_length=512, strip_whitespace=True)]
    country: CountryCode | None = None
    address: Text | None = None
    id: ShortText | None = Field(default=None, description="Trader id, e.g. EORI or tax id")


class Transport(_Strict):
    mode: TransportMode | None = None
    means_id: ShortText | None = Field(default=None, description="Border transport means, e.g. IMO")
    document_id: ShortText | None = Field(default=None, description="Transport document number")
    containers: list[ShortText] = Field(default_factory=list, max_length=500)


class FreeZone(_Strict):
    zone_id: Identifier
    operator_id: ShortText | None = None


class Wallet(_Strict):
    chain: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9]{2,10}$", to_upper=True)]
    address: Annotated[str, StringConstraints(min_length=10, max_length=128)]


class Payment(_Strict):
    method: ShortText | None = Field(default=None, description="e.g. wire, cash, crypto, card")
    payer: ShortText | None = None
    wallets: list[Wallet] = Field(default_factory=list, max_length=100)


class Document(_Strict):
    """An additional document (WCO AdditionalDocument): licence, certificate, previous document."""

    type: Annotated[str, StringConstraints(min_length=1, max_length=64, to_lower=True)]
    id: Identifier
    line: int | None = Field(default=None, ge=1, description="Goods item the document covers")
    quantity: float | None = Field(default=None, ge=0, description="Write-off quantity")
    value: float | None = Field(default=None, ge=0, description="Write-off amount")


class GoodsItem(_Strict):
    line: int = Field(ge=1)
    hs_code: HsCode
    description: Text
    cas: CasNumber | None = None
    quantity: float | None = Field(default=None, ge=0)
    unit: Annotated[str, StringConstraints(max_length=16)] | None = None
    net_mass_kg: float | None = Field(default=None, ge=0)
    value: float | None = Field(default=None, ge=0)
    currency: CurrencyCode | None = None
    origin: CountryCode | None = None


class Declaration(_Strict):
    """One customs declaration (or e-commerce/postal item) with its goods items."""

    declaration_id: Identifier
    procedure: Procedure
    channel: Channel = Channel.CARGO
    lodged_at: datetime | date | None = None
    office: ShortText | None = None
    parties: list[Party] = Field(default_factory=list, max_length=100)
    country_of_dispatch: CountryCode | None = None
    country_of_destination: CountryCode | None = None
    itinerary: list[CountryCode] = Field(default_factory=list, max_length=50)
    transport: Transport | None = None
    ftz: FreeZone | None = None
    payment: Payment | None = None
    documents: list[Document] = Field(default_factory=list, max_length=200)
    items: list[GoodsItem] = Field(min_length=1, max_length=999)

    def parties_in(self, *roles: PartyRole) -> list[Party]:
        """Parties holding any of `roles`, in declaration order."""
        return [p for p in self.parties if p.role in roles]

    def countries_of_concern(self) -> dict[str, list[str]]:
        """Every country the movement touches, mapped to where the declaration names it.

        Why: country checks must explain whether a country came from the destination, the
        routing or an end user's address.
        """
        where: dict[str, list[str]] = {}

        def add(code: str | None, field: str) -> None:
            if code:
                where.setdefault(code, []).append(field)

        add(self.country_of_destination, "country_of_destination")
        for i, c in enumerate(self.itinerary):
            add(c, f"itinerary[{i}]")
        for p in self.parties:
            add(p.country, f"parties[{p.role.value}].country")
        return where
