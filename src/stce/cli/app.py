"""Root Typer application. Each concern adds its command group here, one line each."""

from __future__ import annotations

import typer

from stce.cli import parties, screen
from stce.cli import refdata as refdata_cli

app = typer.Typer(
    name="stce",
    help="Strategic Trade Control Enforcement: screen declarations, target, coordinate, improve.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def _root() -> None:
    """Strategic Trade Control Enforcement."""


screen.register(app)
app.add_typer(parties.app, name="parties")
app.add_typer(refdata_cli.app, name="refdata")


def main() -> None:
    app()
