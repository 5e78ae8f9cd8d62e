"""Shared fixtures: an isolated data directory, the reference mirror, database URLs, samples."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

ROOT = Path(__file__).resolve().parent.parent


def _mirror() -> Path | None:
    env = os.environ.get("STCE_MIRROR")
    if env:
        return Path(env)
    candidate = ROOT.parent / "shared" / "data"
    return candidate if candidate.is_dir() else None


def pytest_configure(config: pytest.Config) -> None:
    """Session-wide isolation, before any fixture runs: never the user's own data directory
    or database (module-scoped fixtures run before the per-test environment below)."""
    import tempfile

    os.environ["STCE_DATA_DIR"] = tempfile.mkdtemp(prefix="stce-test-session-")
    os.environ.pop("STCE_DATABASE_URL", None)


@pytest.fixture(scope="session")
def mirror() -> Path:
    """The offline mirror of reference data (../shared/data, or STCE_MIRROR)."""
    path = _mirror()
    if path is None or not path.is_dir():
        if os.environ.get("CI"):
            pytest.fail("CI needs the reference mirror: set STCE_MIRROR to the shared data folder")
        pytest.skip("reference mirror not found: set STCE_MIRROR to the shared data folder")
    return path


_CACHE: list[Path] = []


def _shared_cache(factory: pytest.TempPathFactory) -> Path:
    if not _CACHE:
        _CACHE.append(factory.mktemp("stce-shared-cache"))
    return _CACHE[0]


@pytest.fixture(autouse=True)
def isolated_env(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """Every test gets its own data directory (SQLite file, snapshots), sharing one cache
    folder: derived files such as the party-name index are keyed by the content they were
    built from, so sharing them changes no result and saves rebuilding them per test."""
    data_dir = tmp_path_factory.mktemp("stce-data")
    (data_dir / "cache").symlink_to(_shared_cache(tmp_path_factory), target_is_directory=True)
    monkeypatch.setenv("STCE_DATA_DIR", str(data_dir))
    monkeypatch.delenv("STCE_DATABASE_URL", raising=False)
    mirror = _mirror()
    if mirror is not None:
        monkeypatch.setenv("STCE_MIRROR", str(mirror))
    yield data_dir


def database_urls() -> list[pytest.param]:  # type: ignore[valid-type]
    urls = [pytest.param("sqlite", id="sqlite")]
    pg = os.environ.get("STCE_TEST_POSTGRES_URL")
    if pg:
        urls.append(pytest.param(pg, id="postgresql", marks=pytest.mark.postgres))
    elif os.environ.get("CI"):
        raise RuntimeError("CI must set STCE_TEST_POSTGRES_URL (see .ci/run)")
    return urls


@pytest.fixture(params=database_urls())
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database URL: a fresh SQLite file, and PostgreSQL where STCE_TEST_POSTGRES_URL is set."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'stce.db'}"
    return str(request.param)


@pytest.fixture(scope="session")
def sample_jsonl(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """2 000 synthetic declarations and their truth file (seed 7)."""
    from stce.sample import write_sample

    folder = tmp_path_factory.mktemp("sample")
    out, truth = folder / "declarations.jsonl", folder / "truth.jsonl"
    write_sample(out, 2000, 7, truth, _mirror())
    return out, truth


def chromium_path() -> str | None:
    path = os.environ.get("STCE_CHROMIUM", "/usr/bin/chromium")
    return path if Path(path).exists() else None


@pytest.fixture()
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[sessionmaker[Session]]:
    """A fresh SQLite store for one test, also used by the CLI (through the environment)."""
    from stce.store import session_factory

    url = f"sqlite:///{tmp_path / 'stce.db'}"
    monkeypatch.setenv("STCE_DATABASE_URL", url)
    monkeypatch.setenv("STCE_DATA_DIR", str(tmp_path))
    yield session_factory(url)


@pytest.fixture()
def pg_url() -> str:
    """The PostgreSQL test database, or a skip when none is configured."""
    url = os.environ.get("STCE_TEST_POSTGRES_URL")
    if not url:
        pytest.skip("STCE_TEST_POSTGRES_URL is not set")
    return url
