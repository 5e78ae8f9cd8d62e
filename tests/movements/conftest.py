from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from stce.store import session_factory


@pytest.fixture()
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[sessionmaker[Session]]:
    """A fresh SQLite store for one test, also used by the CLI (through the environment)."""
    url = f"sqlite:///{tmp_path / 'stce.db'}"
    monkeypatch.setenv("STCE_DATABASE_URL", url)
    monkeypatch.setenv("STCE_DATA_DIR", str(tmp_path))
    yield session_factory(url)


@pytest.fixture()
def pg_url() -> str:
    url = os.environ.get("STCE_TEST_POSTGRES_URL")
    if not url:
        pytest.skip("STCE_TEST_POSTGRES_URL is not set")
    return url
