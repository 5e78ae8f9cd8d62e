"""The local batch runner: read → validate → model → checks → risk → results.

Declarations flow in batches so that checks can work batch-first (repeated parties scored once)
and so that memory stays bounded whatever the input size.
"""

from __future__ import annotations

import hashlib
import heapq
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from stce import __version__
from stce.config import Settings, get_settings
from stce.ingest import (
    Accepted,
    InputError,
    Reject,
    RejectWriter,
    detect_format,
    validated_declarations,
)
from stce.model import Check, Declaration, Hit, ScreeningResult
from stce.pipeline.collector import collect_between_batches, paused_collector
from stce.pipeline.context import ScreeningContext
from stce.pipeline.hooks import BatchHook, build_hooks
from stce.pipeline.registry import build_checks, build_engine
from stce.pipeline.writers import ResultWriter
from stce.refdata import current_versions
from stce.refdata.hs import HsNomenclature, load_hs
from stce.risk import RiskEngine

ACTION_ROWS = 500
"""Declarations needing action kept for the report (highest lane, then score)."""


class ScreeningError(Exception):
    """The batch cannot be screened at all (input missing, unknown format, output not writable)."""


@dataclass(order=True)
class ActionRow:
    sort_key: tuple[int, float, str]
    declaration_id: str = field(compare=False)
    lane: str = field(compare=False)
    score: float = field(compare=False)
    procedure: str = field(compare=False)
    channel: str = field(compare=False)
    destination: str = field(compare=False)
    explanation: str = field(compare=False)
    hits: list[dict[str, Any]] = field(compare=False)


@dataclass
class RunSummary:
    input_path: Path
    input_sha256: str
    out_dir: Path
    batch_id: str = ""
    run_id: int | None = None
    replaced: bool = False
    read: int = 0
    accepted: int = 0
    rejected: int = 0
    lanes: Counter[str] = field(default_factory=Counter)
    hit_types: Counter[str] = field(default_factory=Counter)
    actions: list[ActionRow] = field(default_factory=list)
    versions: dict[str, Any] = field(default_factory=dict)
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    elapsed_s: float = 0.0
    report_path: Path | None = None

    @property
    def results_path(self) -> Path:
        return self.out_dir / "results.jsonl"

    @property
    def rejects_path(self) -> Path:
        return self.out_dir / "rejects.jsonl"

    def counts(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "accepted": self.accepted,
            "rejected": self.rejected,
            "lanes": dict(self.lanes),
            "hit_types": dict(self.hit_types.most_common(50)),
        }


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def load_context(settings: Settings | None = None, as_of: date | None = None) -> ScreeningContext:
    """Reference data and versions for a run, from the mirror and the list snapshots."""
    settings = settings or get_settings()
    hs: HsNomenclature | None = None
    if settings.mirror is not None:
        try:
            hs = load_hs(settings.mirror)
        except FileNotFoundError:
            hs = None
    versions: dict[str, Any] = {
        "stce": __version__,
        "hs": hs.version if hs else "unavailable",
        "refdata": current_versions(settings),
    }
    return ScreeningContext(settings=settings, hs=hs, as_of=as_of, versions=versions)


def preflight(path: Path, out_dir: Path, fmt: str | None = None) -> str:
    """Fail early, with one clear reason, when the batch cannot be screened; returns the format."""
    if not path.is_file():
        raise ScreeningError(f"input file not found: {path}")
    if not os.access(path, os.R_OK):
        raise ScreeningError(f"input file is not readable: {path}")
    try:
        fmt = fmt or detect_format(path)
    except ValueError as exc:
        raise ScreeningError(str(exc)) from exc
    _check_output(out_dir)
    return fmt


def _check_output(out_dir: Path) -> None:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        probe = out_dir / ".stce-write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise ScreeningError(f"output directory {out_dir} is not writable: {exc.strerror}") from exc


def screen_batch(
    batch: Sequence[Accepted],
    checks: Sequence[Check],
    engine: RiskEngine,
    versions: dict[str, Any],
) -> list[ScreeningResult]:
    """Run every check over the batch, then the risk engine over each declaration."""
    decls = [a.declaration for a in batch]
    per_decl: list[list[Hit]] = [list(a.warnings) for a in batch]
    for check in checks:
        found = check.check(decls)
        for acc, hits in zip(per_decl, found, strict=True):
            acc.extend(hits)
    results = []
    for d, hits in zip(decls, per_decl, strict=True):
        a = engine.assess(d, hits)
        results.append(
            ScreeningResult(
                declaration_id=d.declaration_id,
                lane=a.lane,
                score=min(1.0, max(0.0, a.score)),
                hits=a.hits,
                explanation=a.explanation,
                versions=versions,
            )
        )
    return results


def screen_file(
    path: Path,
    out_dir: Path,
    *,
    context: ScreeningContext | None = None,
    fmt: str | None = None,
    batch_size: int = 2000,
    record: bool = True,
    report: bool = True,
    only_checks: list[str] | None = None,
    engine: RiskEngine | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> RunSummary:
    """Screen the declarations in `path`; write results, rejects and the report to `out_dir`.

    `engine` replaces the run's risk engine (default: the active rule pack).
    `on_progress(bytes_read, declarations_done)` is called as the input is consumed.
    """
    start = time.perf_counter()
    fmt = preflight(path, out_dir, fmt)

    context = context or load_context()
    checks = build_checks(context, only_checks)
    engine = engine or build_engine(context)
    versions = context.versions
    summary = RunSummary(input_path=path, input_sha256=sha256_of(path), out_dir=out_dir)
    summary.versions = versions

    recorder = None
    hooks: list[BatchHook] = []
    if record:
        from stce.pipeline.record import RunRecorder

        recorder = RunRecorder(
            str(path), summary.input_sha256, versions, context.settings.database_url
        )
        hooks = build_hooks(context, checks)
        summary.batch_id, summary.run_id = recorder.batch_id, recorder.run_id
        summary.replaced = recorder.replaced

    consumed = 0

    def on_bytes(n: int) -> None:
        nonlocal consumed
        consumed += n

    heap: list[ActionRow] = []
    batch: list[Accepted] = []

    def flush() -> None:
        results = screen_batch(batch, checks, engine, versions)
        writer.write_batch(results)
        if recorder is not None:
            decls = [a.declaration for a in batch]
            recorder.add(decls, results)
            for hook in hooks:
                hook.after_batch(decls, results)
        for acc, r in zip(batch, results, strict=True):
            summary.lanes[r.lane.value] += 1
            for h in r.hits:
                summary.hit_types[f"{h.check}:{h.code}"] += 1
            if r.lane.value != "green":
                _keep_action(heap, acc.declaration, r)
        summary.accepted += len(batch)
        batch.clear()
        collect_between_batches()
        if on_progress is not None:
            on_progress(consumed, summary.accepted)

    with (
        paused_collector(),
        ResultWriter(out_dir) as writer,
        RejectWriter(out_dir / "rejects.jsonl") as rejects,
    ):
        for rec in _guarded(validated_declarations(path, context.hs, fmt, on_bytes)):
            summary.read += 1
            if isinstance(rec, Reject):
                rejects.write(rec)
                summary.rejected += 1
                continue
            batch.append(rec)
            if len(batch) >= batch_size:
                flush()
        if batch:
            flush()
        if on_progress is not None:
            on_progress(consumed, summary.accepted)

    summary.actions = sorted(heap, reverse=True)
    summary.elapsed_s = time.perf_counter() - start
    if recorder is not None:
        recorder.finish(summary.counts())
    if report:
        from stce.report import write_report

        summary.report_path = write_report(summary, out_dir / "report.html")
    return summary


def _guarded(records: Iterator[Accepted | Reject]) -> Iterator[Accepted | Reject]:
    """Turn an unreadable input (not one bad record) into a ScreeningError."""
    try:
        yield from records
    except InputError as exc:
        raise ScreeningError(str(exc)) from exc


def _keep_action(heap: list[ActionRow], d: Declaration, r: ScreeningResult) -> None:
    lane_rank = r.lane.rank
    key = (lane_rank, r.score, d.declaration_id)
    if len(heap) >= ACTION_ROWS and key <= heap[0].sort_key:
        return
    row = ActionRow(
        sort_key=key,
        declaration_id=d.declaration_id,
        lane=r.lane.value,
        score=r.score,
        procedure=d.procedure.value,
        channel=d.channel.value,
        destination=d.country_of_destination or "",
        explanation=r.explanation,
        hits=[h.public() for h in r.hits],
    )
    if len(heap) < ACTION_ROWS:
        heapq.heappush(heap, row)
    else:
        heapq.heapreplace(heap, row)
