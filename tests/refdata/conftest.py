"""Shared fixtures: the read-only mirror of official lists (skipped cleanly when absent)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


def _mirror_file(relative: str) -> Path:
    """A file of the shared mirror (STCE_MIRROR), or skip the test naming what is missing."""
    root = os.environ.get("STCE_MIRROR")
    if not root:
        pytest.skip("STCE_MIRROR is not set: real list files unavailable")
    path = Path(root) / relative
    if not path.exists():
        alt = Path(root) / "sanctions" / relative
        if alt.exists():
            return alt
        pytest.skip(f"mirror file not found: {path}")
    return path


@pytest.fixture
def mirror_file() -> Callable[[str], Path]:
    """Look up a file of the shared mirror; skips the test when the mirror lacks it."""
    return _mirror_file
