"""Batch screening: read → validate → model → checks → risk → results."""

from stce.pipeline.context import ScreeningContext

__all__ = ["ScreeningContext"]
