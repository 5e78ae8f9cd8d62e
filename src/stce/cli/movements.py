"""`stce movements` (transshipment chains) and `stce ftz` (free-zone ledger and reports)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(
    help="Transshipment chains: record legs, show chains, overdue transits.", no_args_is_help=True
)
ftz_app = typer.Typer(
    help="Free-zone ledger: operator stock reports, reconciliation, reports.", no_args_is_help=True
)
console = Console()

RulesOpt = Annotated[Path | None, typer.Option("--rules", help="Movement rules YAML")]
StrategicOpt = Annotated[
    Path | None,
    typer.Option(
        "--strategic-hs",
        help="CSV with an hs6 column of strategic subheadings (default: the goods identifier)",
    ),
]


def _determiner(path: Path | None) -> object:
    """An HS list when given, else the goods identifier (packaged knowledge base)."""
    from stce.licences.determiner import HsSubheadingDeterminer, IdentifierDeterminer

    if path is None:
        from stce.goods.identify import GoodsIdentifier

        return IdentifierDeterminer(GoodsIdentifier())
    return HsSubheadingDeterminer.from_csv(path, regime=path.stem)


@app.command("record")
def record(
    file: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help="Declarations, JSON Lines")
    ],
    rules_file: RulesOpt = None,
    strategic_hs: StrategicOpt = None,
    lookback_days: Annotated[int, typer.Option(help="Days of earlier legs to link to")] = 365,
) -> None:
    """Link the declarations of FILE into chains, print the movement flags and keep the legs."""
    from stce.licences.determiner import StrategicDeterminer
    from stce.model import Declaration
    from stce.movements.check import MovementCheck
    from stce.movements.rules import load_movement_rules
    from stce.store import session_factory
    from stce.store.movements import load_chain_index, save_legs

    rules = load_movement_rules(rules_file)
    det = _determiner(strategic_hs)
    assert isinstance(det, StrategicDeterminer)
    decls: list[Declaration] = []
    with file.open(encoding="utf-8") as fh:
        for n, text in enumerate(fh, start=1):
            if text.strip():
                try:
                    decls.append(Declaration.model_validate(json.loads(text)))
                except ValueError as exc:
                    console.print(f"[red]line {n}: {exc}[/red]", highlight=False)
                    raise typer.Exit(2) from exc
    since = datetime.now(UTC) - timedelta(days=lookback_days)
    with session_factory()() as session, session.begin():
        index = load_chain_index(session, rules, since=None if lookback_days <= 0 else since)
        check = MovementCheck(index, det, rules)
        results = check.check(decls)
        saved = save_legs(session, index.pending())
    for decl, hits in zip(decls, results, strict=True):
        for h in hits:
            console.print(
                f"{decl.declaration_id}\t{h.code}\t{h.message}", highlight=False, soft_wrap=True
            )
    console.print(f"{saved} leg(s) recorded; {sum(map(len, results))} flag(s)")


@app.command("chain")
def chain(
    ident: Annotated[str, typer.Argument(help="Chain id or any declaration id in it")],
) -> None:
    """Show a chain as a timeline."""
    from stce.store import session_factory
    from stce.store.movements import chain_legs

    with session_factory()() as session:
        got = chain_legs(session, ident)
    if got is None:
        console.print(f"[red]No chain or declaration {ident!r} recorded.[/red]")
        raise typer.Exit(1)
    chain_id, legs = got
    table = Table(title=f"Chain {chain_id}")
    for col in (
        "when",
        "declaration",
        "procedure",
        "from → to",
        "consignor → consignee",
        "zone/operator",
        "goods",
        "linked by",
    ):
        table.add_column(col)
    prev_at: datetime | None = None
    for leg, link in legs:
        when = leg.lodged_at.strftime("%Y-%m-%d %H:%M") if leg.lodged_at else "?"
        if prev_at and leg.lodged_at:
            when += f" (+{(leg.lodged_at - prev_at).total_seconds() / 86400:.1f} d)"
        prev_at = leg.lodged_at or prev_at
        goods = "; ".join(
            f"{g.hs_code}{'*' if g.strategic else ''} {g.description[:24]}"
            + (f" {g.quantity:g} {g.unit}" if g.quantity is not None else "")
            for g in leg.goods
        )
        table.add_row(
            when,
            leg.declaration_id,
            leg.procedure.value,
            f"{leg.dispatch or '?'} → {leg.destination or '?'}",
            f"{leg.consignor or '?'} → {leg.consignee or '?'}",
            f"{leg.zone_id or ''}/{leg.operator_id or ''}" if leg.zone_id else "",
            goods,
            f"{link.via} ({link.predecessor})" if link else "start",
        )
    console.print(table)
    console.print("* strategic item", style="dim")


@app.command("overdue")
def overdue(
    as_of: Annotated[str | None, typer.Option(help="ISO date (default: now)")] = None,
    rules_file: RulesOpt = None,
) -> None:
    """List transits with no exit after the time limit (TRANSIT_NOT_EXITED)."""
    from stce.movements.check import MovementCheck
    from stce.movements.rules import load_movement_rules
    from stce.store import session_factory
    from stce.store.movements import load_chain_index

    rules = load_movement_rules(rules_file)
    when = datetime.fromisoformat(as_of).replace(tzinfo=UTC) if as_of else datetime.now(UTC)
    with session_factory()() as session:
        check = MovementCheck(load_chain_index(session, rules), None, rules)
    hits = check.overdue(when)
    for h in hits:
        console.print(f"{h.declaration_id}\t{h.code}\t{h.message}", highlight=False, soft_wrap=True)
    console.print(f"{len(hits)} overdue transit(s)")


@ftz_app.command("import-stock")
def import_stock(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="CSV or JSON Lines")],
    fmt: Annotated[str | None, typer.Option("--format", help="csv or jsonl")] = None,
) -> None:
    """Import operator stock reports, transfers and processing records (all or nothing)."""
    from stce.movements.ledger import OperatorFileError, read_operator_records
    from stce.store import session_factory
    from stce.store.movements import import_operator_records

    try:
        records = read_operator_records(file, fmt)
    except OperatorFileError as exc:
        console.print(f"[red]{exc}[/red]", highlight=False)
        raise typer.Exit(2) from exc
    with session_factory()() as session, session.begin():
        n = import_operator_records(session, records, source=file.name)
    console.print(f"{n} operator record(s) imported from {file}")


@ftz_app.command("report")
def report(
    zone: Annotated[str, typer.Argument(help="Free-zone id")],
    period: Annotated[str, typer.Option(help="2026-Q3, 2026-07 or 2026")],
    operator: Annotated[str | None, typer.Option(help="Only this operator")] = None,
    out: Annotated[Path, typer.Option(help="Output folder")] = Path("ftz-reports"),
    rules_file: RulesOpt = None,
) -> None:
    """Reconcile a zone for a period and write the transparency report (HTML + CSV)."""
    from stce.movements.check import MovementCheck
    from stce.movements.ledger import parse_period, reconcile
    from stce.movements.report import write_report
    from stce.movements.rules import load_movement_rules
    from stce.store import session_factory
    from stce.store.movements import ledger_inputs, load_chain_index

    rules = load_movement_rules(rules_file)
    try:
        per = parse_period(period)
    except ValueError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    with session_factory()() as session:
        legs, records, earlier = ledger_inputs(session, zone, per.end)
        index = load_chain_index(session, rules)
    rec = reconcile(zone, per, legs, records, rules, earlier, operator)
    in_period = [
        lg.declaration_id
        for lg in legs
        if lg.lodged_at is not None
        and per.contains(lg.lodged_at.date())
        and (operator is None or lg.operator_id == operator)
    ]
    flags = MovementCheck(index, None, rules).flags_of(sorted(in_period))
    paths = write_report(rec, out, flags)
    console.print(
        f"{len(rec.lines)} stock line(s), {len(rec.findings)} finding(s),"
        f" {len(flags)} movement flag(s); wrote " + ", ".join(str(p) for p in paths),
        highlight=False,
    )
