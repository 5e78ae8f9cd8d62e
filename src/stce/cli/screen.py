"""`stce screen`: screen a batch of declarations (filled in by the pipeline work)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    @app.command("version")
    def version() -> None:
        """Print the stce version."""
        from stce import __version__

        typer.echo(__version__)
