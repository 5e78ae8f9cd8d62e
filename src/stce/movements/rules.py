"""Configurable thresholds of the movement check and the free-zone reconciliation."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Country = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$", to_upper=True)]


class MovementRules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    home_country: Country | None = Field(
        default=None, description="The administration's own country (FTZ withdrawals stay here)"
    )
    sensitive_destinations: list[Country] = Field(
        # UN Security Council WMD-related regimes: DPRK (UNSCR 1718 (2006) and successors) and
        # Iran (UNSCR 1737 (2006) and successors, re-applied by the 2025 snapback). Add national
        # lists of diversion-concern destinations here.
        default_factory=lambda: ["KP", "IR"]
    )
    anchor_procedures: list[str] = Field(
        default_factory=lambda: ["transit", "transshipment", "ftz_entry", "reexport"],
        description="Procedures whose legs start chains even when they link to nothing",
    )
    name_threshold: float = Field(default=0.85, ge=0, le=1)
    description_threshold: float = Field(
        default=0.35,
        ge=0,
        le=1,
        description="Below this token-set similarity a description changed",
    )
    quantity_tolerance_pct: float = Field(default=5.0, ge=0)
    container_window_days: int = Field(default=60, ge=1)
    party_goods_window_days: int = Field(default=120, ge=1)
    max_dwell_days: dict[str, float] = Field(
        default_factory=lambda: {
            "transit": 30.0,
            "transshipment": 30.0,
            "ftz_entry": 730.0,
            "import": 365.0,
        }
    )
    dwell_min_history: int = Field(default=20, ge=3)
    dwell_robust_z: float = Field(default=3.5, gt=0)
    transit_limit_days: float = Field(default=15.0, gt=0)
    stock_tolerance_pct: float = Field(default=1.0, ge=0)
    stock_tolerance_abs: float = Field(default=0.5, ge=0)
    version: str = "default"


def load_movement_rules(path: Path | None = None) -> MovementRules:
    if path is None:
        return MovementRules()
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(raw, dict):
        raise ValueError(f"{path}: movement rules must be a mapping")
    raw.setdefault("version", path.name)
    return MovementRules.model_validate(raw)
