"""A licence as the licensing authority issues it, and the balance Customs keeps of it.

Fields follow what licensing authorities publish to Customs (e.g. the EU dual-use
authorisation forms of Reg. 2021/821 Annex IIIa-c, and US BIS licences decremented in AES):
number, type, issuing authority, holder (exporter), consignee, end user, end use, destination
countries, items (control entry and/or HS code, description, quantity with unit, value with
currency), validity dates, status and a tolerance over the licensed quantity/value.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from stce.licences.units import normalise_unit

Country = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$", to_upper=True)]


class LicenceType(StrEnum):
    INDIVIDUAL = "individual"
    """One exporter, one end user, stated quantities."""
    GLOBAL = "global"
    """One exporter, several end users/destinations, usually several items."""
    GENERAL = "general"
    """Published for everyone who meets its conditions (e.g. EU001); no per-exporter balance."""


class LicenceStatus(StrEnum):
    VALID = "valid"
    SUSPENDED = "suspended"
    REVOKED = "revoked"


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class LicenceItem(_Frozen):
    """One item line of a licence."""

    item_no: int = Field(ge=1)
    control_entry: str | None = Field(default=None, max_length=32, description="e.g. 1C350, 2B352")
    hs_code: Annotated[str, StringConstraints(pattern=r"^[0-9]{4,10}$")] | None = None
    description: str = Field(default="", max_length=4096)
    quantity: float | None = Field(default=None, ge=0)
    unit: str | None = None
    value: float | None = Field(default=None, ge=0)
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$", to_upper=True)] | None = None

    @field_validator("unit")
    @classmethod
    def _unit(cls, v: str | None) -> str | None:
        return None if v is None or v == "" else normalise_unit(v)

    @field_validator("control_entry")
    @classmethod
    def _entry(cls, v: str | None) -> str | None:
        return v.upper().replace(".", "") if v else None

    @model_validator(mode="after")
    def _shape(self) -> LicenceItem:
        if not self.control_entry and not self.hs_code:
            raise ValueError("an item needs a control_entry or an hs_code")
        if self.quantity is not None and self.unit is None:
            raise ValueError("quantity given without unit")
        if self.value is not None and self.currency is None:
            raise ValueError("value given without currency")
        return self


class Licence(_Frozen):
    number: str = Field(min_length=1, max_length=128)
    type: LicenceType
    issuing_authority: str = Field(min_length=1, max_length=512)
    holder: str = Field(min_length=1, max_length=512, description="The exporter (consignor)")
    holder_id: str | None = Field(default=None, max_length=128, description="EORI or tax id")
    consignee: str | None = Field(default=None, max_length=512)
    end_user: str | None = Field(default=None, max_length=512)
    end_use: str | None = Field(default=None, max_length=4096)
    destinations: list[Country] = Field(default_factory=list)
    valid_from: date
    valid_to: date
    status: LicenceStatus = LicenceStatus.VALID
    tolerance_pct: float = Field(default=0.0, ge=0, le=100, description="Allowed overrun, %")
    items: list[LicenceItem] = Field(min_length=1)

    @field_validator("valid_to")
    @classmethod
    def _dates(cls, v: date, info: ValidationInfo) -> date:
        start = info.data.get("valid_from")
        if isinstance(start, date) and v < start:
            raise ValueError(f"valid_to {v} is before valid_from {start}")
        return v

    @model_validator(mode="after")
    def _items(self) -> Licence:
        nos = [i.item_no for i in self.items]
        if len(nos) != len(set(nos)):
            raise ValueError("item_no repeated")
        return self

    def item(self, item_no: int) -> LicenceItem | None:
        return next((i for i in self.items if i.item_no == item_no), None)


class ItemBalance(_Frozen):
    """What is left of one licence item after the write-offs recorded so far."""

    item_no: int
    quantity: float | None = None
    value: float | None = None


class WriteOff(_Frozen):
    """One declaration line writing off one licence item (the decrement)."""

    licence_number: str
    item_no: int
    declaration_id: str
    line: int
    quantity: float | None = None
    """In the licence item's unit."""
    value: float | None = None
    """In the licence item's currency."""


class LicenceState(_Frozen):
    """A licence with its remaining balance and the write-offs already recorded against it."""

    licence: Licence
    balances: dict[int, ItemBalance] = Field(default_factory=dict)
    writeoffs: list[WriteOff] = Field(default_factory=list)

    def balance(self, item_no: int) -> ItemBalance:
        got = self.balances.get(item_no)
        if got is not None:
            return got
        it = self.licence.item(item_no)
        return ItemBalance(
            item_no=item_no,
            quantity=it.quantity if it else None,
            value=it.value if it else None,
        )
