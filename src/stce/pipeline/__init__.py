"""Batch screening: read → validate → model → checks → risk → results."""

from stce.pipeline.context import ScreeningContext
from stce.pipeline.registry import build_checks, build_engine
from stce.pipeline.runner import (
    RunSummary,
    ScreeningError,
    load_context,
    preflight,
    screen_batch,
    screen_file,
)

__all__ = [
    "RunSummary",
    "ScreeningContext",
    "ScreeningError",
    "build_checks",
    "build_engine",
    "load_context",
    "preflight",
    "screen_batch",
    "screen_file",
]
