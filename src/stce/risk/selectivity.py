"""The rule engine: fired rules → score → lane, plus the random selection and the explanation.

Score semantics (documented for analysts): each active rule that fires contributes its weight
`w` times its strength `s` (default 1; 0..1), and the contributions combine as independent
evidence (a noisy-OR)::

    score = 1 - Π (1 - w·s)   over the active rules that fired

so one rule of weight 0.7 gives 0.7, two rules of 0.5 give 0.75, and the score never exceeds 1.
Because conditions and strengths are monotone in the hits (checked when the pack is loaded) and
each factor `(1 - w·s)` is at most 1, adding evidence never lowers the score. The lane is the
highest of (a) the lane the score reaches under the thresholds for the declaration's procedure
and channel and (b) the fixed lane of any active rule that fired (hard rules, e.g. a strong
listed-party match forces red). Shadow rules are evaluated and reported as `info` hits with
`evidence.shadow = true` but change neither score nor lane. A declaration whose lane is below
the random-selection lane may then be drawn (compliance measurement) and raised to it: the draw
is a keyed hash of the declaration id with the pack's seed, independent of the evidence, so the
same declaration, pack and seed always give the same lane, and more evidence never lowers it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from stce.model import Declaration, Hit, Lane, Severity
from stce.risk.engine import Assessment
from stce.risk.features import EvalContext
from stce.risk.history import History, InMemoryHistory
from stce.risk.pack import Pack, Rule, Status, Thresholds

RULES_CHECK = "rules"
SELECTION_CHECK = "selection"
RANDOM_CODE = "RANDOM_SELECTION"


def _keyed(seed: str) -> Any:
    key = seed.encode()
    if len(key) > 64:
        key = hashlib.blake2b(key).digest()
    return hashlib.blake2b(digest_size=8, key=key)


def random_draw(seed: str, declaration_id: str, _hasher: Any = None) -> float:
    """A uniform number in [0, 1) fixed by the seed and the declaration id.

    Keyed BLAKE2b of the id with the seed as key: reproducible across runs, machines and
    Python versions (unlike `hash()`), and independent between declarations."""
    h = (_hasher or _keyed(seed)).copy()
    h.update(declaration_id.encode())
    return int.from_bytes(h.digest(), "big") / 2**64


def _severity(rule: Rule, shadow: bool) -> Severity:
    if shadow:
        return Severity.INFO
    if rule.spec.severity is not None:
        return rule.spec.severity
    if rule.spec.lane == Lane.RED:
        return Severity.CRITICAL
    w = rule.weight
    if w >= 0.7 or rule.spec.lane == Lane.YELLOW:
        return Severity.HIGH
    if w >= 0.4:
        return Severity.MEDIUM
    if w >= 0.2:
        return Severity.LOW
    return Severity.INFO


_Step = tuple[Rule, bool, frozenset[str] | None, bool]
"""A rule in an evaluation plan: (rule, shadow, gate, dated)."""
_Plan = tuple[tuple[_Step, ...], tuple[_Step, ...]]
"""Rules without a gate, then rules gated on hit codes (skipped at once without hits)."""


@dataclass(frozen=True)
class Fired:
    rule: Rule
    strength: float
    shadow: bool
    because: tuple[Any, ...]


def _because(matched: Iterable[Any]) -> list[str]:
    out: list[str] = []
    for m in matched:
        if isinstance(m, Hit):
            s = f"{m.check}/{m.code}"
            if m.score < 1:
                s += f" {m.score:.2f}"
        elif hasattr(m, "hs_code"):
            s = f"item {m.line} ({m.hs_code})"
        elif hasattr(m, "role") and hasattr(m, "name"):
            s = f"{m.role.value} {m.name!r}"
        else:
            s = str(m)
        if s not in out:
            out.append(s)
    return out


class RuleEngine:
    """Implements `stce.risk.RiskEngine` with a compiled rule pack."""

    def __init__(
        self,
        pack: Pack,
        history: History | None = None,
        *,
        seed: str | None = None,
        random_rate: float | None = None,
        as_of: date | None = None,
        learn: bool = True,
        promote: Iterable[Status] = (),
    ) -> None:
        """`promote` treats rules of those statuses as active (backtesting a draft pack);
        `learn` makes the engine feed each assessed declaration to the history."""
        self._args = (pack, history, seed, random_rate, as_of, learn, tuple(promote))
        self.pack = pack
        self.history: History = history if history is not None else InMemoryHistory()
        sel = pack.spec.selection
        self.seed = sel.seed if seed is None else seed
        self.random_rate = sel.rate if random_rate is None else random_rate
        self.random_lane = sel.lane
        self._hasher = _keyed(self.seed)
        self.as_of = as_of
        self.learn = learn
        self.version = f"rules:{pack.label}"
        self.window_days = pack.spec.settings.split_window_days
        promoted = set(promote)
        self._plan: dict[tuple[str, str], _Plan] = {}
        self._order = {r.id: i for i, r in enumerate(pack.rules)}
        self._thresholds: dict[tuple[str, str], Thresholds] = {}
        self._quiet: dict[Lane, str] = {}
        self._static = {r.id: self._static_evidence(r) for r in pack.rules}
        self._active_status = {Status.ACTIVE, *promoted}
        self._shadow_status = {Status.SHADOW} - promoted

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle as the pack's text and the options: workers recompile the closures."""
        pack, _history, seed, rate, as_of, learn, promote = self._args
        return (_restore, (pack, self.history, seed, rate, as_of, learn, promote))

    def _rules_for(self, procedure: str, channel: str) -> _Plan:
        """The rules that apply to a procedure and channel, with their gates (cached)."""
        key = (procedure, channel)
        plan = self._plan.get(key)
        if plan is None:
            chosen: list[_Step] = []
            for r in self.pack.rules:
                s = r.spec
                if s.procedures and procedure not in s.procedures:
                    continue
                if s.channels and channel not in s.channels:
                    continue
                if s.status in self._active_status:
                    chosen.append((r, False, r.gate, r.dated))
                elif s.status in self._shadow_status:
                    chosen.append((r, True, r.gate, r.dated))
            plan = self._plan[key] = (
                tuple(s for s in chosen if s[2] is None),
                tuple(s for s in chosen if s[2] is not None),
            )
        return plan

    def _day(self, declaration: Declaration) -> date:
        lodged = declaration.lodged_at
        if isinstance(lodged, datetime):
            return lodged.date()
        if isinstance(lodged, date):
            return lodged
        return self.as_of or date.today()

    def evaluate(self, declaration: Declaration, hits: Sequence[Hit]) -> list[Fired]:
        """The rules that fire on `declaration` given the other checks' `hits`."""
        procedure = declaration.procedure.value
        channel = declaration.channel.value
        ctx = EvalContext(
            declaration, hits, self.history, self.pack.n_definitions, self.window_days
        )
        day: date | None = None
        fired: list[Fired] = []
        matched = ctx.matched
        ungated, gated = self._rules_for(procedure, channel)
        present = ctx.by_code() if hits else {}
        steps = ungated
        if present:
            steps = ungated + tuple(s for s in gated if not s[2].isdisjoint(present))  # type: ignore[union-attr]
        for rule, shadow, _gate, dated in steps:
            if dated:
                if day is None:
                    day = self._day(declaration)
                if not rule.in_force(day):
                    continue
            if matched:
                matched.clear()
            if rule.condition(ctx, None):
                strength = 1.0 if rule.strength is None else rule.strength(ctx, None)
                fired.append(Fired(rule, strength, shadow, tuple(matched)))
        if present and len(fired) > 1:
            fired.sort(key=lambda f: self._order[f.rule.id])
        return fired

    def assess(self, declaration: Declaration, hits: Sequence[Hit]) -> Assessment:
        fired = self.evaluate(declaration, hits)
        keep = 1.0
        forced: Lane | None = None
        for f in fired:
            if f.shadow:
                continue
            keep *= 1.0 - f.rule.weight * f.strength
            lane = f.rule.spec.lane
            if lane is not None and (forced is None or lane.rank > forced.rank):
                forced = lane
        score = min(1.0, max(0.0, 1.0 - keep))
        key = (declaration.procedure, declaration.channel)
        thresholds = self._thresholds.get(key)
        if thresholds is None:
            thresholds = self._thresholds[key] = self.pack.thresholds(*key)
        lane = thresholds.lane(score)
        if forced is not None and forced.rank > lane.rank:
            lane = forced
        randomly = False
        if (
            lane.rank < self.random_lane.rank
            and self.random_rate > 0
            and random_draw(self.seed, declaration.declaration_id, self._hasher) < self.random_rate
        ):
            lane = self.random_lane
            randomly = True
        out = list(hits)
        if fired:
            out.extend([self._rule_hit(declaration, f) for f in fired])
        if randomly:
            out.append(
                Hit(
                    check=SELECTION_CHECK,
                    code=RANDOM_CODE,
                    severity=Severity.INFO,
                    message="Random selection for compliance measurement "
                    f"(rate {self.random_rate:g})",
                    evidence={"seed": self.seed, "rate": self.random_rate},
                    score=1.0,
                    declaration_id=declaration.declaration_id,
                )
            )
        if fired or randomly:
            explanation = self._explain(lane, score, forced, fired, randomly)
        else:
            explanation = self._quiet.get(lane) or self._quiet.setdefault(
                lane, self._explain(lane, score, forced, fired, randomly)
            )
        if self.learn:
            self.history.observe(declaration)
        if not fired:
            return Assessment(lane, score, explanation, out, (), (), randomly, False)
        return Assessment(
            lane=lane,
            score=score,
            explanation=explanation,
            hits=out,
            fired=tuple(f.rule.id for f in fired if not f.shadow),
            shadow=tuple(f.rule.id for f in fired if f.shadow),
            random_selected=randomly,
            forced=forced is not None,
        )

    def _static_evidence(self, r: Rule) -> dict[str, Any]:
        evidence: dict[str, Any] = {
            "rule": r.id,
            "pack": self.pack.id,
            "pack_version": self.pack.version,
            "source": [s.cite() for s in r.spec.source],
        }
        if r.spec.weight is not None:
            evidence["weight"] = r.spec.weight
        if r.spec.lane is not None:
            evidence["lane"] = r.spec.lane.value
        return evidence

    def _rule_hit(self, declaration: Declaration, f: Fired) -> Hit:
        r = f.rule
        evidence = dict(self._static[r.id])
        evidence["status"] = "shadow" if f.shadow else "active"
        if f.strength != 1.0:
            evidence["strength"] = round(f.strength, 4)
        because = _because(f.because)
        if because:
            evidence["because"] = because
        if f.shadow:
            evidence["shadow"] = True
        return Hit(
            check=RULES_CHECK,
            code=r.id,
            severity=_severity(r, f.shadow),
            message=r.spec.title,
            evidence=evidence,
            score=min(1.0, (r.weight or 1.0) * f.strength),
            declaration_id=declaration.declaration_id,
        )

    def _explain(
        self,
        lane: Lane,
        score: float,
        forced: Lane | None,
        fired: list[Fired],
        randomly: bool,
    ) -> str:
        head = f"{lane.value.upper()} ({lane.action}), score {score:.2f}"
        if randomly:
            head += "; random selection for compliance measurement"
        elif forced is not None and forced == lane:
            head += f"; lane fixed by a hard rule ({forced.value})"
        active = [f for f in fired if not f.shadow]
        if not active:
            parts = [head + ": no rule fired"]
        else:
            parts = [head + ". Rules fired:"]
            for f in active:
                r = f.rule
                bits = []
                if r.spec.lane is not None:
                    bits.append(f"lane {r.spec.lane.value}")
                if r.spec.weight is not None:
                    w = r.weight * f.strength
                    bits.append(f"weight {w:.2f}")
                because = _because(f.because)
                why = f" because {', '.join(because)}" if because else ""
                parts.append(f"- {r.id} [{', '.join(bits)}] {r.spec.title}{why}")
        shadow = [f.rule.id for f in fired if f.shadow]
        if shadow:
            parts.append(f"Shadow rules (no effect on the lane): {', '.join(shadow)}")
        return "\n".join(parts)


def _restore(
    pack: Pack,
    history: History,
    seed: str | None,
    rate: float | None,
    as_of: date | None,
    learn: bool,
    promote: tuple[Status, ...],
) -> RuleEngine:
    return RuleEngine(
        pack, history, seed=seed, random_rate=rate, as_of=as_of, learn=learn, promote=promote
    )
