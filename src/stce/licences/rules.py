"""National licensing rules: when a strategic item needs a licence, and the general licences.

Each State decides which procedures need a licence for strategic items (export always; re-export,
transit and transshipment under UNSCR 1540 OP3(d) "export and transshipment controls"), which
control regimes it enforces, and which general licences it publishes with their conditions. The
rules are data: a YAML file (`stce.licences.rules.load_rules`), with the package's
`data/default.yaml` as the starting point and `data/eu.yaml` as a worked example (EU001).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from stce.model import Procedure

Country = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$", to_upper=True)]


class GeneralLicence(BaseModel):
    """A published authorisation anyone may use when its conditions hold."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    number: str
    title: str = ""
    source: str = Field(default="", description="Legal text it comes from")
    procedures: list[Procedure] = Field(default_factory=lambda: [Procedure.EXPORT])
    destinations: list[Country] = Field(default_factory=list, description="Allowed; empty = any")
    control_entries: list[str] = Field(
        default_factory=list, description="Covered prefixes; empty = any"
    )
    excluded_control_entries: list[str] = Field(default_factory=list)
    regimes: list[str] = Field(default_factory=list, description="Covered regimes; empty = any")


class LicensingRules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    procedures: list[Procedure] = Field(
        default_factory=lambda: [
            Procedure.EXPORT,
            Procedure.REEXPORT,
            Procedure.TRANSIT,
            Procedure.TRANSSHIPMENT,
        ]
    )
    regimes: list[str] = Field(default_factory=list, description="Enforced regimes; empty = all")
    general_licences: list[GeneralLicence] = Field(default_factory=list)
    name_threshold: float = Field(default=0.85, ge=0, le=1)
    document_types: list[str] = Field(
        default_factory=lambda: ["licence", "license", "authorisation", "authorization"]
    )
    version: str = "default"

    def general(self, number: str) -> GeneralLicence | None:
        key = normalise_number(number)
        return next((g for g in self.general_licences if normalise_number(g.number) == key), None)

    def needs_licence(self, procedure: Procedure, regimes: tuple[str, ...]) -> bool:
        if procedure not in self.procedures:
            return False
        if not self.regimes:
            return True
        return not regimes or any(r in self.regimes for r in regimes)


def normalise_number(number: str) -> str:
    """Licence numbers compare without case, spaces, dashes or slashes ("DE/123-4" = "de1234")."""
    return "".join(ch for ch in number.upper() if ch.isalnum())


def load_rules(path: Path | None = None) -> LicensingRules:
    """Rules from a YAML file, or the package default."""
    if path is None:
        text = resources.files("stce.licences").joinpath("data/default.yaml").read_text("utf-8")
        name = "default"
    else:
        text = path.read_text(encoding="utf-8")
        name = path.name
    raw = yaml.safe_load(text) or {}
    if not isinstance(raw, dict):
        raise ValueError(f"{name}: licensing rules must be a mapping")
    raw.setdefault("version", name)
    return LicensingRules.model_validate(raw)


def eu_rules() -> LicensingRules:
    text = resources.files("stce.licences").joinpath("data/eu.yaml").read_text("utf-8")
    raw = yaml.safe_load(text)
    raw.setdefault("version", "eu.yaml")
    return LicensingRules.model_validate(raw)
