"""`stce goods`: identify strategic goods from a description, screen a goods file, print a
commodity profile."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import orjson
import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from stce.goods.cas import is_valid_cas
from stce.goods.identify import GoodsAssessment, GoodsIdentifier, GoodsQuery
from stce.goods.kb import knowledge_base
from stce.goods.profile import profile as build_profile
from stce.refdata.hs import HsNomenclature

app = typer.Typer(help="Strategic goods identification.", no_args_is_help=True)
SCREEN_BATCH = 20_000
"""Lines assessed together (identical lines inside a batch are assessed once)."""
_out = Console()
_err = Console(stderr=True, soft_wrap=True, highlight=False)


def _nomenclature() -> HsNomenclature | None:
    """The HS nomenclature from the mirror, or None (HS 2017 codes then go unrecognised)."""
    from stce.config import get_settings
    from stce.refdata.hs import load_hs

    mirror = get_settings().mirror
    if mirror is None:
        return None
    try:
        return load_hs(mirror)
    except FileNotFoundError:
        return None


def _candidates_json(a: GoodsAssessment, limit: int = 5) -> list[dict[str, Any]]:
    return [
        {
            "entry": c.entry,
            "regime": "/".join(c.regimes),
            "title": c.title,
            "score": c.score,
            "evidence": c.reasons(),
        }
        for c in a.candidates[:limit]
    ]


@app.command("identify")
def identify_cmd(
    description: str = typer.Argument(..., help="Goods description as declared"),
    hs: str | None = typer.Option(None, "--hs", help="Declared HS code (6-10 digits)"),
    cas: str | None = typer.Option(None, "--cas", help="Declared CAS number"),
    as_json: bool = typer.Option(False, "--json", help="Print the full assessment as JSON"),
) -> None:
    """Say whether a goods line is potentially strategic, and why."""
    ident = GoodsIdentifier(hs=_nomenclature())
    a = ident.identify(GoodsQuery(description=description, hs_code=hs, cas=cas))
    if as_json:
        sys.stdout.write(orjson.dumps(a.to_dict(), option=orjson.OPT_INDENT_2).decode() + "\n")
        return
    verdict = "[bold red]POTENTIALLY STRATEGIC[/]" if a.strategic else "[green]not strategic[/]"
    _out.print(f"{verdict}  confidence {a.confidence:.2f}")
    if a.hs_watchlist:
        _out.print(f"HS {(hs or '')[:6]} is on the strategic watch list")
    for ch in a.chemicals:
        _out.print(
            escape(f"chemical: {ch.name} (CAS {ch.cas}) → {', '.join(ch.entries)} [{ch.how}]")
        )
    if a.candidates:
        t = Table("entry", "regime", "title", "score", "evidence")
        for c in a.candidates[:5]:
            t.add_row(
                c.entry,
                "/".join(c.regimes),
                escape(c.title),
                f"{c.score:.2f}",
                escape("\n".join(c.reasons())),
            )
        _out.print(t)
    for w in a.warnings:
        _out.print(f"[yellow]warning[/] {w.code}: {escape(w.message)}")


@app.command("screen")
def screen_cmd(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="JSON Lines input"),
    out: Path = typer.Option(..., "--out", help="JSON Lines output"),
) -> None:
    """Screen goods lines {"id", "description", "hs_code", "cas"} into assessments."""
    ident = GoodsIdentifier(hs=_nomenclature())
    rejects = 0
    rows: list[tuple[Any, GoodsQuery]] = []
    screened = strategic = 0

    def flush(fo: Any) -> None:
        nonlocal screened, strategic
        for (rid, _), a in zip(rows, ident.identify_many(q for _, q in rows), strict=True):
            strategic += a.strategic
            fo.write(
                orjson.dumps(
                    {
                        "id": rid,
                        "strategic": a.strategic,
                        "confidence": a.confidence,
                        "candidates": _candidates_json(a),
                    }
                )
                + b"\n"
            )
        screened += len(rows)
        rows.clear()

    with file.open("rb") as fh, out.open("wb") as fo:
        for n, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            try:
                rec = orjson.loads(raw)
            except orjson.JSONDecodeError as exc:
                _err.print(f"{file}:{n}: not valid JSON: {exc}")
                rejects += 1
                continue
            problem = _problem(rec)
            if problem:
                _err.print(f"{file}:{n}: {problem}")
                rejects += 1
                continue
            rows.append(
                (
                    rec.get("id", n),
                    GoodsQuery(
                        description=rec.get("description") or "",
                        hs_code=str(rec["hs_code"]) if rec.get("hs_code") else None,
                        cas=rec.get("cas") or None,
                    ),
                )
            )
            if len(rows) >= SCREEN_BATCH:
                flush(fo)
        flush(fo)
    _err.print(f"{screened} lines screened, {strategic} potentially strategic, {rejects} rejected")
    if rejects:
        raise typer.Exit(code=2)


def _problem(rec: Any) -> str | None:
    if not isinstance(rec, dict):
        return "record is not a JSON object"
    for f in ("description", "hs_code", "cas"):
        v = rec.get(f)
        if v is not None and not isinstance(v, str | int):
            return f"field {f}: expected a string"
    if not rec.get("description") and not rec.get("hs_code") and not rec.get("cas"):
        return "field description: empty (and no hs_code or cas)"
    hs = rec.get("hs_code")
    if hs and not str(hs).isdigit():
        return f"field hs_code: {hs!r} is not digits"
    return None


@app.command("profile")
def profile_cmd(
    entry: str = typer.Argument(
        ..., help="Control entry id (2B230, 1C350, CWC-2B13, ML1) or a CAS number"
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the profile as JSON"),
) -> None:
    """Print a commodity profile: what it is, uses, why controlled, HS codes, what to look for."""
    hs = _nomenclature()
    if is_valid_cas(entry):
        chem = knowledge_base().chemicals.get(entry)
        if chem is None:
            _err.print(
                f"CAS {entry} is not a scheduled chemical or AG precursor in the knowledge base"
            )
            raise typer.Exit(code=1)
        _out.print(escape(f"{chem.cas}: {chem.name} → {', '.join(chem.entries)}"))
        entry = chem.entries[0]
    try:
        p = build_profile(entry, hs_descriptions=hs.hs2022 if hs else None)
    except KeyError as exc:
        _err.print(str(exc.args[0]))
        raise typer.Exit(code=1) from exc
    if as_json:
        sys.stdout.write(orjson.dumps(p.to_dict(), option=orjson.OPT_INDENT_2).decode() + "\n")
        return
    _out.print(f"[bold]{p.entry}[/] — {p.title}")
    _out.print(f"Regimes: {', '.join(p.regimes)}   List: {p.list_ref}   Severity: {p.severity}")
    _out.print(f"\n[bold]What it is[/]\n{p.what_it_is}")
    if p.uses:
        _out.print(f"\n[bold]What it is used for[/]\n{p.uses}")
    if p.why_controlled:
        _out.print(f"\n[bold]Why it is controlled[/]\n{p.why_controlled}")
    if p.key_parameters:
        _out.print("\n[bold]Key technical parameters[/]")
        for k in p.key_parameters:
            _out.print(f"  • {k}")
    _out.print("\n[bold]HS 2022 subheadings[/]")
    for code in p.hs_exact:
        _out.print(f"  {code} exact    {p.hs_descriptions.get(code, '')[:90]}")
    for code in p.hs_partial:
        _out.print(f"  {code} partial  {p.hs_descriptions.get(code, '')[:90]}")
    if p.names:
        _out.print(f"\n[bold]Names and trade names[/]\n  {', '.join(p.names)}")
    if p.chemicals:
        _out.print("\n[bold]Chemicals[/]")
        for c in p.chemicals:
            syn = ", ".join(c["synonyms"][:4])
            _out.print(f"  {c['cas']:>14}  {c['name']}" + (f" ({syn})" if syn else ""))
    look = p.look_for + [f"declared as '{m}'" for m in p.misdeclarations]
    if look:
        _out.print("\n[bold]What to look for on documents[/]")
        for x in look:
            _out.print(f"  • {x}")
    _out.print("\n[bold]Sources[/]")
    for s in p.sources:
        _out.print(escape(f"  [{s.fact}] {s.title} — {s.url}"))


@app.command("kb")
def kb_cmd() -> None:
    """Print the knowledge-base version and counts by regime and category."""
    kb = knowledge_base()
    _out.print(kb.version)
    for k, v in sorted(kb.counts().items()):
        _out.print(f"  {k:32} {v}")
