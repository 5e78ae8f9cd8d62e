"""`stce screen`, `stce schema` and `stce version`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

err = Console(stderr=True)


def register(app: typer.Typer) -> None:
    app.command("screen")(screen)
    app.command("schema")(schema)
    app.command("version")(version)


def screen(
    input_file: Annotated[Path, typer.Argument(help="Declarations: .jsonl, .csv or .parquet")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Directory for the results")] = Path(
        "results"
    ),
    fmt: Annotated[
        str | None, typer.Option("--format", help="jsonl, csv or parquet (default: by extension)")
    ] = None,
    batch_size: Annotated[int, typer.Option(help="Declarations per batch")] = 2000,
    record: Annotated[
        bool, typer.Option("--record/--no-record", help="Record the run in the store")
    ] = True,
    checks: Annotated[
        str | None, typer.Option(help="Comma-separated checks to run (default: all)")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar")] = False,
) -> None:
    """Screen a batch of declarations: lanes, scores, hits, rejects and an HTML report."""
    from stce.pipeline import ScreeningError, preflight, screen_file

    console = Console()
    try:
        fmt = preflight(input_file, out, fmt)
    except ScreeningError as exc:
        err.print(f"[red]stce screen: {exc}[/]", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None
    only = [c.strip() for c in checks.split(",")] if checks else None
    total = input_file.stat().st_size if input_file.is_file() else 0
    progress = Progress(
        TextColumn("[bold]screening[/]"),
        BarColumn(),
        DownloadColumn(),
        TextColumn("{task.fields[decls]:,} declarations"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=err,
        disable=quiet,
        transient=False,
    )
    task = progress.add_task("screen", total=total or None, decls=0)

    def on_progress(done_bytes: int, decls: int) -> None:
        progress.update(task, completed=done_bytes, decls=decls)

    try:
        with progress:
            summary = screen_file(
                input_file,
                out,
                fmt=fmt,
                batch_size=batch_size,
                record=record,
                only_checks=only,
                on_progress=on_progress,
            )
    except ScreeningError as exc:
        err.print(f"[red]stce screen: {exc}[/]", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None

    table = Table(title=f"Screened {input_file.name}", show_header=True)
    table.add_column("")
    table.add_column("count", justify="right")
    table.add_row("records read", f"{summary.read:,}")
    table.add_row("declarations screened", f"{summary.accepted:,}")
    table.add_row("rejected", f"{summary.rejected:,}")
    for lane, colour in (
        ("red", "red"),
        ("yellow", "yellow"),
        ("blue", "blue"),
        ("green", "green"),
    ):
        table.add_row(f"[{colour}]{lane}[/]", f"{summary.lanes.get(lane, 0):,}")
    console.print(table)
    if summary.hit_types:
        hits = Table(title="Top hit types")
        hits.add_column("check:code")
        hits.add_column("hits", justify="right")
        for k, v in summary.hit_types.most_common(8):
            hits.add_row(k, f"{v:,}")
        console.print(hits)
    rate = summary.accepted / summary.elapsed_s if summary.elapsed_s else 0.0
    console.print(f"{summary.accepted:,} declarations in {summary.elapsed_s:.1f} s ({rate:,.0f}/s)")
    if summary.replaced:
        console.print(
            f"Same input and versions as batch {summary.batch_id}: its record was replaced."
        )
    console.print(f"Results: {summary.results_path}")
    if summary.rejected:
        console.print(f"Rejects: {summary.rejects_path}")
    console.print(f"Report:  {summary.report_path}")


def schema(
    fmt: Annotated[
        str, typer.Option("--format", help="json-schema (JSON Lines) or csv (column list)")
    ] = "json-schema",
) -> None:
    """Print the declaration schema: JSON Schema (JSON Lines) or the CSV/Parquet columns."""
    from stce.ingest import TABULAR_COLUMNS
    from stce.model import Declaration

    if fmt == "csv":
        typer.echo(",".join(TABULAR_COLUMNS))
        return
    if fmt != "json-schema":
        err.print(f"[red]stce schema: unknown format {fmt!r}: use json-schema or csv[/]")
        raise typer.Exit(2)
    doc = Declaration.model_json_schema()
    doc["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    doc["$id"] = "https://stce.example/schema/declaration.json"
    typer.echo(json.dumps(doc, indent=2))


def version() -> None:
    """Print the stce version."""
    from stce import __version__

    typer.echo(__version__)
