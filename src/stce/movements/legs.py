"""A declaration reduced to what chaining and the free-zone ledger need: a leg."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time

from pydantic import BaseModel, ConfigDict, Field

from stce.licences.determiner import StrategicDeterminer
from stce.licences.names import name_key
from stce.licences.units import UnknownUnitError, base_unit, convert
from stce.model import Declaration, PartyRole, Procedure, office_country

LICENCE_TYPES = frozenset({"licence", "license", "authorisation", "authorization"})
PREVIOUS_TYPES = frozenset({"previous", "previous_document", "ftz_entry", "entry"})
PROCESSING_TYPES = frozenset({"processing", "processing_operation", "inward_processing"})

ARRIVING = frozenset({Procedure.TRANSIT, Procedure.TRANSSHIPMENT, Procedure.FTZ_ENTRY})
ONWARD = frozenset(
    {
        Procedure.REEXPORT,
        Procedure.FTZ_EXIT,
        Procedure.EXPORT,
        Procedure.TRANSSHIPMENT,
        Procedure.TRANSIT,
    }
)


class LegGoods(BaseModel):
    model_config = ConfigDict(frozen=True)

    line: int
    hs_code: str
    description: str
    quantity: float | None = None
    """In the base unit of its dimension (KGM, LTR, NAR, ...)."""
    unit: str | None = None
    net_mass_kg: float | None = None
    value: float | None = None
    strategic: bool = False
    control_entries: list[str] = Field(default_factory=list)

    @property
    def hs6(self) -> str:
        return self.hs_code[:6]


class Leg(BaseModel):
    model_config = ConfigDict(frozen=True)

    declaration_id: str
    procedure: Procedure
    lodged_at: datetime | None = None
    office: str | None = None
    consignor: str | None = None
    consignee: str | None = None
    end_user: str | None = None
    dispatch: str | None = None
    destination: str | None = None
    itinerary: list[str] = Field(default_factory=list)
    transport_doc: str | None = None
    containers: list[str] = Field(default_factory=list)
    previous: list[str] = Field(default_factory=list)
    zone_id: str | None = None
    operator_id: str | None = None
    licences: list[str] = Field(default_factory=list)
    processing: bool = False
    goods: list[LegGoods] = Field(default_factory=list)

    @property
    def strategic(self) -> bool:
        return any(g.strategic for g in self.goods)

    def home(self, configured: str | None) -> str | None:
        """The administration's own country: configured, or that of the office's UN/LOCODE."""
        return configured or office_country(self.office)

    def final_destination(self, home: str | None) -> str | None:
        """The destination the leg declares beyond this country (None when it stays here).

        A leg declared for the home country itself (an import, an FTZ admission) ends here
        unless its routing continues beyond here; without a declared destination the routing
        tells where it goes.
        """
        home = self.home(home)
        if self.destination and self.destination != home:
            return self.destination
        route = self.itinerary
        if self.destination and home in route:
            # Declared for here: only a routing that continues beyond here says where next.
            route = route[len(route) - route[::-1].index(home) :]
        for c in reversed(route):
            if c and c != home:
                return c
        return None

    def total_mass(self) -> float | None:
        masses = [g.net_mass_kg for g in self.goods]
        if masses and all(m is not None for m in masses):
            return sum(m for m in masses if m is not None)
        return None

    def total_quantity(self) -> tuple[float, str] | None:
        units = {g.unit for g in self.goods}
        if len(units) != 1 or None in units or any(g.quantity is None for g in self.goods):
            return None
        return sum(g.quantity or 0.0 for g in self.goods), next(iter(units)) or ""


def _when(decl: Declaration) -> datetime | None:
    v = decl.lodged_at
    if isinstance(v, datetime):
        return v if v.tzinfo else v.replace(tzinfo=UTC)
    if isinstance(v, date):
        return datetime.combine(v, time(), tzinfo=UTC)
    return None


_NOT_ALNUM = re.compile(r"[\W_]+")


def norm_ref(text: str) -> str:
    """Reference numbers compare without case, spaces or punctuation ("MSKU 123456-7")."""
    return _NOT_ALNUM.sub("", text).upper()


def leg_from_declaration(decl: Declaration, determiner: StrategicDeterminer | None = None) -> Leg:
    strategic = {s.line: s for s in determiner.strategic_items(decl)} if determiner else {}

    def first(role: PartyRole) -> str | None:
        ps = decl.parties_in(role)
        return ps[0].name if ps else None

    goods: list[LegGoods] = []
    for g in decl.items:
        qty: float | None = None
        unit: str | None = None
        if g.quantity is not None and g.unit:
            try:
                unit = base_unit(g.unit)
                qty = convert(g.quantity, g.unit, unit)
            except UnknownUnitError:
                qty, unit = None, None
        if qty is None and g.net_mass_kg is not None:
            qty, unit = g.net_mass_kg, "KGM"
        s = strategic.get(g.line)
        # model_construct: the declaration is already validated; legs are built for every
        # declaration screened, so skipping a second validation matters.
        goods.append(
            LegGoods.model_construct(
                line=g.line,
                hs_code=g.hs_code,
                description=g.description,
                quantity=qty,
                unit=unit,
                net_mass_kg=g.net_mass_kg,
                value=g.value,
                strategic=s is not None,
                control_entries=list(s.control_entries) if s else [],
            )
        )
    t = decl.transport
    return Leg.model_construct(
        declaration_id=decl.declaration_id,
        procedure=decl.procedure,
        lodged_at=_when(decl),
        office=decl.office,
        consignor=first(PartyRole.CONSIGNOR),
        consignee=first(PartyRole.CONSIGNEE),
        end_user=first(PartyRole.END_USER),
        dispatch=decl.country_of_dispatch,
        destination=decl.country_of_destination,
        itinerary=list(decl.itinerary),
        transport_doc=norm_ref(t.document_id) if t and t.document_id else None,
        containers=sorted({norm_ref(c) for c in t.containers}) if t else [],
        previous=[d.id for d in decl.documents if d.type in PREVIOUS_TYPES],
        zone_id=decl.ftz.zone_id if decl.ftz else None,
        operator_id=decl.ftz.operator_id if decl.ftz else None,
        licences=[d.id for d in decl.documents if d.type in LICENCE_TYPES],
        processing=any(d.type in PROCESSING_TYPES for d in decl.documents),
        goods=goods,
    )


def party_goods_keys(name: str | None, leg: Leg) -> list[str]:
    """Keys of the (party, goods) link: the party's normalised name with each HS heading."""
    if not name:
        return []
    k = name_key(name)
    if not k:
        return []
    return sorted({f"pg:{k}|{g.hs_code[:4]}" for g in leg.goods})
