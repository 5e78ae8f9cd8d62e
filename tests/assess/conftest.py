from __future__ import annotations

from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest

from stce.assess.model import Assessment
from stce.assess.storage import from_json


def example(name: str) -> Assessment:
    path = resources.files("stce.assess").joinpath(f"data/examples/{name}.json")
    return from_json(path.read_text(encoding="utf-8"), source=name)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("STCE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("STCE_DATABASE_URL", f"sqlite:///{tmp_path / 'stce.db'}")
    yield tmp_path


@pytest.fixture
def ruritania() -> Assessment:
    return example("ruritania")


@pytest.fixture
def freedonia() -> Assessment:
    return example("freedonia")
