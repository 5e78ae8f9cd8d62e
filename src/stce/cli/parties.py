"""`stce parties`: screen names, compare name pairs, look one name up, clear false positives."""

from __future__ import annotations

import csv
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import orjson
import typer
from rich.console import Console
from rich.table import Table

from stce.config import get_settings

app = typer.Typer(
    help="Party and wallet screening against the sanctions lists.", no_args_is_help=True
)
console = Console(stderr=True)

SCREEN_FIELDS = ("id", "name", "kind", "country", "birth_date", "identifier")


def _index() -> Any:
    from stce.parties.cache import cached_index
    from stce.parties.sources import current_source

    settings = get_settings()
    source = current_source(settings)
    if source is None:
        raise typer.BadParameter(
            "no lists: import them with `stce refdata import` or set STCE_MIRROR",
            param_hint="lists",
        )
    t0 = time.perf_counter()
    index = cached_index(settings.cache_dir, source.checksum, source.load)
    console.print(
        f"[dim]index: {len(index.entries)} entries, {len(index.names)} names "
        f"({time.perf_counter() - t0:.1f}s)[/dim]"
    )
    return index


def _clearances() -> Any:
    from stce.parties.clearance import Clearances
    from stce.store import session_factory
    from stce.store.parties import load_clearances

    try:
        with session_factory()() as session:
            return load_clearances(session)
    except Exception as exc:  # the database is optional for screening; say so and go on
        console.print(f"[yellow]clearances not loaded ({exc.__class__.__name__}: {exc})[/yellow]")
        return Clearances()


def _read_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of a CSV or JSON Lines file as string dicts, with their line numbers."""
    if path.suffix.lower() in (".jsonl", ".ndjson", ".json"):
        with path.open("rb") as fh:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    obj = orjson.loads(line)
                except orjson.JSONDecodeError as exc:
                    raise typer.BadParameter(f"{path}:{n}: not valid JSON ({exc})") from exc
                if not isinstance(obj, dict):
                    raise typer.BadParameter(f"{path}:{n}: expected a JSON object")
                yield n, {k: "" if v is None else str(v) for k, v in obj.items()}
    else:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            for n, row in enumerate(csv.DictReader(fh), 2):
                yield n, {k.strip(): (v or "").strip() for k, v in row.items() if k}


COLLECT_EVERY = 10_000
"""Parties screened between two runs of the garbage collector (see `stce.pipeline.collector`)."""


@app.command("screen")
def screen(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="CSV or JSONL")],
    out: Annotated[Path, typer.Option("--out", help="JSON Lines output")],
    min_score: Annotated[
        float | None, typer.Option(help="Lowest score reported (default: review threshold)")
    ] = None,
) -> None:
    """Screen parties (id, name; optional kind, country, birth_date, identifier)."""
    from stce.parties.screener import PartyQuery, PartyScreener
    from stce.pipeline.collector import collect_between_batches, paused_collector

    index = _index()
    screener = PartyScreener(index, _clearances())
    # the kernel's tables and the laid-out list tokens, made before the collector's freeze
    # covers what is loaded (else every collection between batches walks them again)
    _ = index.kernel
    n = hits = 0
    t0 = time.perf_counter()
    with out.open("wb") as fh, paused_collector():
        for line, row in _read_rows(file):
            if n and n % COLLECT_EVERY == 0:
                collect_between_batches()
            name = row.get("name", "")
            if not row.get("id") or not name:
                raise typer.BadParameter(f"{file}:{line}: fields 'id' and 'name' are required")
            try:
                query = PartyQuery(
                    name=name,
                    kind=row.get("kind") or None,
                    country=row.get("country") or None,
                    birth_date=row.get("birth_date") or None,
                    identifier=row.get("identifier") or None,
                )
                matches = screener.search(query, floor=min_score)
            except ValueError as exc:
                raise typer.BadParameter(f"{file}:{line}: {exc}") from exc
            n += 1
            hits += bool(matches)
            fh.write(orjson.dumps({"id": row["id"], "matches": [m.public() for m in matches]}))
            fh.write(b"\n")
    secs = time.perf_counter() - t0
    console.print(f"{n} parties screened in {secs:.2f}s, {hits} with matches -> {out}")


@app.command("compare")
def compare(
    pairs: Annotated[Path, typer.Option("--pairs", exists=True, dir_okay=False)],
    out: Annotated[Path, typer.Option("--out")],
) -> None:
    """Score name pairs (name1, name2, optional schema); adds `score` and `match`."""
    from stce.parties.screener import DEFAULT_THRESHOLD, PartyScreener

    screener = PartyScreener(_index())
    with pairs.open(newline="", encoding="utf-8-sig") as fin, out.open("w", newline="") as fout:
        reader = csv.DictReader(fin)
        fields = list(reader.fieldnames or [])
        for required in ("name1", "name2"):
            if required not in fields:
                raise typer.BadParameter(f"{pairs}: column '{required}' is missing")
        writer = csv.DictWriter(fout, fieldnames=[*fields, "score", "match"])
        writer.writeheader()
        for line, row in enumerate(reader, 2):
            try:
                ns = screener.score_pair(row["name1"] or "", row["name2"] or "", row.get("schema"))
            except ValueError as exc:
                raise typer.BadParameter(f"{pairs}:{line}: {exc}") from exc
            writer.writerow(
                {
                    **row,
                    "score": f"{ns.score:.4f}",
                    "match": str(ns.score >= DEFAULT_THRESHOLD).lower(),
                }
            )


@app.command("match")
def match(
    name: Annotated[str, typer.Argument(help="Name to look up")],
    country: Annotated[str | None, typer.Option("--country", help="ISO 3166 alpha-2")] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="Person, Company, Vessel...")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
    min_score: Annotated[float, typer.Option(help="Lowest score shown")] = 0.5,
) -> None:
    """Look one name up in the current lists."""
    from stce.parties.screener import DEFAULT_THRESHOLD, PartyQuery, PartyScreener

    screener = PartyScreener(_index(), _clearances())
    matches = screener.search(PartyQuery(name, kind=kind, country=country), floor=min_score)
    if as_json:
        typer.echo(
            json.dumps(
                {"name": name, "matches": [m.public() for m in matches]},
                indent=2,
                ensure_ascii=False,
            )
        )
        return
    table = Table(title=f"{name!r}: {len(matches)} match(es)")
    for col in ("score", "entry", "listed name", "explanation"):
        table.add_column(col)
    for m in matches:
        style = "bold red" if m.score >= DEFAULT_THRESHOLD else ""
        table.add_row(f"{m.score:.2f}", m.entry.id, m.name, m.explanation, style=style)
    Console().print(table)


@app.command("clear")
def clear(
    name: Annotated[str, typer.Argument(help="Party name as it appeared in the hit")],
    entry_id: Annotated[str, typer.Argument(help="List entry id, e.g. ofac-sdn:1234")],
    reason: Annotated[str, typer.Option("--reason", help="Why this is not the listed party")],
    by: Annotated[str, typer.Option("--by", help="Analyst id")],
    country: Annotated[str | None, typer.Option("--country")] = None,
) -> None:
    """Clear a false positive: the pair stays cleared until the list entry changes."""
    from stce.parties.clearance import entry_hash, party_key
    from stce.store import session_factory
    from stce.store.parties import add_clearance

    index = _index()
    entry = next((e for e in index.entries if e.id == entry_id), None)
    if entry is None:
        raise typer.BadParameter(
            f"no list entry {entry_id!r} in the current lists", param_hint="ENTRY_ID"
        )
    with session_factory()() as session:
        add_clearance(
            session,
            party_key=party_key(name, country),
            party_name=name,
            country=country,
            entry_id=entry_id,
            entry_hash=entry_hash(entry),
            reason=reason,
            cleared_by=by,
        )
        session.commit()
    console.print(f"cleared {name!r} against {entry_id} (lapses when the entry changes)")
