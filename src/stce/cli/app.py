"""Root Typer application. Each concern adds its command group here, one line each."""

from __future__ import annotations

import typer

from stce.cli import (
    assess,
    assist,
    goods,
    licences,
    movements,
    parties,
    rules,
    sample,
    screen,
    train,
)
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
sample.register(app)
app.add_typer(parties.app, name="parties")
app.add_typer(refdata_cli.app, name="refdata")
app.add_typer(goods.app, name="goods")
app.add_typer(assess.app, name="assess")
app.add_typer(assist.app, name="assist")
app.add_typer(train.app, name="train")
app.add_typer(licences.app, name="licences")
app.add_typer(movements.app, name="movements")
app.add_typer(movements.ftz_app, name="ftz")
app.add_typer(rules.app, name="rules")
app.add_typer(rules.outcomes_app, name="outcomes")


def main() -> None:
    app()
