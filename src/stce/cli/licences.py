"""`stce licences`: import the licensing authority's licences, show balances and history,
write off cleared declarations and restore cancelled ones."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(help="Licence registry: import, balances, write-offs.", no_args_is_help=True)
console = Console()


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="CSV or JSON Lines")],
    fmt: Annotated[
        str | None, typer.Option("--format", help="csv or jsonl (default: by extension)")
    ] = None,
) -> None:
    """Import or update licences; the whole file is rejected if any record is bad."""
    from stce.licences.io import LicenceFileError, read_licences
    from stce.store import session_factory
    from stce.store.licences import import_licences

    try:
        licences = read_licences(file, fmt)
    except LicenceFileError as exc:
        console.print(f"[red]{exc}[/red]", highlight=False)
        raise typer.Exit(2) from exc
    with session_factory()() as session, session.begin():
        summary = import_licences(session, licences)
    console.print(f"{summary.created} licence(s) created, {summary.updated} updated from {file}")


@app.command("show")
def show(number: Annotated[str, typer.Argument(help="Licence number")]) -> None:
    """Print a licence, its remaining balance per item and its history."""
    from stce.store import session_factory
    from stce.store.licences import licence_history

    with session_factory()() as session:
        hist = licence_history(session, number)
    if hist is None:
        console.print(f"[red]No licence {number!r} in the registry.[/red]")
        raise typer.Exit(1)
    lic = hist.licence
    console.print(
        f"[bold]{lic.number}[/bold] {lic.type.value} licence, {lic.status.value}, issued by"
        f" {lic.issuing_authority}, valid {lic.valid_from} to {lic.valid_to}",
        highlight=False,
    )
    console.print(
        f"holder {lic.holder}; consignee {lic.consignee or '-'}; end user {lic.end_user or '-'};"
        f" destinations {', '.join(lic.destinations) or 'any'}; tolerance {lic.tolerance_pct:g} %",
        highlight=False,
    )
    bal = Table(title="Balance")
    for col in ("item", "control entry", "HS", "description", "licensed", "left"):
        bal.add_column(col)
    rows = {b.item_no: b for b in hist.balances}
    for it in lic.items:
        b = rows.get(it.item_no)
        licensed = []
        left = []
        if it.quantity is not None:
            licensed.append(f"{it.quantity:g} {it.unit}")
            left.append(f"{(b.quantity_left if b else it.quantity) or 0:g} {it.unit}")
        if it.value is not None:
            licensed.append(f"{it.value:,.2f} {it.currency}")
            left.append(f"{(b.value_left if b else it.value) or 0:,.2f} {it.currency}")
        bal.add_row(
            str(it.item_no),
            it.control_entry or "",
            it.hs_code or "",
            it.description[:40],
            " / ".join(licensed),
            " / ".join(left),
        )
    console.print(bal)
    ev = Table(title="History")
    for col in ("when", "event", "declaration", "line", "item", "quantity", "value", "note"):
        ev.add_column(col)
    for e in hist.events:
        ev.add_row(
            e.at.strftime("%Y-%m-%d %H:%M:%S"),
            e.kind,
            e.declaration_id or "",
            "" if e.line is None else str(e.line),
            "" if e.item_no is None else str(e.item_no),
            "" if e.quantity_delta is None else f"{e.quantity_delta:+g}",
            "" if e.value_delta is None else f"{e.value_delta:+,.2f}",
            e.note,
        )
    console.print(ev)


@app.command("write-off")
def write_off(
    file: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help="Cleared declarations, JSON Lines")
    ],
    rules_file: Annotated[Path | None, typer.Option("--rules", help="Licensing rules YAML")] = None,
) -> None:
    """Write off the cleared declarations of FILE from their licences (idempotent; a changed
    declaration is treated as an amendment)."""
    from stce.goods.identify import GoodsIdentifier
    from stce.licences.determiner import IdentifierDeterminer
    from stce.licences.rules import load_rules
    from stce.model import Declaration
    from stce.store import session_factory
    from stce.store.licences import apply_declaration

    rules = load_rules(rules_file)
    det = IdentifierDeterminer(GoodsIdentifier())  # matches licence items by control entry
    factory = session_factory()
    counts = {"applied": 0, "amended": 0, "reversed": 0, "unchanged": 0}
    with file.open(encoding="utf-8") as fh:
        for n, text in enumerate(fh, start=1):
            if not text.strip():
                continue
            try:
                decl = Declaration.model_validate(json.loads(text))
            except ValueError as exc:
                console.print(f"[red]line {n}: {exc}[/red]", highlight=False)
                raise typer.Exit(2) from exc
            with factory() as session, session.begin():
                res = apply_declaration(session, decl, rules, det)
            for k in counts:
                counts[k] += len(getattr(res, k))
    console.print(", ".join(f"{v} {k}" for k, v in counts.items()) + " write-off(s)")


@app.command("cancel")
def cancel(declaration_id: Annotated[str, typer.Argument()]) -> None:
    """Restore every balance a cancelled declaration wrote off."""
    from stce.store import session_factory
    from stce.store.licences import reverse_declaration

    with session_factory()() as session, session.begin():
        out = reverse_declaration(session, declaration_id)
    console.print(f"{len(out)} write-off(s) of {declaration_id} reversed")
