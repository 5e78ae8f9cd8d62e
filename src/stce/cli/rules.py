"""`stce rules` (check, show, fields, test, stats) and `stce outcomes import`.

Analysts write rule packs, check them, backtest them against past declarations and results,
and learn from inspection outcomes which rules find something.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

if TYPE_CHECKING:
    from stce.risk.pack import Pack

app = typer.Typer(help="Rule packs: check, show, backtest and measure targeting rules.")
outcomes_app = typer.Typer(help="Inspection outcomes: what examinations found.")

_out = Console()
_err = Console(stderr=True)

PackOpt = Annotated[
    Path | None, typer.Option("--pack", help="Rule pack (default: the packaged STCE pack)")
]


def _load(path: Path | None) -> Pack:
    from stce.risk.pack import PackError, load_default_pack, load_pack

    try:
        return load_default_pack() if path is None else load_pack(path)
    except PackError as exc:
        _err.print(f"[red]rule pack refused[/] {exc}")
        raise typer.Exit(2) from None


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{x:.0%}"


@app.command("check")
def check(packs: Annotated[list[Path], typer.Argument(help="Rule pack files")]) -> None:
    """Load and compile rule packs; a bad rule is reported with its file, line and reason."""
    for p in packs:
        pack = _load(p)
        by_status: dict[str, int] = {}
        for r in pack.rules:
            by_status[r.spec.status.value] = by_status.get(r.spec.status.value, 0) + 1
        counts = ", ".join(f"{n} {s}" for s, n in sorted(by_status.items()))
        _out.print(f"[green]ok[/] {p}: {pack.label}, {len(pack.rules)} rules ({counts})")


@app.command("show")
def show(pack_path: PackOpt = None) -> None:
    """List the rules of a pack: status, weight or lane, scope and sources."""
    pack = _load(pack_path)
    t = Table(title=f"{pack.spec.pack.title} ({pack.label})")
    t.add_column("id", no_wrap=True)
    for col in ("status", "weight", "lane", "applies to", "title", "source"):
        t.add_column(col, overflow="fold")
    for r in pack.rules:
        s = r.spec
        scope = ", ".join([*(p.value for p in s.procedures), *(c.value for c in s.channels)])
        t.add_row(
            s.id,
            s.status.value,
            "" if s.weight is None else f"{s.weight:g}",
            "" if s.lane is None else s.lane.value,
            scope or "all",
            s.title,
            "; ".join(x.cite() for x in s.source),
        )
    _out.print(t)
    th = pack.spec.lanes.default
    _out.print(
        f"lanes: red >= {th.red:g}, yellow >= {th.yellow:g}, blue >= {th.blue:g} "
        f"({len(pack.spec.lanes.overrides)} override(s)); random selection "
        f"{pack.spec.selection.rate:g} to {pack.spec.selection.lane.value}"
    )


@app.command("fields")
def fields() -> None:
    """The names a rule condition can read, with their types."""
    from stce.risk.features import describe, root_scope

    t = Table(title="Condition fields")
    for col in ("name", "type", "meaning"):
        t.add_column(col, overflow="fold")
    for name, type_, doc in describe(root_scope({})):
        t.add_row(escape(name), escape(type_), escape(doc))
    _out.print(t)


@app.command("test")
def test(
    pack_path: Annotated[Path, typer.Argument(help="Candidate rule pack")],
    against: Annotated[
        Path,
        typer.Option(help="Declarations (JSON Lines) or a results.jsonl of `stce screen`"),
    ],
    declarations: Annotated[
        Path | None,
        typer.Option(help="The screened declarations, when --against is a results file"),
    ] = None,
    baseline: Annotated[
        Path | None, typer.Option(help="Active pack to compare with (default: packaged pack)")
    ] = None,
    promote: Annotated[
        bool, typer.Option(help="Treat the candidate's draft and shadow rules as active")
    ] = True,
    with_random: Annotated[bool, typer.Option(help="Keep the random selection")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON")] = False,
) -> None:
    """Backtest: how lanes and rule hits change if PACK replaced the active pack."""
    from stce.ingest import Reject
    from stce.risk.backtest import InputError, backtest_rows, compare
    from stce.risk.pack import Status

    cand = _load(pack_path)
    base = _load(baseline)
    rejects: list[Reject] = []
    try:
        report = compare(
            base,
            cand,
            backtest_rows(against, declarations, rejects),
            promote=(Status.DRAFT, Status.SHADOW) if promote else (),
            with_random=with_random,
        )
    except (InputError, OSError) as exc:
        _err.print(f"[red]cannot backtest[/] {exc}")
        raise typer.Exit(2) from None
    for r in rejects[:20]:
        _err.print(
            f"[yellow]rejected[/] record {r.position} ({r.declaration_id or '?'}): "
            f"{r.field}: {escape(r.reason)}"
        )
    if as_json:
        typer.echo(json.dumps({**report.as_dict(), "rejected": len(rejects)}, indent=2))
        return
    _out.print(f"baseline  {report.baseline}\ncandidate {report.candidate}")
    _out.print(f"declarations: {report.declarations} ({len(rejects)} rejected)")
    lanes = Table(title="Lanes")
    for col in ("lane", "baseline", "candidate", "change"):
        lanes.add_column(col, justify="right")
    for lane in ("red", "yellow", "blue", "green"):
        a, b = report.lanes_before[lane], report.lanes_after[lane]
        lanes.add_row(lane, str(a), str(b), f"{b - a:+d}")
    _out.print(lanes)
    moved = {k: v for k, v in report.transitions.items() if k[0] != k[1]}
    if moved:
        tr = Table(title="Lane changes")
        tr.add_column("from")
        tr.add_column("to")
        tr.add_column("declarations", justify="right")
        for (frm, to), n in sorted(moved.items(), key=lambda kv: -kv[1]):
            tr.add_row(frm, to, str(n))
        _out.print(tr)
    hits = Table(title="Rule hits")
    for col in ("rule", "baseline", "candidate", "change"):
        hits.add_column(col, justify="right" if col != "rule" else "left")
    for rid in sorted(set(report.hits_before) | set(report.hits_after) | set(report.shadow_after)):
        a, b = report.hits_before[rid], report.hits_after[rid]
        shadow = report.shadow_after[rid]
        cand_txt = str(b) + (f" (+{shadow} shadow)" if shadow else "")
        if a or b or shadow:
            hits.add_row(rid, str(a), cand_txt, f"{b - a:+d}")
    _out.print(hits)
    for decl_id, frm, to in report.changed[:20]:
        _out.print(f"  {decl_id}: {frm} -> {to}")


@app.command("stats")
def stats(
    since: Annotated[
        datetime | None, typer.Option(help="Declarations lodged from (ISO date)")
    ] = None,
    until: Annotated[
        datetime | None, typer.Option(help="Declarations lodged before (ISO date)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON")] = False,
) -> None:
    """Per-rule hit counts, hit rate (findings / inspected) and lane precision over a period."""
    from stce.risk.stats import Tally
    from stce.store import session_factory
    from stce.store.risk import rule_stats

    with session_factory()() as session:
        report = rule_stats(session, since, until)
    if as_json:

        def as_json_tally(d: dict[str, Tally]) -> dict[str, object]:
            return {
                k: {
                    "hits": v.hits,
                    "inspected": v.inspected,
                    "findings": v.findings,
                    "seizures": v.seizures,
                    "rate": v.rate,
                }
                for k, v in d.items()
            }

        typer.echo(
            json.dumps(
                {
                    "declarations": report.declarations,
                    "rules": as_json_tally(report.rules),
                    "shadow_rules": as_json_tally(report.shadow),
                    "lanes": as_json_tally(report.lanes),
                },
                indent=2,
            )
        )
        return
    _out.print(f"declarations screened in the period: {report.declarations}")
    for title, bucket in (("Rules", report.rules), ("Shadow rules", report.shadow)):
        if not bucket:
            continue
        t = Table(title=title)
        for col in ("rule", "hits", "inspected", "findings", "seizures", "hit rate"):
            t.add_column(col, justify="left" if col == "rule" else "right")
        for rid, v in sorted(bucket.items(), key=lambda kv: -kv[1].hits):
            t.add_row(
                rid, str(v.hits), str(v.inspected), str(v.findings), str(v.seizures), _pct(v.rate)
            )
        _out.print(t)
    t = Table(title="Lane precision (findings / inspected)")
    for col in ("lane", "declarations", "inspected", "findings", "precision"):
        t.add_column(col, justify="left" if col == "lane" else "right")
    for lane in ("red", "yellow", "blue", "green", "random"):
        tally = report.lanes.get(lane)
        if tally is not None:
            t.add_row(
                lane, str(tally.hits), str(tally.inspected), str(tally.findings), _pct(tally.rate)
            )
    _out.print(t)


@outcomes_app.command("import")
def import_(
    file: Annotated[
        Path,
        typer.Argument(
            help="CSV (header: declaration_id, inspected_at, result, notes) or JSON Lines"
        ),
    ],
) -> None:
    """Import inspection outcomes (result: nothing found, irregularity or seizure)."""
    from stce.risk.outcomes import read_outcomes
    from stce.store import session_factory
    from stce.store.risk import import_outcomes

    try:
        good, bad = read_outcomes(file)
    except OSError as exc:
        _err.print(f"[red]cannot read[/] {file}: {exc.strerror or exc}")
        raise typer.Exit(2) from None
    for r in bad[:50]:
        _err.print(f"[yellow]rejected[/] {file}:{r.line}: {r.field}: {escape(r.reason)}")
    if len(bad) > 50:
        _err.print(f"[yellow]… and {len(bad) - 50} more rejected rows[/]")
    with session_factory()() as session, session.begin():
        inserted, updated = import_outcomes(session, good, str(file))
    _out.print(f"outcomes: {inserted} imported, {updated} updated, {len(bad)} rejected")
    if bad and not good:
        raise typer.Exit(1)
