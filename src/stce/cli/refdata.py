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
    from stce.refdata.diff import diff_snapshots
    from stce.refdata.retro import retro_screen
    from stce.store import get_engine

    engine = get_engine(settings.database_url)
    for o in outcomes:
        if o.result is not ImportResult.CURRENT or o.snapshot is None:
            continue
        if o.previous_id is None:
            console.print(
                f"[dim]{o.slot}: first snapshot, no retro-screening (nothing to compare with)[/dim]"
            )
            continue
        d = diff_snapshots(settings, new_id=o.snapshot.id, old_id=o.previous_id)
        res = retro_screen(engine, d.delta, o.snapshot.id, days=days)
        console.print(
            f"retro {o.slot}: {res.delta_entries} added/changed entries, "
            f"{res.parties_scanned} stored parties of the last {days} days, "
            f"{res.new_hits} new hits ({res.seconds:.1f}s)"
        )


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
    for m in read_index(settings).snapshots:
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
    stale = [r["list"] for r in rows if r["stale"] and r["status"] == "current"]
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
def confirm_cmd(snapshot_id: str = typer.Argument(..., help="Id of a held snapshot")) -> None:
    """Make a held snapshot current (after checking why it was held)."""
    from stce.refdata import confirm_snapshot

    settings = get_settings()
    meta = confirm_snapshot(settings, snapshot_id)
    _sync_audit(settings)
    console.print(f"{meta.id} is now current for {meta.slot}")
