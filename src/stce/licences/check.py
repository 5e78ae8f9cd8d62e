"""The `licences` check: determination (a strategic item needs a licence) and verification
(the referenced licence exists, is valid, names these parties, covers this item, has balance).

Each mismatch is its own hit with the expected and declared facts as evidence.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from stce.licences.determiner import StrategicDeterminer, StrategicItem
from stce.licences.model import LicenceState, LicenceStatus, LicenceType
from stce.licences.names import best_match
from stce.licences.registry import LicenceRegistry
from stce.licences.rules import GeneralLicence, LicensingRules
from stce.licences.verify import (
    control_entry_matches,
    declaration_date,
    goods_in_scope,
    licence_documents,
    match_item,
    writeoff_amounts,
)
from stce.model import Declaration, Document, Hit, PartyRole, Severity

NAME = "licences"
VERSION = "1"

_Pending = dict[tuple[str, int], dict[tuple[str, int], tuple[float, float]]]


def _hit(code: str, severity: Severity, message: str, score: float = 1.0, **evidence: Any) -> Hit:
    return Hit(
        check=NAME,
        code=code,
        severity=severity,
        message=message,
        evidence={k: v for k, v in evidence.items() if v is not None},
        score=max(0.0, min(1.0, score)),
    )


class LicenceCheck:
    """Implements `stce.model.Check` over a registry snapshot, national rules and a determiner."""

    name = NAME
    version = VERSION

    def __init__(
        self,
        registry: LicenceRegistry,
        rules: LicensingRules,
        determiner: StrategicDeterminer | None,
        as_of: date | None = None,
    ) -> None:
        self.registry = registry
        self.rules = rules
        self.determiner = determiner
        self.as_of = as_of
        self.version = f"{VERSION}+rules:{rules.version}"
        self._pending: _Pending = defaultdict(dict)

    def check(self, batch: Sequence[Declaration]) -> list[list[Hit]]:
        # Write-offs of declarations screened earlier in this run count against the balance
        # until the registry is refreshed after they are recorded (`refresh`).
        return [self.check_one(d, self._pending) for d in batch]

    def refresh(self, registry: LicenceRegistry) -> None:
        """Use a new snapshot (taken after the run's write-offs were recorded)."""
        self.registry = registry
        self._pending = defaultdict(dict)

    # -- one declaration -------------------------------------------------------------------
    def check_one(self, decl: Declaration, pending: _Pending | None = None) -> list[Hit]:
        pending = pending if pending is not None else defaultdict(dict)
        strategic = (
            {s.line: s for s in self.determiner.strategic_items(decl)} if self.determiner else {}
        )
        docs = licence_documents(decl, self.rules)
        hits: list[Hit] = []
        for s in strategic.values():
            if not self.rules.needs_licence(decl.procedure, s.regimes):
                continue
            if not any(d.line in (None, s.line) for d in docs):
                hits.append(
                    _hit(
                        "LICENCE_MISSING",
                        Severity.HIGH,
                        f"Line {s.line} is strategic ({', '.join(s.control_entries or s.regimes)})"
                        f" and needs a licence for {decl.procedure.value}, but no licence is"
                        " declared.",
                        item_line=s.line,
                        control_entries=list(s.control_entries),
                        regimes=list(s.regimes),
                        reason=s.reason or None,
                        procedure=decl.procedure.value,
                    )
                )
        verified: set[str] = set()
        for doc in docs:
            state = self.registry.get(doc.id)
            if state is not None:
                # A licence cited once per line is still checked once for dates and parties.
                first = state.licence.number not in verified
                verified.add(state.licence.number)
                hits.extend(self._verify(decl, doc, state, strategic, pending, first))
                continue
            general = self.rules.general(doc.id)
            if general is not None:
                hits.extend(self._verify_general(decl, doc, general, strategic))
                continue
            hits.append(
                _hit(
                    "LICENCE_NOT_FOUND",
                    Severity.HIGH,
                    f"Licence {doc.id} is not in the licence registry nor a general licence.",
                    licence_number=doc.id,
                    item_line=doc.line,
                    field="documents.id",
                )
            )
        return hits

    # -- registered licences ---------------------------------------------------------------
    def _verify(
        self,
        decl: Declaration,
        doc: Document,
        state: LicenceState,
        strategic: dict[int, StrategicItem],
        pending: _Pending,
        whole: bool = True,
    ) -> list[Hit]:
        hits: list[Hit] = []
        if whole:
            hits.extend(self._licence_level(decl, state))
        hits.extend(self._lines(decl, doc, state, strategic, pending))
        return hits

    def _licence_level(self, decl: Declaration, state: LicenceState) -> list[Hit]:
        """Status, validity, parties and destination: once per licence and declaration."""
        lic = state.licence
        hits: list[Hit] = []
        on = declaration_date(decl, self.as_of or date.today())
        if lic.status is not LicenceStatus.VALID:
            hits.append(
                _hit(
                    "LICENCE_NOT_VALID",
                    Severity.HIGH,
                    f"Licence {lic.number} is {lic.status.value}.",
                    licence_number=lic.number,
                    status=lic.status.value,
                    field="status",
                )
            )
        if not lic.valid_from <= on <= lic.valid_to:
            hits.append(
                _hit(
                    "LICENCE_NOT_VALID",
                    Severity.HIGH,
                    f"Licence {lic.number} is valid {lic.valid_from} to {lic.valid_to}; the"
                    f" declaration is of {on}.",
                    licence_number=lic.number,
                    valid_from=lic.valid_from.isoformat(),
                    valid_to=lic.valid_to.isoformat(),
                    declaration_date=on.isoformat(),
                    field="validity",
                )
            )
        if lic.type is not LicenceType.GENERAL:
            # A general licence registered by the authority names no holder or parties.
            hits.extend(self._parties(decl, state))
        dest = decl.country_of_destination
        if lic.destinations and dest and dest not in lic.destinations:
            hits.append(
                _hit(
                    "LICENCE_DESTINATION_MISMATCH",
                    Severity.HIGH,
                    f"Destination {dest} is not among the licensed destinations"
                    f" {', '.join(lic.destinations)} of {lic.number}.",
                    licence_number=lic.number,
                    country=dest,
                    expected=list(lic.destinations),
                    field="country_of_destination",
                )
            )
        return hits

    def _lines(
        self,
        decl: Declaration,
        doc: Document,
        state: LicenceState,
        strategic: dict[int, StrategicItem],
        pending: _Pending,
    ) -> list[Hit]:
        """Item coverage and balance for each goods line the document speaks for."""
        lic = state.licence
        hits: list[Hit] = []
        lines = goods_in_scope(doc, decl, strategic)
        if doc.line is not None and not lines:
            hits.append(
                _hit(
                    "LICENCE_ITEM_NOT_COVERED",
                    Severity.MEDIUM,
                    f"Licence {lic.number} is cited for line {doc.line}, which the declaration"
                    " does not have.",
                    licence_number=lic.number,
                    item_line=doc.line,
                    field="documents.line",
                )
            )
        for goods in lines:
            s = strategic.get(goods.line)
            item = match_item(lic, goods, s)
            if item is None:
                hits.append(
                    _hit(
                        "LICENCE_ITEM_NOT_COVERED",
                        Severity.HIGH,
                        f"Line {goods.line} (HS {goods.hs_code}"
                        f"{', ' + ', '.join(s.control_entries) if s and s.control_entries else ''})"
                        f" is not among the items of licence {lic.number}.",
                        licence_number=lic.number,
                        item_line=goods.line,
                        hs_code=goods.hs_code,
                        control_entries=list(s.control_entries) if s else None,
                        licensed_items=[
                            {
                                "item_no": i.item_no,
                                "control_entry": i.control_entry,
                                "hs_code": i.hs_code,
                            }
                            for i in lic.items
                        ],
                    )
                )
                continue
            if lic.type is LicenceType.GENERAL:
                continue  # no balance to exhaust
            hit = self._balance(decl, doc, goods.line, state, item.item_no, goods, pending)
            if hit is not None:
                hits.append(hit)
        return hits

    def _parties(self, decl: Declaration, state: LicenceState) -> list[Hit]:
        lic = state.licence
        th = self.rules.name_threshold
        hits: list[Hit] = []
        consignors = decl.parties_in(PartyRole.CONSIGNOR)
        id_match = lic.holder_id is not None and any(p.id == lic.holder_id for p in consignors)
        if not id_match:
            name, score = best_match(lic.holder, [p.name for p in consignors])
            if score < th:
                hits.append(
                    _hit(
                        "LICENCE_HOLDER_MISMATCH",
                        Severity.MEDIUM if consignors else Severity.LOW,
                        f"Licence {lic.number} is held by {lic.holder!r}; the exporter declared is"
                        f" {name or (consignors[0].name if consignors else 'nobody')!r}.",
                        score=1.0 - score,
                        licence_number=lic.number,
                        expected=lic.holder,
                        declared=name or (consignors[0].name if consignors else None),
                        similarity=round(score, 3),
                        party_role="consignor",
                    )
                )
        consignees = [p.name for p in decl.parties_in(PartyRole.CONSIGNEE)]
        if lic.consignee and consignees:
            name, score = best_match(lic.consignee, consignees)
            if score < th:
                hits.append(
                    _hit(
                        "LICENCE_CONSIGNEE_MISMATCH",
                        Severity.MEDIUM,
                        f"Licence {lic.number} names consignee {lic.consignee!r}; the declaration"
                        f" names {consignees[0]!r}.",
                        score=1.0 - score,
                        licence_number=lic.number,
                        expected=lic.consignee,
                        declared=name or consignees[0],
                        similarity=round(score, 3),
                        party_role="consignee",
                    )
                )
        if lic.end_user:
            end_users = [p.name for p in decl.parties_in(PartyRole.END_USER)]
            pool = end_users or consignees
            if pool:
                name, score = best_match(lic.end_user, pool)
                if score < th:
                    role = "end_user" if end_users else "consignee"
                    hits.append(
                        _hit(
                            "LICENCE_END_USER_MISMATCH",
                            Severity.HIGH,
                            f"Licence {lic.number} is for end user {lic.end_user!r}; the"
                            f" declaration names {pool[0]!r} as {role.replace('_', ' ')}"
                            + ("" if end_users else " and no end user")
                            + ".",
                            score=1.0 - score,
                            licence_number=lic.number,
                            expected=lic.end_user,
                            declared=name or pool[0],
                            similarity=round(score, 3),
                            party_role=role,
                        )
                    )
        return hits

    def _balance(
        self,
        decl: Declaration,
        doc: Document,
        line: int,
        state: LicenceState,
        item_no: int,
        goods: Any,
        pending: _Pending,
    ) -> Hit | None:
        lic = state.licence
        item = lic.item(item_no)
        assert item is not None
        qty, val, note = writeoff_amounts(doc, goods, item)
        bal = state.balance(item_no)
        own = [
            w
            for w in state.writeoffs
            if w.declaration_id == decl.declaration_id and w.item_no == item_no
        ]
        key = (lic.number, item_no)
        others = [v for k, v in pending[key].items() if k[0] != decl.declaration_id]
        tol = lic.tolerance_pct / 100.0
        problems: list[str] = []
        evidence: dict[str, Any] = {
            "licence_number": lic.number,
            "item_line": line,
            "item_no": item_no,
        }
        if qty is not None and bal.quantity is not None and item.quantity is not None:
            avail = bal.quantity + sum(w.quantity or 0.0 for w in own) - sum(o[0] for o in others)
            limit = avail + item.quantity * tol
            evidence.update(quantity=qty, quantity_available=round(avail, 6), unit=item.unit)
            if qty > limit + 1e-9:
                problems.append(f"quantity {qty:g} {item.unit} exceeds the {avail:g} left")
        if val is not None and bal.value is not None and item.value is not None:
            avail = bal.value + sum(w.value or 0.0 for w in own) - sum(o[1] for o in others)
            limit = avail + item.value * tol
            evidence.update(value=val, value_available=round(avail, 2), currency=item.currency)
            if val > limit + 1e-9:
                problems.append(f"value {val:g} {item.currency} exceeds the {avail:g} left")
        pending[key][(decl.declaration_id, line)] = (qty or 0.0, val or 0.0)
        if note:
            evidence["note"] = note
        if not problems:
            return None
        evidence["tolerance_pct"] = lic.tolerance_pct
        return _hit(
            "LICENCE_BALANCE_EXCEEDED",
            Severity.MEDIUM,
            f"Line {line} on licence {lic.number} item {item_no}: {'; '.join(problems)}"
            f" (tolerance {lic.tolerance_pct:g} %).",
            **evidence,
        )

    # -- general licences ------------------------------------------------------------------
    def _verify_general(
        self,
        decl: Declaration,
        doc: Document,
        general: GeneralLicence,
        strategic: dict[int, StrategicItem],
    ) -> list[Hit]:
        hits: list[Hit] = []
        if decl.procedure not in general.procedures:
            hits.append(
                _hit(
                    "LICENCE_NOT_VALID",
                    Severity.HIGH,
                    f"General licence {general.number} does not cover {decl.procedure.value}.",
                    licence_number=general.number,
                    field="procedure",
                    source=general.source or None,
                )
            )
        dest = decl.country_of_destination
        if general.destinations and dest and dest not in general.destinations:
            hits.append(
                _hit(
                    "LICENCE_DESTINATION_MISMATCH",
                    Severity.HIGH,
                    f"General licence {general.number} allows only"
                    f" {', '.join(general.destinations)}; the destination is {dest}.",
                    licence_number=general.number,
                    country=dest,
                    expected=list(general.destinations),
                    field="country_of_destination",
                    source=general.source or None,
                )
            )
        for goods in goods_in_scope(doc, decl, strategic):
            s = strategic.get(goods.line)
            if s is None:
                continue
            excluded = [
                e
                for e in s.control_entries
                if any(control_entry_matches(x, e) for x in general.excluded_control_entries)
                or any(_entry_prefix(x, e) for x in general.excluded_control_entries)
            ]
            outside = bool(general.control_entries) and not any(
                control_entry_matches(c, e)
                for c in general.control_entries
                for e in s.control_entries
            )
            wrong_regime = bool(general.regimes) and not any(
                r in general.regimes for r in s.regimes
            )
            if excluded or outside or wrong_regime:
                hits.append(
                    _hit(
                        "LICENCE_ITEM_NOT_COVERED",
                        Severity.HIGH,
                        f"Line {goods.line} ({', '.join(s.control_entries or s.regimes)}) is not"
                        f" covered by general licence {general.number}.",
                        licence_number=general.number,
                        item_line=goods.line,
                        control_entries=list(s.control_entries),
                        source=general.source or None,
                    )
                )
        return hits


def _entry_prefix(prefix: str, entry: str) -> bool:
    """Exclusions may name a whole category ("0") or sub-category ("1C")."""
    return entry.upper().startswith(prefix.upper())
