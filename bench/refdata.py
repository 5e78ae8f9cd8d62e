"""Benchmark of the list loaders and of retro-screening.

    python bench/refdata.py [--parties 1000000] [--delta 100] [--skip-import]

Prints: import seconds per list of the mirror (STCE_MIRROR, default ../shared/data), the time
to load all current snapshots (start-up), and the time to retro-screen a generated store of
past declarations' parties against a delta of new entries. Everything runs in a temporary data
directory; nothing of the caller's is touched.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from stce.config import Settings, get_settings
from stce.model.list_entry import EntryKind, ListEntry, ListName, ListWallet, NameQuality
from stce.refdata import current_entries, import_file
from stce.refdata.importing import plan_directory
from stce.refdata.retro import retro_screen
from stce.store import get_engine

_SYLLABLES = [c + v for c in "bdfghklmnprstvz" for v in ("a", "e", "i", "o", "u", "an", "or")]
_VOCAB_RNG = random.Random(1)
WORDS = sorted(
    {
        "".join(_VOCAB_RNG.choice(_SYLLABLES) for _ in range(_VOCAB_RNG.randint(2, 3)))
        for _ in range(6000)
    }
)
"""About 6,000 pseudo-words: party names as diverse as a real register's, reproducibly."""
SUFFIX = ("LLC", "Ltd", "GmbH", "FZE", "Co.", "S.A.", "JSC", "")


def _name(rng: random.Random) -> str:
    return (
        " ".join(rng.choice(WORDS).title() for _ in range(rng.randint(2, 4)))
        + (" " + rng.choice(SUFFIX)).rstrip()
    )


def bench_imports(mirror: Path, settings: Settings) -> None:
    chosen, skipped = plan_directory(mirror)
    print(f"mirror {mirror}: {len(chosen)} list files, {len(skipped)} skipped")
    total = 0.0
    for cand in chosen:
        started = time.perf_counter()
        outcome = import_file(settings, cand.path, src=cand.src)
        took = time.perf_counter() - started
        total += took
        entries = outcome.snapshot.entries if outcome.snapshot else 0
        print(
            f"  import {cand.slot:22} {outcome.result.value:9} {entries:6d} entries {took:6.2f} s"
        )
    print(f"  import total {total:.1f} s")
    started = time.perf_counter()
    n = len(current_entries(settings))
    print(
        f"  load current entries (start-up): {n} entries in {time.perf_counter() - started:.2f} s"
    )


def _fill_store(url: str, parties: int, rng: random.Random, planted: list[str]) -> None:
    engine = get_engine(url)
    now = datetime.now(UTC)
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute(
            "INSERT INTO screening_runs (batch_id, input_name, input_sha256, started_at, counts,"
            " versions) VALUES ('bench', 'bench', '0', ?, '{}', '{}')",
            (now.isoformat(),),
        )
        run_id = cur.lastrowid
        batch = []
        for i in range(parties):
            lodged = (now - timedelta(minutes=rng.randint(0, 90 * 24 * 60))).isoformat()
            wallet = None
            if i % 100 == 0:
                wallet = "0x" + "".join(rng.choice("0123456789abcdef") for _ in range(40))
            name = (
                planted[i // (parties // len(planted))]
                if (planted and i % (parties // len(planted)) == 7)
                else _name(rng)
            )
            batch.append(
                (
                    run_id,
                    f"D{i // 3}",
                    lodged,
                    "consignee",
                    name,
                    "AE",
                    "ETH" if wallet else None,
                    wallet,
                )
            )
            if len(batch) == 50_000:
                cur.executemany(
                    "INSERT INTO screened_parties (run_id, declaration_id, lodged_at, role, name,"
                    " country, wallet_chain, wallet_address) VALUES (?,?,?,?,?,?,?,?)",
                    batch,
                )
                batch.clear()
        if batch:
            cur.executemany(
                "INSERT INTO screened_parties (run_id, declaration_id, lodged_at, role, name,"
                " country, wallet_chain, wallet_address) VALUES (?,?,?,?,?,?,?,?)",
                batch,
            )
        raw.commit()
    finally:
        raw.close()


def bench_retro(workdir: Path, parties: int, delta_size: int) -> None:
    rng = random.Random(1540)
    delta = [
        ListEntry(
            id=f"bench:{i}",
            source="bench",
            source_key=str(i),
            kind=EntryKind.ORGANISATION,
            names=[
                ListName(full=_name(rng) + f" {rng.randint(1, 999)}", quality=NameQuality.PRIMARY)
            ],
            wallets=[ListWallet(chain="ETH", address="0x" + f"{i:040x}")] if i % 10 == 0 else [],
        )
        for i in range(delta_size)
    ]
    planted = [e.primary_name for e in delta[:10]]
    url = f"sqlite:///{workdir / 'bench.db'}"
    started = time.perf_counter()
    _fill_store(url, parties, rng, planted)
    print(f"retro: generated {parties} stored parties in {time.perf_counter() - started:.1f} s")
    res = retro_screen(get_engine(url), delta, "bench:1", days=90)
    print(
        f"retro: {res.parties_scanned} parties (last 90 days) against a {res.delta_entries}-entry "
        f"delta in {res.seconds:.2f} s ({res.parties_scanned / res.seconds:,.0f} parties/s); "
        f"{res.hits} hits, {res.new_hits} recorded (10 planted names)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--parties", type=int, default=1_000_000)
    parser.add_argument("--delta", type=int, default=100)
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument("--skip-retro", action="store_true")
    args = parser.parse_args()
    mirror = get_settings().mirror
    with tempfile.TemporaryDirectory(prefix="stce-bench-refdata-") as tmp:
        work = Path(tmp)
        settings = Settings(
            data_dir=work / "data", database_url=f"sqlite:///{work}/s.db", mirror=mirror
        )
        if not args.skip_import:
            if mirror is None:
                print("no mirror (STCE_MIRROR): import benchmark skipped")
            else:
                bench_imports(mirror, settings)
        if not args.skip_retro:
            bench_retro(work, args.parties, args.delta)


if __name__ == "__main__":
    main()
