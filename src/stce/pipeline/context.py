"""What a screening run knows besides the declarations: settings, reference data, versions.

Built once per run by the pipeline and handed to every check factory, so that checks never
reach for the store, the CLI or the environment themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from stce.config import Settings
from stce.refdata.hs import HsNomenclature


@dataclass
class ScreeningContext:
    settings: Settings
    hs: HsNomenclature | None = None
    as_of: date | None = None
    versions: dict[str, Any] = field(default_factory=dict)
    """Versions of reference data, rules and checks; copied into every result row."""
    shared: dict[str, Any] = field(default_factory=dict)
    """Objects that several checks of one run share (e.g. one cached goods determiner)."""
