"""Risk: country lists, rule packs, scoring hits into a score and a lane, with an explanation.

`build_engine(context)` gives the pipeline a `RuleEngine` (see `stce.risk.selectivity` for the
score semantics and `stce.risk.expr` for the condition language).
"""

from stce.risk.countries import CountryList, CountryLists, country_lists
from stce.risk.country_check import CountryCheck
from stce.risk.engine import Assessment, RiskEngine
from stce.risk.factory import build_engine
from stce.risk.history import History, InMemoryHistory
from stce.risk.pack import Pack, PackError, load_default_pack, load_pack
from stce.risk.selectivity import RuleEngine

__all__ = [
    "Assessment",
    "CountryCheck",
    "CountryList",
    "CountryLists",
    "History",
    "InMemoryHistory",
    "Pack",
    "PackError",
    "RiskEngine",
    "RuleEngine",
    "build_engine",
    "country_lists",
    "load_default_pack",
    "load_pack",
]
