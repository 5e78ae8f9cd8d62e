"""Rule packs: versioned YAML files of sourced rules, loaded, validated and compiled once.

A pack has a header (`pack`: id, version, title), lane thresholds (`lanes`, per procedure and
channel), the random selection (`selection`), settings, named lists with their sources
(`lists`), named sub-expressions (`define`) and the `rules`. Every rule cites at least one
public source. A bad pack is refused as a whole with `PackError`, whose message names the
file, the line and the reason (a half-loaded pack would silently change lanes).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from stce.model import Channel, Lane, Procedure, Severity
from stce.risk.expr import Compiler, ExprError, Fn
from stce.risk.features import root_scope

DEFAULT_PACK = "stce-default.yaml"


class PackError(ValueError):
    """A rule pack that cannot be loaded: `where` is 'file:line', `reason` says why."""

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(f"{where}: {reason}")
        self.where = where
        self.reason = reason


class Status(StrEnum):
    """Life cycle of a rule: only active rules change lanes; shadow rules only record hits."""

    DRAFT = "draft"
    SHADOW = "shadow"
    ACTIVE = "active"
    RETIRED = "retired"


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceRef(_Spec):
    title: str = Field(min_length=3)
    ref: str | None = Field(default=None, description="section, paragraph or page")
    url: str | None = None

    def cite(self) -> str:
        return self.title + (f", {self.ref}" if self.ref else "")


class PackHeader(_Spec):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]{1,63}$")
    version: str = Field(min_length=1, max_length=32)
    title: str
    description: str = ""


class Thresholds(_Spec):
    red: float = Field(gt=0, le=1)
    yellow: float = Field(gt=0, le=1)
    blue: float = Field(gt=0, le=1)

    @model_validator(mode="after")
    def _ordered(self) -> Thresholds:
        if not self.red >= self.yellow >= self.blue:
            raise ValueError("thresholds must satisfy red >= yellow >= blue")
        return self

    def lane(self, score: float) -> Lane:
        if score >= self.red:
            return Lane.RED
        if score >= self.yellow:
            return Lane.YELLOW
        if score >= self.blue:
            return Lane.BLUE
        return Lane.GREEN


class LaneOverride(Thresholds):
    procedures: list[Procedure] = Field(default_factory=list)
    channels: list[Channel] = Field(default_factory=list)


class LaneSpec(_Spec):
    default: Thresholds
    overrides: list[LaneOverride] = Field(default_factory=list)


class SelectionSpec(_Spec):
    """Random selection for compliance measurement: a seeded, reproducible draw per declaration.

    A drawn declaration whose lane is below `lane` is raised to it."""

    rate: float = Field(default=0.0, ge=0, le=1)
    seed: str = "stce"
    lane: Lane = Lane.YELLOW


class SettingsSpec(_Spec):
    split_window_days: int = Field(default=30, ge=1, le=3660)


class ListSpec(_Spec):
    source: str = Field(min_length=3)
    values: list[str] = Field(min_length=1)


class RuleSpec(_Spec):
    id: str = Field(pattern=r"^[A-Z][A-Z0-9_]{2,63}$")
    title: str = Field(min_length=3)
    rationale: str = Field(min_length=3)
    source: list[SourceRef] = Field(min_length=1)
    condition: str = Field(min_length=1)
    weight: float | None = Field(default=None, gt=0, le=1)
    lane: Lane | None = None
    strength: str | None = None
    severity: Severity | None = None
    procedures: list[Procedure] = Field(default_factory=list)
    channels: list[Channel] = Field(default_factory=list)
    effective_from: date | None = None
    effective_to: date | None = None
    status: Status = Status.ACTIVE
    tags: list[str] = Field(default_factory=list)

    @field_validator("source", mode="before")
    @classmethod
    def _sources(cls, v: Any) -> Any:
        if isinstance(v, str | dict):
            v = [v]
        return [{"title": s} if isinstance(s, str) else s for s in v] if isinstance(v, list) else v

    @model_validator(mode="after")
    def _consistent(self) -> RuleSpec:
        if self.weight is None and self.lane is None:
            raise ValueError("a rule needs a weight, a fixed lane, or both")
        if self.effective_from and self.effective_to and self.effective_from > self.effective_to:
            raise ValueError("effective_from is after effective_to")
        return self


class PackSpec(_Spec):
    pack: PackHeader
    lanes: LaneSpec
    selection: SelectionSpec = SelectionSpec()
    settings: SettingsSpec = SettingsSpec()
    lists: dict[str, ListSpec] = Field(default_factory=dict)
    define: dict[str, str] = Field(default_factory=dict)
    rules: list[RuleSpec] = Field(min_length=1)


@dataclass(frozen=True)
class Rule:
    """A compiled rule: its spec, its condition and strength closures, and where it was written."""

    spec: RuleSpec
    condition: Fn
    strength: Fn | None
    line: int
    gate: frozenset[str] | None = None
    """Hit codes of which at least one must be present for the condition to hold."""

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def weight(self) -> float:
        return self.spec.weight or 0.0

    def in_force(self, day: date) -> bool:
        s = self.spec
        if s.effective_from is not None and day < s.effective_from:
            return False
        return not (s.effective_to is not None and day > s.effective_to)

    @property
    def dated(self) -> bool:
        return self.spec.effective_from is not None or self.spec.effective_to is not None


@dataclass(frozen=True)
class Pack:
    spec: PackSpec
    rules: tuple[Rule, ...]
    n_definitions: int
    digest: str
    origin: str
    source_text: bytes = b""
    """The YAML the pack was compiled from: a pack pickles as its text and recompiles, since
    compiled conditions are closures (e.g. for a Dask worker)."""

    def __reduce__(self) -> tuple[Any, ...]:
        return (loads_pack, (self.source_text, self.origin))

    @property
    def id(self) -> str:
        return self.spec.pack.id

    @property
    def version(self) -> str:
        return self.spec.pack.version

    @property
    def label(self) -> str:
        return f"{self.id}@{self.version}#{self.digest}"

    def thresholds(self, procedure: str, channel: str) -> Thresholds:
        """The thresholds for a procedure and channel: the last matching override wins."""
        out: Thresholds = self.spec.lanes.default
        for o in self.spec.lanes.overrides:
            if (not o.procedures or procedure in o.procedures) and (
                not o.channels or channel in o.channels
            ):
                out = o
        return out

    def rule(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)


# --------------------------------------------------------------------------- YAML with lines


class _LineLoader(yaml.SafeLoader):
    """A safe loader that remembers the line of every mapping value and sequence item."""


class _LDict(dict[Any, Any]):
    line: int
    lines: dict[Any, int]


class _LList(list[Any]):
    line: int
    lines: list[int]


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _LDict:
    loader.flatten_mapping(node)
    out = _LDict()
    out.line = node.start_mark.line + 1
    out.lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in out:
            raise PackError(f"line {key_node.start_mark.line + 1}", f"duplicate key {key!r}")
        out[key] = loader.construct_object(value_node, deep=True)
        out.lines[key] = value_node.start_mark.line + 1
    return out


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> _LList:
    out = _LList(loader.construct_object(child, deep=True) for child in node.value)
    out.line = node.start_mark.line + 1
    out.lines = [child.start_mark.line + 1 for child in node.value]
    return out


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def _line_of(data: Any, loc: tuple[Any, ...]) -> int:
    """The line of the deepest node of `loc` that the YAML had."""
    line = getattr(data, "line", 1)
    node = data
    for key in loc:
        in_dict = isinstance(node, _LDict) and key in node
        in_list = isinstance(node, _LList) and isinstance(key, int) and 0 <= key < len(node)
        if in_dict or in_list:
            line = node.lines[key]
            node = node[key]
        else:
            break
    return line


def _strip(data: Any) -> Any:
    """Plain dicts and lists (pydantic must not see the line-carrying subclasses' attributes)."""
    if isinstance(data, dict):
        return {k: _strip(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_strip(v) for v in data]
    return data


# --------------------------------------------------------------------------- loading


def load_pack(path: Path | str) -> Pack:
    """Load, validate and compile the pack at `path`."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise PackError(str(p), f"cannot read: {exc.strerror or exc}") from exc
    return loads_pack(raw, origin=str(p))


def default_pack_path() -> Path:
    return Path(str(resources.files("stce.risk").joinpath("packs", DEFAULT_PACK)))


def load_default_pack() -> Pack:
    return load_pack(default_pack_path())


def loads_pack(raw: bytes | str, origin: str = "<pack>") -> Pack:
    """Load a pack from YAML text; `origin` names it in errors."""
    data_bytes = raw.encode() if isinstance(raw, str) else raw
    try:
        data = yaml.load(data_bytes, Loader=_LineLoader)
    except PackError as exc:
        raise PackError(f"{origin}:{exc.where.removeprefix('line ')}", exc.reason) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc)
        raise PackError(f"{origin}:{line}", f"not valid YAML: {problem}") from None
    if not isinstance(data, dict):
        raise PackError(f"{origin}:1", "a pack is a YAML mapping with `pack` and `rules`")
    try:
        spec = PackSpec.model_validate(_strip(data))
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err["loc"])
        where = ".".join(str(x) for x in loc)
        line = _line_of(data, loc)
        rule = _rule_id_at(data, loc)
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise PackError(f"{origin}:{line}", f"{rule}{where}: {err['msg']}{more}") from None
    pack = _compile(spec, data, origin, hashlib.sha256(data_bytes).hexdigest()[:12])
    return replace(pack, source_text=data_bytes)


def _rule_id_at(data: Any, loc: tuple[Any, ...]) -> str:
    if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
        try:
            return f"rule {data['rules'][loc[1]]['id']}: "
        except (KeyError, IndexError, TypeError):
            return ""
    return ""


def _compile(spec: PackSpec, data: Any, origin: str, digest: str) -> Pack:
    lists = {name: tuple(ls.values) for name, ls in spec.lists.items()}
    compiler = Compiler(root_scope(lists))

    def fail(loc: tuple[Any, ...], what: str, exc: Exception) -> PackError:
        return PackError(f"{origin}:{_line_of(data, loc)}", f"{what}: {exc}")

    for name, text in spec.define.items():
        if not name.isidentifier():
            raise PackError(f"{origin}:{_line_of(data, ('define', name))}", f"bad name {name!r}")
        try:
            compiler.define(name, text)
        except ExprError as exc:
            raise fail(("define", name), f"definition {name}", exc) from None
    seen: dict[str, int] = {}
    rules: list[Rule] = []
    for i, rs in enumerate(spec.rules):
        line = _line_of(data, ("rules", i))
        if rs.id in seen:
            raise PackError(
                f"{origin}:{line}", f"rule {rs.id}: duplicate id (first at line {seen[rs.id]})"
            )
        seen[rs.id] = line
        try:
            cond = compiler.condition(rs.condition)
        except ExprError as exc:
            raise fail(("rules", i, "condition"), f"rule {rs.id}: condition", exc) from None
        strength: Fn | None = None
        if rs.strength is not None:
            try:
                st = compiler.condition(rs.strength)
            except ExprError as exc:
                raise fail(("rules", i, "strength"), f"rule {rs.id}: strength", exc) from None
            strength = _clamped(st.fn)
        rules.append(Rule(rs, cond.fn, strength, line, cond.requires))
    return Pack(spec, tuple(rules), len(compiler.definitions), digest, origin)


def _clamped(fn: Fn) -> Fn:
    def strength(c: Any, e: Any) -> float:
        v = fn(c, e)
        if v is True:
            return 1.0
        if not isinstance(v, int | float) or v <= 0:
            return 0.0
        return 1.0 if v >= 1 else float(v)

    return strength


def iter_sources(pack: Pack) -> Iterator[tuple[str, str]]:
    """(rule id, citation) for every source of every rule, for documentation."""
    for r in pack.rules:
        for s in r.spec.source:
            yield r.id, s.cite()
