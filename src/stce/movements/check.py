"""The `movements` check: links each declaration into its chain and flags diversion signs
between the arriving leg and the onward leg.

Flags (hit codes): CHAIN_CONSIGNEE_CHANGED, CHAIN_DESTINATION_CHANGED, CHAIN_DESTINATION_SENSITIVE,
CHAIN_RELABELLED, CHAIN_QUANTITY_CHANGED, CHAIN_DWELL_UNUSUAL, TRANSIT_NOT_EXITED,
REEXPORT_CONTROLLED_NO_LICENCE.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from rapidfuzz import fuzz

from stce.licences.determiner import StrategicDeterminer
from stce.licences.names import name_key, name_similarity
from stce.model import Declaration, Hit, Procedure, Severity
from stce.movements.chains import ChainIndex, Link, overdue_transits
from stce.movements.legs import ONWARD, Leg, LegGoods, leg_from_declaration
from stce.movements.rules import MovementRules

NAME = "movements"
VERSION = "1"


def _hit(code: str, severity: Severity, message: str, score: float = 1.0, **evidence: Any) -> Hit:
    return Hit(
        check=NAME,
        code=code,
        severity=severity,
        message=message,
        evidence={k: v for k, v in evidence.items() if v is not None},
        score=max(0.0, min(1.0, score)),
    )


def _desc_similarity(a: str, b: str) -> float:
    return float(fuzz.token_set_ratio(name_key(a), name_key(b))) / 100.0


class MovementCheck:
    """Implements `stce.model.Check`; the chain index is loaded from the store by the pipeline
    and its `pending()` legs saved back after the run."""

    name = NAME
    version = VERSION

    def __init__(
        self,
        index: ChainIndex,
        determiner: StrategicDeterminer | None = None,
        rules: MovementRules | None = None,
    ) -> None:
        self.index = index
        self.rules = rules or index.rules
        self.determiner = determiner
        self.version = f"{VERSION}+rules:{self.rules.version}"
        self.late_hits: dict[str, list[Hit]] = {}
        """Flags of declarations screened earlier, found when their predecessor was declared
        late (the pipeline records them against those declarations, like retro-screening)."""

    def check(self, batch: Sequence[Declaration]) -> list[list[Hit]]:
        ordered = sorted(range(len(batch)), key=lambda i: _sort_key(batch[i]))
        out: list[list[Hit]] = [[] for _ in batch]
        for i in ordered:
            out[i] = self.check_one(batch[i])
        return out

    def check_one(self, decl: Declaration) -> list[Hit]:
        leg = leg_from_declaration(decl, self.determiner)
        self.index.add(leg)
        hits = self.flags(leg.declaration_id)
        for did in self.index.adopted:
            late = self.flags(did)
            if late:
                self.late_hits[did] = [h.model_copy(update={"declaration_id": did}) for h in late]
        return hits

    def flags(self, did: str) -> list[Hit]:
        """The flags of a recorded leg against the leg it links to."""
        link = self.index.links.get(did)
        if link is None:
            return []
        leg = self.index.legs[did]
        prev = self.index.legs[link.predecessor]
        base: dict[str, Any] = {
            "chain_id": self.index.chain_of[did],
            "previous_declaration": prev.declaration_id,
            "link": link.via,
        }
        hits: list[Hit] = []
        if prev.procedure is Procedure.TRANSIT and leg.procedure in (
            Procedure.IMPORT,
            Procedure.FTZ_ENTRY,
        ):
            hits.append(
                _hit(
                    "TRANSIT_NOT_EXITED",
                    Severity.HIGH,
                    f"Goods declared in transit under {prev.declaration_id} are now declared for"
                    f" {leg.procedure.value} here instead of leaving the country.",
                    **base,
                )
            )
        if leg.procedure in ONWARD:
            hits += self._onward(leg, prev, link, base)
        return hits

    def _onward(self, leg: Leg, prev: Leg, link: Link, base: dict[str, Any]) -> list[Hit]:
        r = self.rules
        hits: list[Hit] = []
        sold_on = bool(
            prev.consignee
            and leg.consignor
            and name_similarity(prev.consignee, leg.consignor) >= r.name_threshold
        )
        if prev.consignee and leg.consignee and not sold_on:
            # When the arriving consignee is the onward consignor (the zone operator or hub
            # trader sells the goods on), a new consignee is the declared sale, not a change;
            # the destination flags still apply.
            sim = name_similarity(prev.consignee, leg.consignee)
            if sim < r.name_threshold:
                hits.append(
                    _hit(
                        "CHAIN_CONSIGNEE_CHANGED",
                        Severity.MEDIUM,
                        f"Arrived for {prev.consignee!r}, leaves for {leg.consignee!r}.",
                        score=1.0 - sim,
                        arriving=prev.consignee,
                        onward=leg.consignee,
                        similarity=round(sim, 3),
                        party_role="consignee",
                        **base,
                    )
                )
        declared = prev.final_destination(r.home_country)
        onward = leg.final_destination(r.home_country)
        if declared and onward and declared != onward:
            hits.append(
                _hit(
                    "CHAIN_DESTINATION_CHANGED",
                    Severity.HIGH,
                    f"Arrived declared for {declared}, leaves for {onward}.",
                    arriving=declared,
                    onward=onward,
                    country=onward,
                    **base,
                )
            )
        if onward and onward in r.sensitive_destinations:
            hits.append(
                _hit(
                    "CHAIN_DESTINATION_SENSITIVE",
                    Severity.HIGH,
                    f"Onward leg of a transshipment/free-zone chain goes to {onward}, a sensitive"
                    " destination.",
                    country=onward,
                    list="sensitive_destinations",
                    **base,
                )
            )
        if not leg.processing:
            hits += self._relabelled(leg, prev, base)
            # Partial withdrawals from storage or a zone are normal (the ledger reconciles
            # them); goods moving straight through must keep their quantity.
            if prev.procedure in (Procedure.TRANSIT, Procedure.TRANSSHIPMENT):
                q = self._quantity(leg, prev, base)
                if q is not None:
                    hits.append(q)
        d = self._dwell(leg, prev, base)
        if d is not None:
            hits.append(d)
        if leg.procedure is not Procedure.FTZ_EXIT or (
            leg.destination and leg.destination != r.home_country
        ):
            hits += self._controlled_without_licence(leg, base)
        return hits

    def _pair(self, g: LegGoods, prev: Leg, index: int, count: int) -> tuple[LegGoods | None, str]:
        same_hs = [p for p in prev.goods if p.hs6 == g.hs6]
        if same_hs:
            return max(same_hs, key=lambda p: _desc_similarity(p.description, g.description)), "hs"
        by_desc = [(p, _desc_similarity(p.description, g.description)) for p in prev.goods]
        by_desc = [t for t in by_desc if t[1] >= 0.6]
        if by_desc:
            return max(by_desc, key=lambda t: t[1])[0], "description"
        if len(prev.goods) == count:
            return prev.goods[index], "position"
        return None, ""

    def _relabelled(self, leg: Leg, prev: Leg, base: dict[str, Any]) -> list[Hit]:
        hits: list[Hit] = []
        for i, g in enumerate(leg.goods):
            p, how = self._pair(g, prev, i, len(leg.goods))
            if p is None:
                continue
            sim = _desc_similarity(p.description, g.description)
            changed: list[str] = []
            if p.hs6 != g.hs6:
                changed.append(f"HS {p.hs_code} → {g.hs_code}")
            if sim < self.rules.description_threshold:
                changed.append(f"description {p.description!r} → {g.description!r}")
            if not changed:
                continue
            severe = p.strategic and not g.strategic
            hits.append(
                _hit(
                    "CHAIN_RELABELLED",
                    Severity.HIGH if severe else Severity.MEDIUM,
                    f"Line {g.line} changed between legs without processing: {'; '.join(changed)}"
                    + (" (was strategic on arrival, not as declared now)" if severe else "")
                    + ".",
                    item_line=g.line,
                    previous_line=p.line,
                    previous_hs_code=p.hs_code,
                    hs_code=g.hs_code,
                    description_similarity=round(sim, 3),
                    paired_by=how,
                    control_entries=p.control_entries or None,
                    **base,
                )
            )
        return hits

    def _quantity(self, leg: Leg, prev: Leg, base: dict[str, Any]) -> Hit | None:
        a_mass, b_mass = prev.total_mass(), leg.total_mass()
        if a_mass is not None and b_mass is not None:
            a, b, unit = a_mass, b_mass, "kg"
        else:
            qa, qb = prev.total_quantity(), leg.total_quantity()
            if qa is None or qb is None or qa[1] != qb[1]:
                return None
            a, b, unit = qa[0], qb[0], qa[1]
        if a <= 0:
            return None
        change = (b - a) / a * 100.0
        if abs(change) <= self.rules.quantity_tolerance_pct:
            return None
        return _hit(
            "CHAIN_QUANTITY_CHANGED",
            Severity.MEDIUM,
            f"Quantity went from {a:g} {unit} to {b:g} {unit} ({change:+.1f} %) with no processing"
            " declared.",
            score=min(1.0, abs(change) / 100.0),
            arriving=a,
            onward=b,
            unit=unit,
            change_pct=round(change, 2),
            **base,
        )

    def _dwell(self, leg: Leg, prev: Leg, base: dict[str, Any]) -> Hit | None:
        hours = self.index.dwell_hours(prev, leg)
        if hours is None:
            return None
        stats = self.index.dwell_stats(prev.procedure.value, leg.procedure.value)
        n = len(stats) if stats is not None else 0
        reason = ""
        if stats is not None and n >= self.rules.dwell_min_history:
            z = stats.robust_z(hours)
            if z is not None and abs(z) > self.rules.dwell_robust_z:
                reason = f"robust z {z:+.1f} against {n} dwell times of this kind"
        if not reason:
            limit = self.rules.max_dwell_days.get(prev.procedure.value)
            if limit is not None and hours > limit * 24:
                reason = f"longer than the {limit:g}-day limit for {prev.procedure.value}"
        if not reason:
            return None
        return _hit(
            "CHAIN_DWELL_UNUSUAL",
            Severity.LOW,
            f"Goods stayed {hours / 24:.1f} days between {prev.procedure.value} and"
            f" {leg.procedure.value}: {reason}.",
            dwell_days=round(hours / 24, 2),
            history=n,
            **base,
        )

    def _controlled_without_licence(self, leg: Leg, base: dict[str, Any]) -> list[Hit]:
        if leg.licences:
            return []
        earlier = self.index.ancestors(leg.declaration_id)
        controlled = [(g, leg) for g in leg.goods if g.strategic]
        for e in earlier:
            controlled += [(g, e) for g in e.goods if g.strategic]
        if not controlled:
            return []
        g, where = controlled[0]
        return [
            _hit(
                "REEXPORT_CONTROLLED_NO_LICENCE",
                Severity.HIGH,
                f"Strategic goods (HS {g.hs_code}"
                f"{', ' + ', '.join(g.control_entries) if g.control_entries else ''},"
                f" as declared on {where.declaration_id}) leave by {leg.procedure.value}"
                " without a licence.",
                hs_code=g.hs_code,
                control_entries=g.control_entries or None,
                strategic_on=where.declaration_id,
                **base,
            )
        ]

    def flags_of(self, ids: Sequence[str]) -> list[Hit]:
        """The flags of recorded legs, each hit carrying its declaration id (for reports)."""
        return [
            h.model_copy(update={"declaration_id": did}) for did in ids for h in self.flags(did)
        ]

    def overdue(self, as_of: datetime) -> list[Hit]:
        """TRANSIT_NOT_EXITED for transits past the time limit with nothing linked after them
        (run as a sweep; the hits carry their declaration id)."""
        out: list[Hit] = []
        for leg in overdue_transits(self.index, as_of):
            assert leg.lodged_at is not None
            days = (as_of - leg.lodged_at).total_seconds() / 86400
            h = _hit(
                "TRANSIT_NOT_EXITED",
                Severity.HIGH,
                f"Transit {leg.declaration_id} of {leg.lodged_at.date()} has no exit after"
                f" {days:.0f} days (limit {self.rules.transit_limit_days:g}).",
                chain_id=self.index.chain_of[leg.declaration_id],
                days_open=round(days, 1),
                country=leg.destination,
            )
            out.append(h.model_copy(update={"declaration_id": leg.declaration_id}))
        return out


def _sort_key(decl: Declaration) -> str:
    v = decl.lodged_at
    return v.isoformat() if v is not None else ""
