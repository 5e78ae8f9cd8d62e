"""Country lists (embargoes, sanctioned destinations, diversion hubs) as curated, sourced data."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from stce.model import Severity


@dataclass(frozen=True)
class CountryList:
    key: str
    title: str
    severity: Severity
    source: str
    notes: dict[str, str]

    def __contains__(self, code: object) -> bool:
        return code in self.notes


@dataclass(frozen=True)
class CountryLists:
    version: str
    lists: dict[str, CountryList]

    def __getitem__(self, key: str) -> CountryList:
        return self.lists[key]

    def memberships(self, code: str) -> list[CountryList]:
        """Every list that names `code`."""
        return [lst for lst in self.lists.values() if code in lst]


@cache
def country_lists() -> CountryLists:
    """The country lists shipped with stce (`risk/data/countries.yaml`)."""
    text = resources.files("stce.risk").joinpath("data/countries.yaml").read_text("utf-8")
    raw = yaml.safe_load(text)
    lists: dict[str, CountryList] = {}
    for key, spec in raw["lists"].items():
        notes = {code: (v or {}).get("note", "") for code, v in spec["countries"].items()}
        lists[key] = CountryList(
            key=key,
            title=spec["title"],
            severity=Severity(spec["severity"]),
            source=" ".join(str(spec["source"]).split()),
            notes=notes,
        )
    return CountryLists(version=str(raw["version"]), lists=lists)
