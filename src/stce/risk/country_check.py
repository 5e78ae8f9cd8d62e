"""The `countries` check: destinations, end users and routes in embargoed or sanctioned countries.

It runs on every declaration and needs no reference data beyond the curated country lists, so
the pipeline is useful end to end even before the list snapshots are imported.
"""

from __future__ import annotations

from collections.abc import Sequence

from stce.model import Declaration, Hit, PartyRole, Procedure, Severity, office_country
from stce.risk.countries import CountryList, CountryLists, country_lists

OUTBOUND = frozenset(
    {
        Procedure.EXPORT,
        Procedure.REEXPORT,
        Procedure.TRANSIT,
        Procedure.TRANSSHIPMENT,
        Procedure.FTZ_EXIT,
    }
)
INBOUND = frozenset({Procedure.IMPORT, Procedure.FTZ_ENTRY})
RECEIVING_ROLES = (PartyRole.CONSIGNEE, PartyRole.BUYER, PartyRole.NOTIFY_PARTY)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


class CountryCheck:
    name = "countries"

    def __init__(self, lists: CountryLists | None = None) -> None:
        self.lists = lists or country_lists()
        self.version = f"countries:{self.lists.version}"
        self._embargo = self.lists["un_arms_embargo"]
        self._embargo_targeted = self.lists["un_arms_embargo_targeted"]
        self._sanctioned = self.lists["wmd_sanctioned"]
        self._hubs = self.lists["diversion_hubs"]
        self._concern = frozenset(self._embargo.notes) | frozenset(self._sanctioned.notes)
        self._any_listed = frozenset(
            code for lst in self.lists.lists.values() for code in lst.notes
        )

    def check(self, batch: Sequence[Declaration]) -> list[list[Hit]]:
        return [self._one(d) for d in batch]

    def _hit(
        self,
        decl: Declaration,
        code: str,
        severity: Severity,
        lst: CountryList,
        country: str,
        field: str,
        message: str,
    ) -> Hit:
        return Hit(
            check=self.name,
            code=code,
            severity=severity,
            message=message,
            evidence={
                "country": country,
                "field": field,
                "list": lst.key,
                "list_title": lst.title,
                "note": lst.notes.get(country, ""),
                "list_source": lst.source,
            },
            declaration_id=decl.declaration_id,
        )

    def _strongest(self, country: str) -> CountryList | None:
        if country in self._embargo:
            return self._embargo
        if country in self._sanctioned:
            return self._sanctioned
        return None

    def _one(self, d: Declaration) -> list[Hit]:
        hits: list[Hit] = []
        touched = {d.country_of_destination, d.country_of_dispatch, *d.itinerary}
        touched.update(p.country for p in d.parties)
        if touched.isdisjoint(self._any_listed):
            return hits
        if d.procedure in OUTBOUND:
            dest = d.country_of_destination
            if dest:
                lst = self._strongest(dest)
                if lst is not None:
                    code = (
                        "DESTINATION_EMBARGOED"
                        if lst is self._embargo
                        else "DESTINATION_SANCTIONED"
                    )
                    hits.append(
                        self._hit(
                            d,
                            code,
                            Severity.HIGH,
                            lst,
                            dest,
                            "country_of_destination",
                            f"Destination {dest} is under {_lower_first(lst.title)}.",
                        )
                    )
                elif dest in self._embargo_targeted:
                    lst = self._embargo_targeted
                    hits.append(
                        self._hit(
                            d,
                            "DESTINATION_EMBARGOED",
                            lst.severity,
                            lst,
                            dest,
                            "country_of_destination",
                            f"Destination {dest}: {_lower_first(lst.title)} "
                            f"({lst.notes[dest]}); check the end user.",
                        )
                    )
            for p in d.parties:
                if p.role is PartyRole.END_USER and p.country and p.country != dest:
                    lst = self._strongest(p.country)
                    if lst is not None:
                        hits.append(
                            self._hit(
                                d,
                                "END_USER_COUNTRY_EMBARGOED",
                                Severity.HIGH,
                                lst,
                                p.country,
                                "parties[end_user].country",
                                f"End user {p.name!r} is in {p.country} "
                                f"({_lower_first(lst.title)}) "
                                f"while the declared destination is {dest or 'not given'}.",
                            )
                        )
                elif (
                    p.role in RECEIVING_ROLES
                    and p.country
                    and p.country != dest
                    and p.country in self._concern
                ):
                    lst = self._strongest(p.country)
                    assert lst is not None
                    hits.append(
                        self._hit(
                            d,
                            "PARTY_COUNTRY_SANCTIONED",
                            Severity.MEDIUM,
                            lst,
                            p.country,
                            f"parties[{p.role.value}].country",
                            f"The {p.role.value.replace('_', ' ')} {p.name!r} is in {p.country} "
                            f"({_lower_first(lst.title)}), "
                            f"not in the destination {dest or 'given'}.",
                        )
                    )
            self._route(d, hits)
        elif d.procedure in INBOUND:
            origin = d.country_of_dispatch
            if origin and origin in self._embargo:
                hits.append(
                    self._hit(
                        d,
                        "ORIGIN_EMBARGOED",
                        Severity.MEDIUM,
                        self._embargo,
                        origin,
                        "country_of_dispatch",
                        f"Goods dispatched from {origin}, under a UN arms embargo that also bans "
                        "procurement of arms and related materiel from it.",
                    )
                )
        return hits

    def _route(self, d: Declaration, hits: list[Hit]) -> None:
        dest = d.country_of_destination
        # The administration's own country (from the office's UN/LOCODE) is no diversion hub
        # for its own declarations.
        home = office_country(d.office)
        ends = {d.country_of_dispatch, dest, home}
        risky_end = bool(dest) and (dest in self._concern or dest in self._embargo_targeted)
        end_users = {p.country for p in d.parties if p.role is PartyRole.END_USER and p.country}
        risky_end = risky_end or any(c in self._concern for c in end_users)
        seen: set[str] = set()
        for i, c in enumerate(d.itinerary):
            if c in ends or c in seen:
                continue
            seen.add(c)
            lst = self._strongest(c)
            if lst is not None:
                hits.append(
                    self._hit(
                        d,
                        "ROUTE_EMBARGOED",
                        Severity.MEDIUM,
                        lst,
                        c,
                        f"itinerary[{i}]",
                        f"The route passes through {c} ({_lower_first(lst.title)}).",
                    )
                )
            elif c in self._hubs:
                sev = Severity.MEDIUM if risky_end else Severity.LOW
                hits.append(
                    self._hit(
                        d,
                        "ROUTE_DIVERSION_HUB",
                        sev,
                        self._hubs,
                        c,
                        f"itinerary[{i}]",
                        f"The route passes through {c}, a common transshipment point for "
                        "export-control evasion"
                        + (" on the way to a sanctioned destination." if risky_end else "."),
                    )
                )
