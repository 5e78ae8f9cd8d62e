"""Shared fixtures for the goods tests: the HS nomenclature from the mirror (skipped cleanly
when the mirror is absent) and one identifier per session (building the index takes ~0.5 s)."""

from __future__ import annotations

from pathlib import Path

import pytest

from stce.config import get_settings
from stce.goods.identify import GoodsIdentifier
from stce.refdata.hs import HsNomenclature, load_hs


def _mirror() -> Path | None:
    m = get_settings().mirror
    if m is None or not (m / "hs" / "hs2022" / "harmonized-system.csv").exists():
        return None
    return m


@pytest.fixture(scope="session")
def mirror() -> Path:
    m = _mirror()
    if m is None:
        pytest.skip("reference mirror absent: set STCE_MIRROR to the shared data folder")
    return m


@pytest.fixture(scope="session")
def hs(mirror: Path) -> HsNomenclature:
    return load_hs(mirror)


@pytest.fixture(scope="session")
def ident(hs: HsNomenclature) -> GoodsIdentifier:
    return GoodsIdentifier(hs=hs)


@pytest.fixture(scope="session")
def ident_nohs() -> GoodsIdentifier:
    return GoodsIdentifier()
