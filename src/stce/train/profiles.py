"""Commodity profiles for training, adapted from the goods profiles (`stce.goods.profile`).

The handbook and quizzes read this small, frozen `CommodityProfile` only, so they stay
independent of how `stce.goods` evolves; `profiles()` adds each entry's chapter (topic) and HS
descriptions from the nomenclature when the reference mirror is available.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from stce.goods.kb import Category, ControlEntry, KnowledgeBase, Regime, knowledge_base
from stce.goods.profile import profile as goods_profile


class Topic(StrEnum):
    CHEMICALS = "chemicals"
    BIOLOGICAL = "biological"
    NUCLEAR = "nuclear"
    MISSILES = "missiles"
    DUAL_USE = "dual_use"
    MUNITIONS = "munitions"
    ALL = "all"

    @property
    def heading(self) -> str:
        return {
            "chemicals": "Chemicals (CWC schedules, Australia Group precursors)",
            "biological": "Biological agents, toxins and equipment",
            "nuclear": "Nuclear materials and equipment (NSG)",
            "missiles": "Missiles and unmanned aerial vehicles (MTCR)",
            "dual_use": "Other dual-use goods (Wassenaar Arrangement)",
            "munitions": "Munitions and common high-priority items",
            "all": "All strategic goods",
        }[self.value]


def topic_of(entry: ControlEntry) -> Topic:
    """The one chapter an entry belongs to (first rule that applies)."""
    regimes = set(entry.regimes)
    if Regime.CWC in regimes:
        return Topic.BIOLOGICAL if entry.category is Category.BIOLOGICAL else Topic.CHEMICALS
    if Regime.MTCR in regimes:
        return Topic.MISSILES
    if Regime.NSG in regimes or entry.category is Category.NUCLEAR_MATERIAL:
        return Topic.NUCLEAR
    if entry.category is Category.CHEMICAL:
        return Topic.CHEMICALS
    if entry.category is Category.BIOLOGICAL or Regime.AG in regimes:
        return Topic.BIOLOGICAL
    if entry.category in (Category.MUNITION, Category.CHPL) or Regime.WA_MUNITIONS in regimes:
        return Topic.MUNITIONS
    return Topic.DUAL_USE


@dataclass(frozen=True)
class HsLine:
    code: str
    match: str
    description: str = ""

    @property
    def dotted(self) -> str:
        return f"{self.code[:4]}.{self.code[4:]}"


@dataclass(frozen=True)
class ChemicalLine:
    cas: str
    name: str
    synonyms: tuple[str, ...]
    abbreviations: tuple[str, ...]
    hs: tuple[str, ...]


@dataclass(frozen=True)
class SourceLine:
    title: str
    url: str


@dataclass(frozen=True)
class CommodityProfile:
    entry_id: str
    topic: Topic
    title: str
    list_ref: str
    regimes: tuple[str, ...]
    category: str
    severity: str
    description: str
    why_controlled: str = ""
    uses: str = ""
    parameters: tuple[str, ...] = ()
    hs: tuple[HsLine, ...] = ()
    names: tuple[str, ...] = ()
    misdeclarations: tuple[str, ...] = ()
    look_for: tuple[str, ...] = ()
    chemicals: tuple[ChemicalLine, ...] = ()
    sources: tuple[SourceLine, ...] = field(default_factory=tuple)


def _profile(kb: KnowledgeBase, e: ControlEntry, hs_text: dict[str, str]) -> CommodityProfile:
    """Adapt the goods profile (`stce goods profile ENTRY`) of one entry."""
    g = goods_profile(e.id, kb, hs_text)
    hs = [HsLine(c, "exact", g.hs_descriptions.get(c, "")) for c in g.hs_exact]
    hs += [HsLine(c, "partial", g.hs_descriptions.get(c, "")) for c in g.hs_partial]
    sources = tuple(dict.fromkeys(SourceLine(s.title, s.url) for s in g.sources))
    return CommodityProfile(
        entry_id=g.entry,
        topic=topic_of(e),
        title=g.title,
        list_ref=g.list_ref,
        regimes=tuple(g.regimes),
        category=g.category,
        severity=g.severity,
        description=g.what_it_is,
        why_controlled=g.why_controlled or "",
        uses=g.uses or "",
        parameters=tuple(g.key_parameters),
        hs=tuple(hs),
        names=tuple(g.names[:12]),
        misdeclarations=tuple(g.misdeclarations),
        look_for=tuple(g.look_for),
        chemicals=tuple(
            ChemicalLine(
                str(c["cas"]),
                str(c["name"]),
                tuple(c["synonyms"]),
                tuple(c["abbreviations"]),
                tuple(c["hs"]),
            )
            for c in g.chemicals
        ),
        sources=sources,
    )


def hs_descriptions() -> dict[str, str]:
    """HS 2022 subheading texts from the mirror, or {} when the mirror is absent."""
    from stce.config import get_settings
    from stce.refdata.hs import load_hs

    mirror = get_settings().mirror
    if mirror is None:
        return {}
    try:
        return load_hs(mirror).hs2022
    except FileNotFoundError:
        return {}


def profiles(
    topic: Topic = Topic.ALL,
    kb: KnowledgeBase | None = None,
    hs_text: dict[str, str] | None = None,
) -> list[CommodityProfile]:
    """Profiles of `topic`, in list order (regime reference, then id)."""
    base = kb or knowledge_base()
    text = hs_descriptions() if hs_text is None else hs_text
    out = [_profile(base, e, text) for e in base.entries.values()]
    if topic is not Topic.ALL:
        out = [p for p in out if p.topic is topic]
    return sorted(out, key=lambda p: (p.topic.value, p.list_ref, p.entry_id))
