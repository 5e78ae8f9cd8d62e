"""Commodity profiles: what an item is, what it is used for, why it is controlled, its HS codes
and what to look for on documents. The base of the training material (stce.train builds
handbooks and quizzes from these)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from stce.goods.kb import KnowledgeBase, knowledge_base


@dataclass
class ProfileSource:
    fact: str
    title: str
    url: str


@dataclass
class CommodityProfile:
    entry: str
    title: str
    regimes: list[str]
    list_ref: str
    category: str
    severity: str
    what_it_is: str
    uses: str | None
    why_controlled: str | None
    key_parameters: list[str]
    hs_exact: list[str]
    hs_partial: list[str]
    hs_descriptions: dict[str, str]
    names: list[str]
    chemicals: list[dict[str, Any]] = field(default_factory=list)
    misdeclarations: list[str] = field(default_factory=list)
    look_for: list[str] = field(default_factory=list)
    sources: list[ProfileSource] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def profile(
    entry_id: str,
    kb: KnowledgeBase | None = None,
    hs_descriptions: dict[str, str] | None = None,
) -> CommodityProfile:
    """The profile of `entry_id`. KeyError (naming close ids) when the entry is unknown.

    `hs_descriptions` (HS 2022 subheading → text, e.g. `load_hs(mirror).hs2022`) adds the
    nomenclature wording of each correlated code when available.
    """
    kb = kb or knowledge_base()
    e = kb.entry(entry_id)
    chems = kb.chemicals_by_entry.get(e.id, [])
    srcs: list[ProfileSource] = []
    for fact, keys in e.sources.items():
        for k in keys:
            s = kb.sources[k]
            srcs.append(ProfileSource(fact, s.title, s.url))
    descs = hs_descriptions or {}
    codes = sorted(e.hs_codes | {h for c in chems for h in c.hs})
    return CommodityProfile(
        entry=e.id,
        title=e.title,
        regimes=[r.value for r in e.regimes],
        list_ref=e.list_ref,
        category=e.category.value,
        severity="critical" if e.trigger_list else e.severity.value,
        what_it_is=e.description,
        uses=e.uses,
        why_controlled=e.why_controlled,
        key_parameters=e.key_parameters(),
        hs_exact=sorted(h.code for h in e.hs if h.match == "exact"),
        hs_partial=sorted(
            {h.code for h in e.hs if h.match == "partial"}
            | ({h for c in chems for h in c.hs} - {h.code for h in e.hs})
        ),
        hs_descriptions={c: descs[c] for c in codes if c in descs},
        names=list(e.names),
        chemicals=[
            {
                "cas": c.cas,
                "name": c.name,
                "synonyms": c.synonyms,
                "abbreviations": c.abbreviations,
                "hs": c.hs,
                "entries": c.entries,
            }
            for c in chems
        ],
        misdeclarations=list(e.misdeclarations),
        look_for=list(e.look_for),
        sources=srcs,
    )
