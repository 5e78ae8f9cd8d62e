"""Benchmark of `stce screen`: declarations per second and peak memory on one core.

Generates N declarations once (cached under bench/.cache/), then, in one run, times the stages
side by side so their ratios survive a noisy machine:
  read      JSON Lines reading and shape parsing only
  validate  + code-list validation and duplicate ids
  overhead  + the checks, results.jsonl/.parquet, rejects, report, with a no-op risk engine
            (the pipeline's own cost: with --checks countries, the issue's "overhead alone")
  screen    the whole pipeline: + the rule engine of the active pack choosing lanes
  record    (with --record) + recording the run, results and parties in the store

    python bench/screen.py [--n 1000000] [--checks countries] [--record]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from stce.config import get_settings
from stce.ingest import validated_declarations
from stce.ingest.readers import read_jsonl
from stce.model import Declaration, Hit, Lane
from stce.pipeline import load_context, screen_file
from stce.risk import Assessment
from stce.sample import write_sample

CACHE = Path(__file__).parent / ".cache"


class NoRules:
    """A risk engine that decides nothing: isolates the pipeline's own cost."""

    version = "none"

    def assess(self, declaration: Declaration, hits: Sequence[Hit]) -> Assessment:
        return Assessment(lane=Lane.GREEN, score=0.0, explanation="", hits=list(hits))


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=1540)
    ap.add_argument("--checks", default=None, help="comma-separated checks (default: all)")
    ap.add_argument("--record", action="store_true", help="also time recording in the store")
    args = ap.parse_args()

    settings = get_settings()
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"declarations-{args.n}-{args.seed}.jsonl"
    if not path.exists():
        t = time.perf_counter()
        tmp = path.with_suffix(".tmp.jsonl")
        write_sample(tmp, args.n, args.seed, None, settings.mirror)
        tmp.rename(path)
        print(f"generated {args.n:,} declarations in {time.perf_counter() - t:.1f} s -> {path}")
    size_mb = path.stat().st_size / 1e6
    py = sys.version.split()[0]
    print(f"input: {path.name} ({size_mb:,.0f} MB); python {py}; pid {os.getpid()}")

    context = load_context(settings)
    only = args.checks.split(",") if args.checks else None

    t = time.perf_counter()
    n_read = sum(1 for _ in read_jsonl(path))
    t_read = time.perf_counter() - t

    t = time.perf_counter()
    n_valid = sum(1 for _ in validated_declarations(path, context.hs))
    t_valid = time.perf_counter() - t

    with tempfile.TemporaryDirectory() as out:
        t = time.perf_counter()
        bare = screen_file(
            path, Path(out) / "bare", context=load_context(settings), record=False,
            only_checks=only, engine=NoRules(),
        )  # fmt: skip
        t_bare = time.perf_counter() - t
        t = time.perf_counter()
        summary = screen_file(path, Path(out), context=context, record=False, only_checks=only)
        t_screen = time.perf_counter() - t
        rows = [
            ("read", n_read, t_read),
            ("validate", n_valid, t_valid),
            ("overhead", bare.accepted, t_bare),
            ("screen", summary.accepted, t_screen),
        ]
        if args.record:
            t = time.perf_counter()
            rec = screen_file(
                path, Path(out) / "rec", context=load_context(settings), only_checks=only
            )
            rows.append(("record", rec.accepted, time.perf_counter() - t))

    print(f"checks: {summary.versions.get('checks')}")
    print(f"lanes: {dict(summary.lanes)}; rejected {summary.rejected}")
    print(f"{'stage':<10}{'declarations':>14}{'seconds':>10}{'decl/s':>12}{'vs screen':>11}")
    for name, n, secs in rows:
        print(f"{name:<10}{n:>14,}{secs:>10.1f}{n / secs:>12,.0f}{t_screen / secs:>10.2f}x")
    print(f"peak memory (max RSS): {peak_rss_mb():,.0f} MB")


if __name__ == "__main__":
    main()
