"""Retro-screening: when a new snapshot adds or changes entries, look again at the parties and
wallets of declarations lodged in the last N days, against ONLY those entries.

Stored parties (`screened_parties`) are streamed in id order in chunks (keyset pagination, so
memory and query cost stay flat however many rows the store holds) past a matcher built over the
small delta. New hits go to `refdata_retro_hits`, at most once per (stored party, entry).
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from stce.model.list_entry import ListEntry
from stce.refdata.delta_match import DeltaMatch, MatcherFactory, default_matcher
from stce.store.refdata import RetroHit
from stce.store.tables import ScreenedParty

DEFAULT_DAYS = 90
CHUNK = 50_000


@dataclass
class RetroResult:
    snapshot_id: str
    delta_entries: int
    parties_scanned: int
    hits: int
    new_hits: int
    seconds: float


def _stream(engine: Engine, since: datetime, chunk: int) -> Iterator[Sequence[Any]]:
    """(id, name, country, wallet chain, wallet address) of parties lodged since `since`, in id
    order, `chunk` rows at a time (keyset pagination: no OFFSET, flat cost per chunk)."""
    cols = (
        ScreenedParty.id,
        ScreenedParty.name,
        ScreenedParty.country,
        ScreenedParty.wallet_chain,
        ScreenedParty.wallet_address,
    )
    last = 0
    with engine.connect() as conn:
        while True:
            rows = conn.execute(
                select(*cols)
                .where(ScreenedParty.id > last, ScreenedParty.lodged_at >= since)
                .order_by(ScreenedParty.id)
                .limit(chunk)
            ).all()
            if not rows:
                return
            last = rows[-1][0]
            yield rows


def _party_details(
    engine: Engine, ids: list[int]
) -> dict[int, tuple[int, str, datetime | None, str]]:
    """run id, declaration id, lodged at and role of the parties that matched."""
    out: dict[int, tuple[int, str, datetime | None, str]] = {}
    with engine.connect() as conn:
        for start in range(0, len(ids), 500):
            rows = conn.execute(
                select(
                    ScreenedParty.id,
                    ScreenedParty.run_id,
                    ScreenedParty.declaration_id,
                    ScreenedParty.lodged_at,
                    ScreenedParty.role,
                ).where(ScreenedParty.id.in_(ids[start : start + 500]))
            ).all()
            for pid, run_id, decl, lodged, role in rows:
                out[pid] = (run_id, decl, lodged, role)
    return out


def _record(engine: Engine, rows: list[dict[str, Any]]) -> int:
    if not rows:
        return 0
    insert = pg_insert if engine.dialect.name == "postgresql" else sqlite_insert
    stmt = (
        insert(RetroHit)
        .values(rows)
        .on_conflict_do_nothing(index_elements=["screened_party_id", "entry_id"])
        .returning(RetroHit.id)
    )
    with engine.begin() as conn:
        inserted = conn.execute(stmt).all()
    return len(inserted)


def retro_screen(
    engine: Engine,
    delta: Sequence[ListEntry],
    snapshot_id: str,
    *,
    days: int = DEFAULT_DAYS,
    now: datetime | None = None,
    matcher_factory: MatcherFactory = default_matcher,
    chunk: int = CHUNK,
) -> RetroResult:
    """Screen parties lodged within `days` against `delta`; record new hits; report counts."""
    started = time.perf_counter()
    now = now or datetime.now(UTC)
    since = now - timedelta(days=days)
    matcher = matcher_factory(delta)
    scanned = hits = new_hits = 0
    if not delta:
        return RetroResult(snapshot_id, 0, 0, 0, 0, time.perf_counter() - started)
    match = matcher.match_party
    for rows in _stream(engine, since, chunk):
        found: list[tuple[int, str, str | None, str | None, DeltaMatch]] = []
        for pid, name, country, chain, address in rows:
            matches = match(name, country, chain, address)
            for m in matches:
                found.append((pid, name, country, address, m))
        scanned += len(rows)
        if not found:
            continue
        hits += len(found)
        details = _party_details(engine, sorted({f[0] for f in found}))
        pending: list[dict[str, Any]] = []
        for pid, name, country, address, m in found:
            run_id, decl, lodged, role = details[pid]
            pending.append(
                {
                    "found_at": now,
                    "snapshot_id": snapshot_id,
                    "entry_id": m.entry.id,
                    "code": m.code,
                    "score": m.score,
                    "screened_party_id": pid,
                    "run_id": run_id,
                    "declaration_id": decl,
                    "lodged_at": lodged,
                    "role": role,
                    "party_name": address if m.kind == "wallet" and address else name,
                    "matched_name": m.matched_name,
                    "evidence": {
                        "entry_id": m.entry.id,
                        "source": m.entry.source,
                        "programmes": m.entry.programmes,
                        "matched_name": m.matched_name,
                        "party_role": role,
                        "country": country,
                        "list_source": snapshot_id,
                        "field": "wallet" if m.kind == "wallet" else "name",
                    },
                }
            )
        new_hits += _record(engine, pending)
    return RetroResult(
        snapshot_id=snapshot_id,
        delta_entries=len(delta),
        parties_scanned=scanned,
        hits=hits,
        new_hits=new_hits,
        seconds=time.perf_counter() - started,
    )
