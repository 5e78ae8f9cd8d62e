"""Strategic goods identification: the control-list knowledge base, HS correlation, CAS numbers
and description matching, and the `goods` screening check."""

from stce.goods.cas import find_cas, is_valid_cas
from stce.goods.check import GoodsCheck, build_check
from stce.goods.identify import (
    Candidate,
    ChemicalHit,
    Evidence,
    GoodsAssessment,
    GoodsIdentifier,
    GoodsQuery,
    GoodsWarning,
    identify,
)
from stce.goods.kb import (
    Chemical,
    ControlEntry,
    KnowledgeBase,
    KnowledgeBaseError,
    Regime,
    knowledge_base,
    load_knowledge_base,
)
from stce.goods.profile import CommodityProfile, profile

__all__ = [
    "Candidate",
    "Chemical",
    "ChemicalHit",
    "CommodityProfile",
    "ControlEntry",
    "Evidence",
    "GoodsAssessment",
    "GoodsCheck",
    "GoodsIdentifier",
    "GoodsQuery",
    "GoodsWarning",
    "KnowledgeBase",
    "KnowledgeBaseError",
    "Regime",
    "build_check",
    "find_cas",
    "identify",
    "is_valid_cas",
    "knowledge_base",
    "load_knowledge_base",
    "profile",
]
