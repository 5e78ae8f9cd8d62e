"""Retro-screening stored parties and wallets against the delta of a new snapshot."""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from stce.config import Settings
from stce.model.list_entry import EntryKind, ListEntry, ListName, ListWallet, NameQuality
from stce.refdata import ImportResult, import_file
from stce.refdata.delta_match import TokenFuzzyMatcher
from stce.refdata.diff import diff_snapshots
from stce.refdata.retro import retro_screen
from stce.store import get_engine
from stce.store.refdata import RetroHit
from stce.store.tables import ScreenedParty, ScreeningRun

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def _entry(key: str, names: list[str], wallets: list[tuple[str, str]] = ()) -> ListEntry:  # type: ignore[assignment]
    return ListEntry(
        id=f"t:{key}",
        source="t",
        source_key=key,
        kind=EntryKind.ORGANISATION,
        names=[
            ListName(full=n, quality=NameQuality.PRIMARY if i == 0 else NameQuality.STRONG)
            for i, n in enumerate(names)
        ],
        wallets=[ListWallet(chain=c, address=a) for c, a in wallets],
    )


def test_matcher_names_and_wallets() -> None:
    m = TokenFuzzyMatcher(
        [
            _entry("1", ["Kestrel Precision Instruments LLC", "KPI"]),
            _entry(
                "2",
                ["Zagros Composite Materials Company"],
                [("ETH", "0xAbCdEf0123456789aBcDeF0123456789AbCdEf01")],
            ),
        ]
    )
    hits = m.match_party("KESTREL PRECISION INSTRUMENTS, LLC", "RU", None, None)
    assert [(h.entry.id, h.code) for h in hits] == [("t:1", "PARTY_LISTED")]
    assert m.match_party("Kestrel Precision Instrument", None, None, None)[0].score >= 0.85
    assert m.match_party("Precision Trading House", None, None, None) == []
    w = m.match_party("", None, "USDT", "0xabcdef0123456789abcdef0123456789abcdef01")
    assert [(h.entry.id, h.code, h.kind) for h in w] == [("t:2", "WALLET_LISTED", "wallet")]
    assert m.match_party("", None, "XBT", "0xabcdef0123456789abcdef0123456789abcdef02") == []


def _eu(path: Path, names: dict[str, str], day: str) -> Path:
    body = "".join(
        f'<sanctionEntity logicalId="{k}"><subjectType code="enterprise"/>'
        f'<nameAlias wholeName="{v}" strong="true"/></sanctionEntity>'
        for k, v in names.items()
    )
    path.write_text(
        f'<?xml version="1.0"?><export xmlns="http://eu.europa.ec/fpi/fsd/export" '
        f'generationDate="{day}">{body}</export>',
        encoding="utf-8",
    )
    return path


def test_retro_screens_only_recent_parties_against_delta(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path / "d", database_url=f"sqlite:///{tmp_path}/s.db", mirror=None
    )
    engine = get_engine(settings.database_url)
    with Session(engine) as s, s.begin():
        run = ScreeningRun(
            batch_id="b1",
            input_name="x",
            input_sha256="0" * 64,
            started_at=NOW,
            counts={},
            versions={},
        )
        s.add(run)
        s.flush()
        for i, (name, days_ago, wallet) in enumerate(
            [
                ("Orion Dual Tech FZE", 3, None),  # matches the newly added entry
                ("Orion Dual Tech FZE", 400, None),  # too old: outside the window
                ("Already Listed Company", 3, None),  # listed in v1, unchanged: not re-screened
                ("Harmless Bakery Ltd", 3, None),
                ("", 5, "0x9A1b2C3d4E5f60718293A4b5C6d7E8f901234567"),
            ]
        ):
            s.add(
                ScreenedParty(
                    run_id=run.id,
                    declaration_id=f"D{i}",
                    lodged_at=NOW - timedelta(days=days_ago),
                    role="consignee",
                    name=name,
                    country="AE",
                    wallet_chain="ETH" if wallet else None,
                    wallet_address=wallet,
                )
            )
    v1 = import_file(
        settings, _eu(tmp_path / "eu.xml", {"1": "Already Listed Company"}, "2026-11-01")
    )
    assert v1.result is ImportResult.CURRENT
    wl = tmp_path / "national.csv"
    v2 = import_file(
        settings,
        _eu(
            tmp_path / "eu.xml",
            {"1": "Already Listed Company", "2": "Orion Dual Tech FZE"},
            "2026-11-20",
        ),
    )
    assert v2.snapshot is not None
    d = diff_snapshots(settings, slot="eu-fsf")
    assert [e.source_key for e in d.delta] == ["2"]
    res = retro_screen(engine, d.delta, v2.snapshot.id, days=90, now=NOW, chunk=2)
    assert (res.parties_scanned, res.hits, res.new_hits) == (4, 1, 1)
    # a watch list adds the wallet: the wallet party is found, exactly once
    wl.write_text(
        "watchlist_id,name,wallets\nW1,Unknown holder,"
        "ETH:0x9a1b2c3d4e5f60718293a4b5c6d7e8f901234567\n",
        encoding="utf-8",
    )
    w = import_file(settings, wl)
    assert w.snapshot is not None
    wd = diff_snapshots(settings, slot="watchlist:national")
    res2 = retro_screen(engine, wd.delta, w.snapshot.id, days=90, now=NOW)
    assert res2.new_hits == 1
    again = retro_screen(engine, wd.delta, w.snapshot.id, days=90, now=NOW)
    assert again.hits == 1 and again.new_hits == 0
    with Session(engine) as s:
        rows = s.scalars(select(RetroHit).order_by(RetroHit.id)).all()
    assert [(r.declaration_id, r.code, r.entry_id) for r in rows] == [
        ("D0", "PARTY_LISTED", "eu-fsf:2"),
        ("D4", "WALLET_LISTED", "watchlist:national:W1"),
    ]
    assert rows[0].evidence["matched_name"] == "Orion Dual Tech FZE"
    assert rows[0].evidence["list_source"] == v2.snapshot.id


@pytest.mark.postgres
def test_retro_on_postgres() -> None:
    url = os.environ.get("STCE_TEST_POSTGRES_URL")
    if not url:
        pytest.skip("STCE_TEST_POSTGRES_URL is not set")
    engine = get_engine(url)
    batch = f"refdata-retro-{uuid.uuid4().hex}"
    unique = "Q" + uuid.uuid4().hex[:10]
    with Session(engine) as s, s.begin():
        run = ScreeningRun(
            batch_id=batch,
            input_name="x",
            input_sha256="0" * 64,
            started_at=NOW,
            counts={},
            versions={},
        )
        s.add(run)
        s.flush()
        s.add(
            ScreenedParty(
                run_id=run.id,
                declaration_id=f"{batch}-D1",
                lodged_at=NOW,
                role="consignee",
                name=f"{unique} Precision Parts",
                country="AE",
            )
        )
    delta = [_entry(f"pg-{batch}", [f"{unique} Precision Parts"])]
    first = retro_screen(engine, delta, batch, days=1, now=NOW)
    second = retro_screen(engine, delta, batch, days=1, now=NOW)
    assert first.new_hits == 1 and second.new_hits == 0
