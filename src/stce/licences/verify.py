"""Pure licence logic shared by the check and the decrement: which licence item a declaration
line uses and how much it writes off.

Kept free of the store so that the check (on a registry snapshot) and the store's decrement (on
locked rows) decide the same way.
"""

from __future__ import annotations

from datetime import date, datetime

from stce.licences.determiner import StrategicDeterminer, StrategicItem
from stce.licences.model import Licence, LicenceItem, LicenceType, WriteOff
from stce.licences.registry import LicenceRegistry
from stce.licences.rules import LicensingRules
from stce.licences.units import UnknownUnitError, convert
from stce.model import Declaration, Document, GoodsItem


def licence_documents(declaration: Declaration, rules: LicensingRules) -> list[Document]:
    """The declaration's additional documents that are licences."""
    kinds = set(rules.document_types)
    return [d for d in declaration.documents if d.type in kinds]


def declaration_date(declaration: Declaration, default: date) -> date:
    lodged = declaration.lodged_at
    if isinstance(lodged, datetime):
        return lodged.date()
    if isinstance(lodged, date):
        return lodged
    return default


def _entry(code: str) -> str:
    return code.upper().replace(".", "").replace(" ", "")


def control_entry_matches(licensed: str, found: str) -> bool:
    """1C350 on the licence covers 1C350d1 found on the goods, and the other way round (the
    goods identification is often less precise than the licence)."""
    a, b = _entry(licensed), _entry(found)
    return a.startswith(b) or b.startswith(a)


def match_item(
    licence: Licence, goods: GoodsItem, strategic: StrategicItem | None
) -> LicenceItem | None:
    """The licence item that covers `goods`: by control entry first, then by HS code prefix."""
    entries = strategic.control_entries if strategic else ()
    for it in licence.items:
        if it.control_entry and any(control_entry_matches(it.control_entry, e) for e in entries):
            if it.hs_code and not goods.hs_code.startswith(it.hs_code[:6]):
                continue
            return it
    for it in licence.items:
        if it.hs_code and goods.hs_code.startswith(it.hs_code):
            return it
    for it in licence.items:
        if it.hs_code and len(it.hs_code) > 6 and goods.hs_code[:6] == it.hs_code[:6]:
            return it
    return None


def writeoff_amounts(
    doc: Document, goods: GoodsItem, item: LicenceItem
) -> tuple[float | None, float | None, str]:
    """Quantity (in the licence item's unit) and value a line writes off, with a note when a
    figure could not be compared.

    The write-off quantity/amount declared on the document wins (WCO AdditionalDocument write-off);
    otherwise the goods item's quantity (converted) or net mass, and its value.
    """
    notes: list[str] = []
    qty: float | None = None
    if item.quantity is not None and item.unit is not None:
        if doc.quantity is not None:
            qty = doc.quantity
        elif goods.quantity is not None and goods.unit:
            try:
                qty = convert(goods.quantity, goods.unit, item.unit)
            except UnknownUnitError:
                qty = None
            if qty is None:
                notes.append(
                    f"declared unit {goods.unit} not comparable with licence unit {item.unit}"
                )
        elif goods.net_mass_kg is not None:
            qty = convert(goods.net_mass_kg, "KGM", item.unit)
    val: float | None = None
    if item.value is not None:
        if doc.value is not None:
            val = doc.value
        elif goods.value is not None:
            if goods.currency and item.currency and goods.currency != item.currency:
                notes.append(
                    f"declared currency {goods.currency} differs from licence {item.currency}"
                )
            else:
                val = goods.value
    return qty, val, "; ".join(notes)


def goods_in_scope(
    doc: Document, declaration: Declaration, strategic: dict[int, StrategicItem]
) -> list[GoodsItem]:
    """Goods lines a licence document speaks for: its line, else the strategic lines, else all."""
    if doc.line is not None:
        return [g for g in declaration.items if g.line == doc.line]
    chosen = [g for g in declaration.items if g.line in strategic]
    return chosen or list(declaration.items)


def plan_writeoffs(
    declaration: Declaration,
    registry: LicenceRegistry,
    rules: LicensingRules,
    determiner: StrategicDeterminer | None = None,
) -> list[WriteOff]:
    """The write-offs a cleared declaration makes: one per (line, licence), first covering
    licence document wins. General licences have no balance and write nothing off."""
    strategic = {s.line: s for s in determiner.strategic_items(declaration)} if determiner else {}
    out: list[WriteOff] = []
    done: set[int] = set()
    for doc in licence_documents(declaration, rules):
        state = registry.get(doc.id)
        if state is None or state.licence.type is LicenceType.GENERAL:
            continue
        for goods in goods_in_scope(doc, declaration, strategic):
            if goods.line in done:
                continue
            item = match_item(state.licence, goods, strategic.get(goods.line))
            if item is None:
                continue
            qty, val, _ = writeoff_amounts(doc, goods, item)
            if qty is None and val is None:
                continue
            done.add(goods.line)
            out.append(
                WriteOff(
                    licence_number=state.licence.number,
                    item_no=item.item_no,
                    declaration_id=declaration.declaration_id,
                    line=goods.line,
                    quantity=qty,
                    value=val,
                )
            )
    return out
