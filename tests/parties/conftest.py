"""Hand-made list entries: small enough to reason about, shaped like the real lists."""

from __future__ import annotations

from datetime import date

import pytest

from stce.config import get_settings
from stce.model import (
    BirthDate,
    EntryKind,
    ListEntry,
    ListIdentifier,
    ListName,
    ListWallet,
    NameQuality,
)
from stce.parties.index import NameIndex
from stce.parties.screener import PartyScreener


def entry(key: str, kind: EntryKind, *names: str, **extra: object) -> ListEntry:
    return ListEntry(
        id=f"test:{key}",
        source="test",
        source_key=key,
        kind=kind,
        names=[ListName(full=n) for n in names],
        **extra,  # type: ignore[arg-type]
    )


def filler_entries(n: int) -> list[ListEntry]:
    """Made-up two-part person names, distinct per entry: unrelated entries that give a small
    test index the rarity weights of a list, not of ten names."""
    letters = "bcdfghklmnprstvz"
    out = []
    for i in range(n):
        a = "".join(letters[(i >> (4 * k)) % 16] + "aeiou"[k] for k in range(3))
        out.append(entry(f"f{i}", EntryKind.PERSON, f"{a.title()} {a[::-1].title()}x"))
    return out


@pytest.fixture(scope="session")
def entries() -> list[ListEntry]:
    return [
        entry(
            "putin",
            EntryKind.PERSON,
            "PUTIN, Vladimir Vladimirovich",
            "Владимир Путин",
            countries=["RU"],
            birth_dates=[BirthDate(exact=date(1952, 10, 7))],
            programmes=["RUSSIA-EO14024"],
        ),
        entry("habbash", EntryKind.PERSON, "George HABBASH"),
        entry("qaida", EntryKind.ORGANISATION, "Al-Qaida", "The Base"),
        entry("acme", EntryKind.ORGANISATION, "Shanghai Acme Trading Co., Ltd."),
        entry(
            "vessel",
            EntryKind.VESSEL,
            "JOHN SMITH",
            identifiers=[ListIdentifier(type="IMO", value="9187629")],
        ),
        entry("xi", EntryKind.PERSON, "XI Jinping"),
        entry("generic", EntryKind.ORGANISATION, "Global Trading Group"),
        ListEntry(
            id="test:weak",
            source="test",
            source_key="weak",
            kind=EntryKind.PERSON,
            names=[
                ListName(full="Abdul Rahman YASIN"),
                ListName(full="Abu Rahman", quality=NameQuality.WEAK),
            ],
        ),
        entry(
            "wallet",
            EntryKind.PERSON,
            "Ivan Cryptov",
            wallets=[
                ListWallet(chain="ETH", address="0x7F367cC41522cE07553e823bf3be79A889DEbe1B"),
                ListWallet(chain="XBT", address="1AjZPMsnmpdK2Rv9KQNfMurTXinscVro9V"),
            ],
        ),
        entry("kim", EntryKind.PERSON, "KIM Jong Un"),
        entry("smith", EntryKind.PERSON, "Robert SMITH"),
        entry("brown", EntryKind.PERSON, "Robert BROWN"),
        entry("melli", EntryKind.ORGANISATION, "Bank Melli Iran"),
    ]


@pytest.fixture(scope="session")
def index(entries: list[ListEntry]) -> NameIndex:
    return NameIndex(entries, "test-checksum")


@pytest.fixture()
def screener(index: NameIndex) -> PartyScreener:
    return PartyScreener(index)


UN = "sanctions/un/consolidated.xml"
"""The UN consolidated list in the reference-data mirror."""


@pytest.fixture(scope="module")
def un_index() -> NameIndex:
    """An index of the UN list, one per test module (tests there drop its memos and kernel)."""
    mirror = get_settings().mirror
    if mirror is None or not (mirror / UN).is_file():
        pytest.skip("reference-data mirror absent (set STCE_MIRROR)")
    from stce.refdata import iter_entries

    return NameIndex(list(iter_entries(mirror / UN)), "un")
