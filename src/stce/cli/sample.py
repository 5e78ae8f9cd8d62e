"""`stce sample`: synthetic declarations with planted risky scenarios and a truth file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


def register(app: typer.Typer) -> None:
    app.command("sample")(sample)


def sample(
    out: Annotated[Path, typer.Option("--out", "-o", help="Output: .jsonl, .csv or .parquet")],
    n: Annotated[int, typer.Option("--n", min=0, help="Number of declarations")] = 1000,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same files)")] = 1540,
    truth: Annotated[
        Path | None, typer.Option(help="Truth file (JSON Lines) of the planted declarations")
    ] = None,
    risky_share: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="Share of declarations with planted risk")
    ] = 0.03,
    mirror: Annotated[
        Path | None,
        typer.Option(help="Reference-data mirror for planted list names (default: STCE_MIRROR)"),
    ] = None,
) -> None:
    """Write realistic synthetic declarations; planted scenarios are listed in TRUTH."""
    from stce.config import get_settings
    from stce.sample import write_sample

    console = Console(stderr=True)
    mirror = mirror or get_settings().mirror
    if mirror is None:
        console.print("[yellow]no reference mirror: no listed parties or wallets are planted[/]")
    progress = Progress(
        TextColumn("[bold]sample[/]"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )
    task = progress.add_task("sample", total=n)
    try:
        with progress:
            written, planted = write_sample(
                out,
                n,
                seed,
                truth,
                mirror,
                risky_share,
                on_declaration=lambda i: (
                    progress.update(task, completed=i) if i % 1000 == 0 else None
                ),
            )
    except (ValueError, OSError) as exc:
        console.print(f"[red]stce sample: {exc}[/]")
        raise typer.Exit(2) from None
    typer.echo(f"wrote {written} declarations ({planted} planted) to {out}")
    if truth:
        typer.echo(f"truth: {truth}")
