"""Risk: country lists, scoring hits into a score and a lane, with an explanation."""

from stce.risk.countries import CountryList, CountryLists, country_lists
from stce.risk.country_check import CountryCheck
from stce.risk.engine import Assessment, RiskEngine
from stce.risk.lanes import SeverityEngine

__all__ = [
    "Assessment",
    "CountryCheck",
    "CountryList",
    "CountryLists",
    "RiskEngine",
    "SeverityEngine",
    "country_lists",
]
