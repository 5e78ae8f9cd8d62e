"""Measured indicators that can back self-assessment answers where stce runs.

A provider computes one indicator from what stce records (screening runs, results, later cases and
the free-zone ledger). Providers whose data does not exist yet return an explicit *unavailable*
value with the reason, so a note never presents a missing figure as zero. Other parts of stce add
their providers with `register_indicator` as they land.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol, runtime_checkable

from pydantic import BaseModel, Field
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

WINDOW_DAYS = 30


class IndicatorStatus(StrEnum):
    AVAILABLE = "available"
    UNAVAILABLE = "unavailable"


class IndicatorValue(BaseModel):
    id: str
    label: str
    status: IndicatorStatus
    value: float | None = None
    unit: str = ""
    details: dict[str, float] = Field(default_factory=dict)
    as_of: date | None = None
    source: str = ""
    reason: str = ""
    """Why the indicator is unavailable, or how it was computed."""


@runtime_checkable
class IndicatorProvider(Protocol):
    id: str
    label: str
    unit: str

    def compute(self, engine: Engine | None, as_of: date) -> IndicatorValue: ...


_PROVIDERS: dict[str, IndicatorProvider] = {}


def register_indicator(provider: IndicatorProvider) -> None:
    """Add or replace the provider of `provider.id` (the hook other parts of stce fill)."""
    _PROVIDERS[provider.id] = provider


def indicator_providers() -> dict[str, IndicatorProvider]:
    return dict(_PROVIDERS)


def measure_all(engine: Engine | None, as_of: date) -> list[IndicatorValue]:
    """Every registered indicator, computed at `as_of` (unavailable ones included)."""
    return [p.compute(engine, as_of) for p in _PROVIDERS.values()]


def _window(as_of: date) -> tuple[datetime, datetime]:
    end = datetime(as_of.year, as_of.month, as_of.day, tzinfo=UTC) + timedelta(days=1)
    return end - timedelta(days=WINDOW_DAYS), end


def _runs(session: Session, as_of: date) -> list[Any]:
    from stce.store.tables import ScreeningRun

    start, end = _window(as_of)
    rows = session.scalars(select(ScreeningRun).order_by(ScreeningRun.started_at)).all()
    return [r for r in rows if start <= _aware(r.started_at) < end]


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class _Unavailable:
    """An indicator whose data stce does not record yet."""

    def __init__(self, id: str, label: str, unit: str, reason: str) -> None:
        self.id, self.label, self.unit, self.reason = id, label, unit, reason

    def compute(self, engine: Engine | None, as_of: date) -> IndicatorValue:
        return IndicatorValue(
            id=self.id,
            label=self.label,
            unit=self.unit,
            status=IndicatorStatus.UNAVAILABLE,
            as_of=as_of,
            reason=self.reason,
        )


class ScreeningCoverage:
    """Share of lodged declarations that stce screened in the last 30 days.

    Screened = result rows of runs started in the window; lodged = what the runs read
    (`counts["read"]`, as `stce screen` records it) where recorded, else screened plus
    `counts["rejected"]`. Declarations rejected as invalid count as lodged and not screened.
    """

    id = "screening_coverage"
    label = "Share of declarations screened (last 30 days)"
    unit = "%"

    def compute(self, engine: Engine | None, as_of: date) -> IndicatorValue:
        from sqlalchemy import func

        from stce.store.tables import ScreeningRecord

        if engine is None:
            return _Unavailable(self.id, self.label, self.unit, "no stce database").compute(
                None, as_of
            )
        with Session(engine) as session:
            runs = _runs(session, as_of)
            if not runs:
                return _Unavailable(
                    self.id, self.label, self.unit, f"no screening runs in the {WINDOW_DAYS} days"
                ).compute(engine, as_of)
            screened = lodged = 0
            for run in runs:
                n = session.scalar(select(func.count()).where(ScreeningRecord.run_id == run.id))
                counts = run.counts or {}
                screened += int(n or 0)
                lodged += int(
                    counts.get("read")
                    or counts.get("declarations")
                    or (n or 0) + int(counts.get("rejected") or 0)
                )
        share = 100.0 * screened / lodged if lodged else 0.0
        return IndicatorValue(
            id=self.id,
            label=self.label,
            unit=self.unit,
            status=IndicatorStatus.AVAILABLE,
            value=round(share, 1),
            details={"screened": screened, "lodged": lodged, "runs": len(runs)},
            as_of=as_of,
            source="screening_runs, screening_results",
        )


class RuleHitRates:
    """Share of screened declarations (last 30 days) carrying each hit code, and the lane mix."""

    id = "rule_hit_rates"
    label = "Hit rates per code and lane mix (last 30 days)"
    unit = "%"

    def compute(self, engine: Engine | None, as_of: date) -> IndicatorValue:
        from stce.store.tables import ScreeningRecord

        if engine is None:
            return _Unavailable(self.id, self.label, self.unit, "no stce database").compute(
                None, as_of
            )
        codes: Counter[str] = Counter()
        lanes: Counter[str] = Counter()
        total = 0
        with Session(engine) as session:
            run_ids = [r.id for r in _runs(session, as_of)]
            if run_ids:
                rows = session.execute(
                    select(ScreeningRecord.lane, ScreeningRecord.hits).where(
                        ScreeningRecord.run_id.in_(run_ids)
                    )
                )
                for lane, hits in rows:
                    total += 1
                    lanes[lane] += 1
                    codes.update({str(h.get("code")) for h in hits or [] if h.get("code")})
        if not total:
            return _Unavailable(
                self.id, self.label, self.unit, f"no screened declarations in {WINDOW_DAYS} days"
            ).compute(engine, as_of)
        details = {f"code:{c}": round(100.0 * n / total, 2) for c, n in codes.most_common()}
        details.update({f"lane:{k}": round(100.0 * n / total, 2) for k, n in lanes.items()})
        not_green = 100.0 * (total - lanes.get("green", 0)) / total
        return IndicatorValue(
            id=self.id,
            label=self.label,
            unit=self.unit,
            status=IndicatorStatus.AVAILABLE,
            value=round(not_green, 2),
            details=details,
            as_of=as_of,
            source="screening_results (value: share not in the green lane)",
        )


def _dates(obj: Any, key: str = "") -> Iterator[date]:
    """Dates found in a run's `versions` under keys that name a date (date, as_of, generated)."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _dates(v, str(k).lower())
    elif isinstance(obj, list):
        for v in obj:
            yield from _dates(v, key)
    elif isinstance(obj, str) and any(w in key for w in ("date", "as_of", "generated", "issued")):
        try:
            yield datetime.fromisoformat(obj.replace("Z", "+00:00")).date()
        except ValueError:
            return


class ListAge:
    """Age in days of the oldest reference list in use.

    From the current list snapshots (`stce refdata`: publication date, else import date); where
    none were imported, from dates recorded in the latest screening run's `versions`.
    """

    id = "list_age_days"
    label = "Age of the oldest list in use"
    unit = "days"

    def compute(self, engine: Engine | None, as_of: date) -> IndicatorValue:
        found, source = _snapshot_dates(as_of), "current list snapshots (stce refdata)"
        if not found and engine is not None:
            found, source = _run_dates(engine, as_of), "screening_runs.versions of the latest run"
        if not found:
            return _Unavailable(
                self.id,
                self.label,
                self.unit,
                "no list snapshot imported and no list dates in the latest screening run",
            ).compute(engine, as_of)
        oldest = min(found.values())
        return IndicatorValue(
            id=self.id,
            label=self.label,
            unit=self.unit,
            status=IndicatorStatus.AVAILABLE,
            value=float((as_of - oldest).days),
            details={k: float((as_of - d).days) for k, d in sorted(found.items())},
            as_of=as_of,
            source=source,
        )


def _snapshot_dates(as_of: date) -> dict[str, date]:
    from stce.config import get_settings
    from stce.refdata.errors import SnapshotError
    from stce.refdata.snapshots import read_index

    try:
        currents = read_index(get_settings()).currents()
    except SnapshotError:
        return {}
    out = {}
    for meta in currents:
        day = meta.published or meta.imported_at.date()
        if day <= as_of:
            out[meta.slot] = day
    return out


def _run_dates(engine: Engine, as_of: date) -> dict[str, date]:
    from stce.store.tables import ScreeningRun

    with Session(engine) as session:
        run = session.scalars(
            select(ScreeningRun).order_by(ScreeningRun.started_at.desc()).limit(1)
        ).first()
        found = [d for d in _dates(run.versions or {}) if d <= as_of] if run else []
    return {f"run-date-{i}": d for i, d in enumerate(sorted(found))}


register_indicator(ScreeningCoverage())
register_indicator(RuleHitRates())
register_indicator(ListAge())
register_indicator(
    _Unavailable(
        "referral_turnaround_days",
        "Median referral turnaround (Customs to licensing / reach-back)",
        "days",
        "referrals and cases are not recorded by stce yet (coordination part not landed)",
    )
)
register_indicator(
    _Unavailable(
        "ftz_reconciliation_coverage",
        "Share of free-zone entries reconciled with a re-export or release",
        "%",
        "the free-zone ledger (stce.movements) has not landed yet",
    )
)
register_indicator(
    _Unavailable(
        "licence_verification_rate",
        "Share of licensed declarations verified against the licence register",
        "%",
        "the licence registry (stce.licences) has not landed yet",
    )
)
