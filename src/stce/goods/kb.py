"""The control-list knowledge base: versioned YAML files we curate, validated at load time.

Each YAML file under `stce/goods/data/` holds `sources` (key → title, url), optional `defaults`
merged into every entry, and `entries` (one per control item) or `chemicals` (one per CAS
number, attached to entries by id). A bad entry stops the load with an error that names the
file, the entry and the field, so a reviewer can fix the data rather than the code.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
)
from pydantic_core import ErrorDetails

from stce.goods.cas import is_valid_cas
from stce.model.hit import Severity

DATA_DIR = Path(__file__).parent / "data"

Hs6 = Annotated[str, StringConstraints(pattern=r"^[0-9]{6}$")]
EntryId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9.-]{1,15}$")]


class Regime(StrEnum):
    NSG = "NSG"
    AG = "AG"
    CWC = "CWC"
    MTCR = "MTCR"
    WA_DUAL_USE = "WA-dual-use"
    WA_MUNITIONS = "WA-munitions"
    CHPL = "CHPL"


class Category(StrEnum):
    CHEMICAL = "chemical"
    BIOLOGICAL = "biological"
    NUCLEAR_MATERIAL = "nuclear_material"
    MATERIAL = "material"
    EQUIPMENT = "equipment"
    MUNITION = "munition"
    CHPL = "chpl"


class Quantity(StrEnum):
    """Physical quantities the description parser extracts (SI base units)."""

    FREQUENCY = "frequency"  # Hz
    PRESSURE = "pressure"  # Pa (also tensile strength)
    TENSILE = "tensile"  # Pa, alias of pressure
    PERCENT = "percent"
    AXES = "axes"
    LENGTH = "length"  # m
    DIAMETER = "diameter"  # m, alias of length
    TEMPERATURE = "temperature"  # K
    POWER = "power"  # W
    VOLTAGE = "voltage"  # V
    CURRENT = "current"  # A
    ENERGY = "energy"  # J
    CAPACITANCE = "capacitance"  # F
    TIME = "time"  # s
    FORCE = "force"  # N
    SPEED = "speed"  # m/s
    MASS = "mass"  # kg
    VOLUME = "volume"  # m3
    AREA = "area"  # m2
    RPM = "rpm"
    FPS = "fps"
    PPM = "ppm"
    MASS_UNITS = "mass_units"  # u
    DENSITY = "density"  # g/cm3
    DRIFT = "drift"  # deg/h

    @property
    def dimension(self) -> str:
        return _ALIASES.get(self.value, self.value)


_ALIASES = {"tensile": "pressure", "diameter": "length"}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Model):
    title: str = Field(min_length=3)
    url: str = Field(pattern=r"^https?://")


class HsLink(_Model):
    """An HS 2022 subheading correlated with an entry: `exact` when the subheading holds only
    controlled goods, `partial` when it also holds ordinary goods."""

    code: Hs6
    match: Literal["exact", "partial"]
    note: str | None = None


class Measure(_Model):
    """A technical threshold the parser can test against quantities found in a description."""

    quantity: Quantity
    min: float | None = None
    max: float | None = None
    label: str

    def admits(self, value: float) -> bool:
        return (self.min is None or value >= self.min) and (self.max is None or value <= self.max)


Phrase = Annotated[str, StringConstraints(min_length=2, max_length=200, strip_whitespace=True)]


class ControlEntry(_Model):
    """One item of a control list, in our words, with what identifies it at the border."""

    id: EntryId
    regimes: list[Regime] = Field(min_length=1)
    category: Category
    list_ref: str = Field(min_length=2)
    title: str = Field(min_length=3)
    description: str = Field(min_length=3)
    severity: Severity = Severity.HIGH
    trigger_list: bool = False
    watch_only: bool = Field(
        default=False, description="Priority/watch item: an HS hit alone never makes it strategic"
    )
    tier: str | None = None
    parameters: list[str] = Field(default_factory=list)
    measures: list[Measure] = Field(default_factory=list)
    hs: list[HsLink] = Field(default_factory=list)
    names: list[Phrase] = Field(default_factory=list)
    keywords: list[Phrase] = Field(default_factory=list)
    exclusions: list[Phrase] = Field(default_factory=list)
    misdeclarations: list[str] = Field(default_factory=list)
    uses: str | None = None
    why_controlled: str | None = None
    look_for: list[str] = Field(default_factory=list)
    sources: dict[str, list[str]] = Field(min_length=1)
    source_file: str = ""

    @field_validator("sources")
    @classmethod
    def _control_source(cls, v: dict[str, list[str]]) -> dict[str, list[str]]:
        if not v.get("control"):
            raise ValueError("needs a 'control' source (where the control text is published)")
        return v

    @property
    def hs_codes(self) -> set[str]:
        return {h.code for h in self.hs}

    def key_parameters(self) -> list[str]:
        """Human-readable parameters: the written ones plus the labels of the measures."""
        return list(self.parameters) + [m.label for m in self.measures]


class Chemical(_Model):
    """One chemical by CAS number, with the entries (CWC item, AG 1C350) that control it."""

    cas: str
    name: str = Field(min_length=2)
    synonyms: list[Phrase] = Field(default_factory=list)
    abbreviations: list[str] = Field(default_factory=list)
    entries: list[EntryId] = Field(min_length=1)
    hs: list[Hs6] = Field(default_factory=list)
    note: str | None = None
    sources: dict[str, list[str]] = Field(min_length=1)
    source_file: str = ""

    @field_validator("cas")
    @classmethod
    def _valid_cas(cls, v: str) -> str:
        if not is_valid_cas(v):
            raise ValueError(f"CAS number {v!r} has a wrong form or check digit")
        return v

    @property
    def all_names(self) -> list[str]:
        return [self.name, *self.synonyms]


class KnowledgeBaseError(ValueError):
    """A knowledge-base file or entry is invalid; the message names file, entry and field."""


class KnowledgeBase:
    """All entries and chemicals, with the lookups identification needs."""

    def __init__(
        self,
        entries: Iterable[ControlEntry],
        chemicals: Iterable[Chemical],
        sources: dict[str, Source],
        version: str,
    ) -> None:
        self.entries: dict[str, ControlEntry] = {}
        for e in entries:
            if e.id in self.entries:
                raise KnowledgeBaseError(
                    f"{e.source_file}: entry {e.id}: duplicate id "
                    f"(also in {self.entries[e.id].source_file})"
                )
            self.entries[e.id] = e
        self.chemicals: dict[str, Chemical] = {}
        for c in chemicals:
            if c.cas in self.chemicals:
                raise KnowledgeBaseError(f"{c.source_file}: chemical {c.cas}: duplicate CAS")
            self.chemicals[c.cas] = c
        self.sources = sources
        self.version = version
        self._check_references()
        self.chemicals_by_entry: dict[str, list[Chemical]] = {}
        for c in self.chemicals.values():
            for eid in c.entries:
                self.chemicals_by_entry.setdefault(eid, []).append(c)

    def _check_references(self) -> None:
        for e in self.entries.values():
            for fact, keys in e.sources.items():
                for k in keys:
                    if k not in self.sources:
                        raise KnowledgeBaseError(
                            f"{e.source_file}: entry {e.id}: field sources.{fact}: "
                            f"unknown source {k!r}"
                        )
            if e.hs and "hs" not in e.sources:
                raise KnowledgeBaseError(
                    f"{e.source_file}: entry {e.id}: field sources: HS correlations need an "
                    "'hs' source"
                )
        for c in self.chemicals.values():
            for eid in c.entries:
                if eid not in self.entries:
                    raise KnowledgeBaseError(
                        f"{c.source_file}: chemical {c.cas}: field entries: unknown entry {eid!r}"
                    )
            for fact, keys in c.sources.items():
                for k in keys:
                    if k not in self.sources:
                        raise KnowledgeBaseError(
                            f"{c.source_file}: chemical {c.cas}: field sources.{fact}: "
                            f"unknown source {k!r}"
                        )

    def entry(self, entry_id: str) -> ControlEntry:
        """The entry `entry_id` (case-insensitive); KeyError names close ids when unknown."""
        e = self.entries.get(entry_id) or self.entries.get(entry_id.upper())
        if e is None:
            for k, v in self.entries.items():
                if k.lower() == entry_id.lower():
                    return v
            close = [k for k in self.entries if k.lower().startswith(entry_id.lower()[:3])][:8]
            raise KeyError(f"unknown control entry {entry_id!r}; close: {', '.join(close)}")
        return e

    def hs_codes(self) -> set[str]:
        """Every HS 2022 subheading the knowledge base correlates with a control entry."""
        codes = {h.code for e in self.entries.values() for h in e.hs}
        codes.update(h for c in self.chemicals.values() for h in c.hs)
        return codes

    def counts(self) -> dict[str, int]:
        """Entry counts by regime and category, for reports and the CLI."""
        out: dict[str, int] = {"entries": len(self.entries), "chemicals": len(self.chemicals)}
        for e in self.entries.values():
            for r in e.regimes:
                out[f"regime:{r.value}"] = out.get(f"regime:{r.value}", 0) + 1
            out[f"category:{e.category.value}"] = out.get(f"category:{e.category.value}", 0) + 1
        out["hs_subheadings"] = len(self.hs_codes())
        return out


def _where(err: ErrorDetails) -> str:
    return ".".join(str(p) for p in err["loc"])


_Record = TypeVar("_Record", bound=BaseModel)


def _records(
    path: Path,
    raws: list[Any] | None,
    defaults: dict[str, object],
    model: type[_Record],
    label: str,
    key: str,
) -> list[_Record]:
    """Validate one list of a knowledge-base file, the file's defaults merged into each
    record; the first bad record stops the load with its file, `key` and field."""
    out: list[_Record] = []
    for i, raw in enumerate(raws or []):
        data = {**defaults, **raw, "source_file": path.name}
        ident = raw.get(key, f"#{i + 1}") if isinstance(raw, dict) else f"#{i + 1}"
        try:
            out.append(model.model_validate(data))
        except ValidationError as exc:
            e0 = exc.errors()[0]
            raise KnowledgeBaseError(
                f"{path.name}: {label} {ident}: field {_where(e0)}: {e0['msg']}"
            ) from exc
    return out


def _load_file(path: Path) -> tuple[list[ControlEntry], list[Chemical], dict[str, Source], str]:
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise KnowledgeBaseError(f"{path.name}: not valid YAML: {exc}") from exc
    if not isinstance(doc, dict):
        raise KnowledgeBaseError(f"{path.name}: top level must be a mapping")
    sources: dict[str, Source] = {}
    for key, raw in (doc.get("sources") or {}).items():
        try:
            sources[str(key)] = Source.model_validate(raw)
        except ValidationError as exc:
            e0 = exc.errors()[0]
            raise KnowledgeBaseError(
                f"{path.name}: source {key}: field {_where(e0)}: {e0['msg']}"
            ) from exc
    defaults = doc.get("defaults") or {}
    entries = _records(path, doc.get("entries"), defaults, ControlEntry, "entry", "id")
    chemicals = _records(path, doc.get("chemicals"), defaults, Chemical, "chemical", "cas")
    return entries, chemicals, sources, str(doc.get("version", ""))


def load_knowledge_base(data_dir: Path | None = None) -> KnowledgeBase:
    """Load and validate every `*.yaml` file of `data_dir` (default: the packaged data)."""
    folder = data_dir or DATA_DIR
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise KnowledgeBaseError(f"no knowledge-base files in {folder}")
    entries: list[ControlEntry] = []
    chemicals: list[Chemical] = []
    sources: dict[str, Source] = {}
    digest = hashlib.sha256()
    versions: set[str] = set()
    for path in files:
        digest.update(path.read_bytes())
        e, c, s, v = _load_file(path)
        entries.extend(e)
        chemicals.extend(c)
        for k, src in s.items():
            if k in sources and sources[k].url != src.url:
                raise KnowledgeBaseError(
                    f"{path.name}: source {k}: url differs from another file's {k!r}"
                )
            sources[k] = src
        if v:
            versions.add(v)
    version = f"goods-kb:{max(versions) if versions else '0'}:{digest.hexdigest()[:12]}"
    return KnowledgeBase(entries, chemicals, sources, version)


@lru_cache(maxsize=1)
def knowledge_base() -> KnowledgeBase:
    """The packaged knowledge base, loaded once per process."""
    return load_knowledge_base()
