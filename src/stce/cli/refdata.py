"""`stce refdata`: import, update, inspect and compare sanctions/denied-party list snapshots."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import orjson
import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from stce.config import Settings, get_settings

app = typer.Typer(
    help="Sanctions and denied-party lists: import, update, status, diff.", no_args_is_help=True
)
console = Console(emoji=False, highlight=False)

STALE_DAYS_DEFAULT = 7


def _stale_days() -> int:
    return int(os.environ.get("STCE_REFDATA_STALE_DAYS", STALE_DAYS_DEFAULT))


def _max_shrink_default() -> float:
    return float(os.environ.get("STCE_REFDATA_MAX_SHRINK", 0.2))


def _retro_days_default() -> int:
    return int(os.environ.get("STCE_RETRO_DAYS", 90))


def _sync_audit(settings: Settings) -> None:
    from stce.refdata import read_index
    from stce.store import get_engine
    from stce.store.refdata import record_snapshots

    record_snapshots(get_engine(settings.database_url), read_index(settings).snapshots)


def _retro(settings: Settings, outcomes: list[Any], days: int) -> None:
    from stce.refdata import ImportResult

    for o in outcomes:
        if o.result is not ImportResult.CURRENT or o.snapshot is None:
            continue
        if o.previous_id is None:
            console.print(
                f"[dim]{o.slot}: first snapshot, no retro-screening (nothing to compare with)[/dim]"
            )
            continue
        _retro_pair(settings, o.slot, o.snapshot.id, o.previous_id, days)


def _print_outcomes(outcomes: list[Any]) -> bool:
    ok = True
    table = Table(title="Import")
    for col in ("list", "result", "entries", "seconds", "message"):
        table.add_column(col)
    for o in outcomes:
        style = {"current": "green", "held": "yellow", "unchanged": "dim", "failed": "red"}[
            o.result.value
        ]
        ok &= o.result.value != "failed"
        table.add_row(
            o.slot or Path(o.path).name,
            f"[{style}]{o.result.value}[/{style}]",
            str(o.snapshot.entries) if o.snapshot else "",
            f"{o.seconds:.1f}",
            escape(o.message),
        )
    console.print(table)
    return ok


@app.command("import")
def import_cmd(
    path: Path = typer.Argument(..., exists=True, help="A list file or a folder (e.g. a mirror)"),
    confirm: bool = typer.Option(False, "--confirm", help="Accept snapshots that shrank a lot"),
    max_shrink: float = typer.Option(
        None,
        help="Share of entries a list may lose before it is "
        "held (default 0.2, env STCE_REFDATA_MAX_SHRINK)",
    ),
    retro_days: int = typer.Option(
        None,
        help="Re-screen parties lodged in the last N days "
        "against added/changed entries (env STCE_RETRO_DAYS, 90)",
    ),
    no_retro: bool = typer.Option(False, "--no-retro", help="Skip retro-screening"),
    show_skipped: bool = typer.Option(False, "--show-skipped", help="List files not imported"),
) -> None:
    """Import every recognised list file under PATH as new snapshots."""
    from stce.refdata import import_directory

    settings = get_settings()
    shrink = _max_shrink_default() if max_shrink is None else max_shrink
    result = import_directory(settings, path, confirm=confirm, max_shrink=shrink)
    ok = _print_outcomes(result.outcomes)
    if result.skipped:
        console.print(
            f"{len(result.skipped)} files skipped (not a list, or an older copy of "
            "one imported)" + ("" if show_skipped else "; --show-skipped lists them")
        )
        if show_skipped:
            for p, why in result.skipped:
                console.print(f"  [dim]{escape(p)}: {escape(why)}[/dim]")
    _sync_audit(settings)
    if not no_retro:
        _retro(
            settings, result.outcomes, _retro_days_default() if retro_days is None else retro_days
        )
    if any(o.result.value == "held" for o in result.outcomes):
        console.print(
            "[yellow]Held snapshots are not used until confirmed: "
            "`stce refdata confirm ID` or re-import with --confirm.[/yellow]"
        )
    if not ok:
        raise typer.Exit(1)


@app.command("update")
def update_cmd(
    sources_file: Path = typer.Option(
        None,
        "--sources",
        help="YAML of sources (name: {files: {file: url}, main: file}); env STCE_REFDATA_SOURCES",
    ),
    only: list[str] = typer.Option(None, "--only", help="Update only these source names"),
    confirm: bool = typer.Option(False, "--confirm"),
    retries: int = typer.Option(3, help="Retries per file on network errors and HTTP 5xx"),
    retro_days: int = typer.Option(None),
    no_retro: bool = typer.Option(False, "--no-retro"),
) -> None:
    """Download the official lists (conditional requests) and import what changed."""
    from stce.refdata import import_file
    from stce.refdata.update import Download, download_all, load_sources

    settings = get_settings()
    sources = [s for s in load_sources(sources_file) if not only or s.name in only]
    outcomes = []
    failed = False
    for item in download_all(settings, sources, retries=retries):
        if not isinstance(item, Download):
            console.print(f"[red]{escape(str(item))}[/red]")
            failed = True
            continue
        console.print(f"{item.source}: {item.message}")
        if item.changed:
            outcomes.append(
                import_file(settings, item.path, confirm=confirm, max_shrink=_max_shrink_default())
            )
    if outcomes:
        failed |= not _print_outcomes(outcomes)
        _sync_audit(settings)
        if not no_retro:
            _retro(settings, outcomes, _retro_days_default() if retro_days is None else retro_days)
    if failed:
        raise typer.Exit(1)


def status_rows(
    settings: Settings, stale_days: int, today: date | None = None, all_versions: bool = False
) -> list[dict[str, Any]]:
    """One dict per snapshot for `status` (current ones, or every one)."""
    from stce.refdata import SnapshotStatus, read_index

    today = today or datetime.now(UTC).date()
    rows = []
    index = read_index(settings)
    for m in index.snapshots:
        if not all_versions and m.status is SnapshotStatus.SUPERSEDED:
            continue
        ref = m.published or m.imported_at.date()
        age = (today - ref).days
        rows.append(
            {
                "list": m.slot,
                "snapshot_id": m.id,
                "status": m.status.value,
                "status_reason": m.status_reason,
                "published": m.published.isoformat() if m.published else None,
                "published_from": m.published_from,
                "imported_at": m.imported_at.isoformat(),
                "age_days": age,
                "stale": age > stale_days,
                "entries": m.entries,
                "by_kind": m.by_kind,
                "names": m.names,
                "wallets": m.wallets,
                "checksum": m.checksum,
                "rejected": len(m.rejected),
                "shadowed_by": (s.id if (s := index.shadowed_by(m)) else None),
            }
        )
    rows.sort(key=lambda r: (r["list"], r["imported_at"]))
    return rows


@app.command("status")
def status_cmd(
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output"),
    stale_days: int = typer.Option(
        None,
        help="Warn when a list is older than this many days "
        "(env STCE_REFDATA_STALE_DAYS, default 7)",
    ),
    all_versions: bool = typer.Option(False, "--all", help="Include superseded snapshots"),
) -> None:
    """Each list: version date, age, counts, checksum; stale and held ones flagged."""
    settings = get_settings()
    limit = _stale_days() if stale_days is None else stale_days
    rows = status_rows(settings, limit, all_versions=all_versions)
    if as_json:
        typer.echo(
            orjson.dumps(
                {"stale_after_days": limit, "lists": rows}, option=orjson.OPT_INDENT_2
            ).decode()
        )
        return
    if not rows:
        console.print("No list imported yet: `stce refdata import DIR` or `stce refdata update`.")
        return
    table = Table(title=f"Lists (stale after {limit} days)")
    for col in (
        "list",
        "status",
        "published",
        "age",
        "entries",
        "by kind",
        "names",
        "wallets",
        "checksum",
    ):
        table.add_column(col)
    for r in rows:
        age = f"{r['age_days']}d" + (" [red]STALE[/red]" if r["stale"] else "")
        status = r["status"] + (f" ({r['status_reason']})" if r["status"] == "held" else "")
        if r["shadowed_by"]:
            status += f" (not used: newer {r['shadowed_by']})"
        table.add_row(
            r["list"],
            status,
            r["published"] or "-",
            age,
            str(r["entries"]),
            ", ".join(f"{k} {v}" for k, v in sorted(r["by_kind"].items())),
            str(r["names"]),
            str(r["wallets"]),
            r["checksum"][:12],
        )
    console.print(table)
    stale = [
        r["list"] for r in rows if r["stale"] and r["status"] == "current" and not r["shadowed_by"]
    ]
    if stale:
        console.print(
            f"[red]Warning: {len(stale)} list(s) older than {limit} days: {', '.join(stale)}[/red]"
        )


@app.command("diff")
def diff_cmd(
    slot: str = typer.Argument(None, help="List (e.g. un-sc); default: its current vs previous"),
    new: str = typer.Option(None, "--new", help="Snapshot id (default: current of LIST)"),
    old: str = typer.Option(None, "--old", help="Snapshot id (default: the one before)"),
    as_json: bool = typer.Option(False, "--json"),
    limit: int = typer.Option(20, help="Entries shown per category"),
) -> None:
    """Entries added, removed and changed between two snapshots of a list."""
    from stce.refdata.diff import diff_snapshots

    d = diff_snapshots(get_settings(), new_id=new, old_id=old, slot=slot)
    if as_json:
        typer.echo(
            orjson.dumps(
                {
                    "old": d.old.id if d.old else None,
                    "new": d.new.id,
                    "added": [e.id for e in d.added],
                    "removed": [e.id for e in d.removed],
                    "changed": [n.id for _o, n in d.changed],
                },
                option=orjson.OPT_INDENT_2,
            ).decode()
        )
        return
    console.print(
        f"{d.old.id if d.old else '(nothing)'} -> {d.new.id}: "
        f"{len(d.added)} added, {len(d.removed)} removed, {len(d.changed)} changed"
    )
    for label, items in (
        ("added", d.added),
        ("removed", d.removed),
        ("changed", [n for _o, n in d.changed]),
    ):
        for e in items[:limit]:
            console.print(f"  {label:8} {e.id}  {e.primary_name}")
        if len(items) > limit:
            console.print(f"  … {len(items) - limit} more {label}")


@app.command("confirm")
def confirm_cmd(
    snapshot_id: str = typer.Argument(..., help="Id of a held snapshot"),
    retro_days: int = typer.Option(None, help="Retro-screening window (env STCE_RETRO_DAYS)"),
    no_retro: bool = typer.Option(False, "--no-retro"),
) -> None:
    """Make a held snapshot current (after checking why it was held), then retro-screen."""
    from stce.refdata import confirm_snapshot, read_index

    settings = get_settings()
    previous = read_index(settings)
    old = None
    held = previous.get(snapshot_id)
    current = previous.current(held.slot)
    if current is not None and current.id != snapshot_id:
        old = current.id
    meta = confirm_snapshot(settings, snapshot_id)
    _sync_audit(settings)
    console.print(f"{meta.id} is now current for {meta.slot}")
    if not no_retro and old is not None:
        _retro_pair(
            settings,
            meta.slot,
            meta.id,
            old,
            _retro_days_default() if retro_days is None else retro_days,
        )


def _retro_pair(settings: Settings, slot: str, new_id: str, old_id: str | None, days: int) -> None:
    from stce.refdata.diff import diff_snapshots
    from stce.refdata.retro import retro_screen
    from stce.store import get_engine

    d = diff_snapshots(settings, new_id=new_id, old_id=old_id)
    res = retro_screen(get_engine(settings.database_url), d.delta, new_id, days=days)
    console.print(
        f"retro {slot}: {res.delta_entries} added/changed entries, "
        f"{res.parties_scanned} stored parties of the last {days} days, "
        f"{res.new_hits} new hits ({res.seconds:.1f}s)"
    )


@app.command("retro")
def retro_cmd(
    snapshot_id: str = typer.Argument(..., help="Snapshot whose added/changed entries to use"),
    old: str = typer.Option(
        None,
        "--old",
        help="Compare with this snapshot (default: the one "
        "before); with no earlier snapshot every entry counts as new",
    ),
    days: int = typer.Option(
        None, help="Parties lodged in the last N days (env STCE_RETRO_DAYS, 90)"
    ),
) -> None:
    """Re-screen stored parties and wallets against what a snapshot added or changed."""
    from stce.refdata import read_index

    settings = get_settings()
    meta = read_index(settings).get(snapshot_id)
    _retro_pair(settings, meta.slot, meta.id, old, _retro_days_default() if days is None else days)


@app.command("hits")
def hits_cmd(
    as_json: bool = typer.Option(False, "--json"),
    limit: int = typer.Option(50, help="Most recent hits shown"),
) -> None:
    """Hits found by retro-screening (newest first)."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from stce.store import get_engine
    from stce.store.refdata import RetroHit

    with Session(get_engine(get_settings().database_url)) as session:
        rows = session.scalars(select(RetroHit).order_by(RetroHit.id.desc()).limit(limit)).all()
    items = [
        {
            "found_at": r.found_at.isoformat(),
            "declaration_id": r.declaration_id,
            "lodged_at": r.lodged_at.isoformat() if r.lodged_at else None,
            "role": r.role,
            "party": r.party_name,
            "code": r.code,
            "score": round(r.score, 3),
            "entry_id": r.entry_id,
            "matched_name": r.matched_name,
            "snapshot_id": r.snapshot_id,
        }
        for r in rows
    ]
    if as_json:
        typer.echo(orjson.dumps(items, option=orjson.OPT_INDENT_2).decode())
        return
    if not items:
        console.print("No retro-screening hits.")
        return
    table = Table(title="Retro-screening hits")
    for col in ("found", "declaration", "role", "party", "code", "score", "entry", "list name"):
        table.add_column(col)
    for i in items:
        table.add_row(
            str(i["found_at"])[:16],
            str(i["declaration_id"]),
            str(i["role"]),
            escape(str(i["party"])),
            str(i["code"]),
            str(i["score"]),
            escape(str(i["entry_id"])),
            escape(str(i["matched_name"])),
        )
    console.print(table)
