"""`stce assess`: UNSCR 1540 self-assessment, maturity scoring, Implementation Assistance Note."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.table import Table

from stce.assess import storage
from stce.assess.errors import AssessInputError
from stce.assess.model import AnswerValue, Assessment, Evidence
from stce.assess.note import AssistanceItem
from stce.assess.questionnaire import DEFAULT_VERSION, load_questionnaire
from stce.assess.scoring import score
from stce.assess.spreadsheet import export_xlsx, import_xlsx, parse_evidence

app = typer.Typer(help="UNSCR 1540 self-assessment and Implementation Assistance Note.")
console = Console()
err = Console(stderr=True)


def _fail(message: str) -> NoReturn:
    err.print(f"[red]error:[/red] {message}")
    raise typer.Exit(1)


def _load(state: str) -> Assessment:
    try:
        return storage.load(state)
    except (FileNotFoundError, AssessInputError) as exc:
        _fail(str(exc))


@app.command("new")
def new(
    state: Annotated[str, typer.Argument(help="State code or name (the key of the assessment)")],
    name: Annotated[str, typer.Option(help="Full name of the state")] = "",
    region: Annotated[str, typer.Option(help="Region (used by assistance matchmaking)")] = "",
    language: Annotated[list[str] | None, typer.Option(help="Working language (repeat)")] = None,
    version: Annotated[str, typer.Option(help="Questionnaire version")] = DEFAULT_VERSION,
    force: Annotated[bool, typer.Option(help="Replace an existing assessment")] = False,
) -> None:
    """Start an assessment for STATE."""
    if storage.exists(state) and not force:
        _fail(f"an assessment for {state!r} exists ({storage.path_for(state)}); use --force")
    try:
        assessment = storage.new_assessment(state, name, region, language or [], version)
    except (KeyError, ValueError) as exc:
        _fail(str(exc))
    path = storage.save(assessment)
    console.print(f"created {assessment.state} (questionnaire {version}) at {path}")


@app.command("answer")
def answer(
    state: str,
    question: Annotated[str, typer.Argument(help="Question id, e.g. LB1")],
    value: Annotated[AnswerValue, typer.Argument(help="yes, partial, no or unknown")],
    evidence: Annotated[
        list[str] | None,
        typer.Option(help="'kind: reference' (law, document, figure, url); repeat"),
    ] = None,
    comment: str = "",
    by: Annotated[str, typer.Option(help="Who answers (office or officer)")] = "",
) -> None:
    """Answer one question, with its evidence."""
    assessment = _load(state)
    items: list[Evidence] = []
    for i, raw in enumerate(evidence or [], start=1):
        parsed, problems = parse_evidence(raw, f"--evidence #{i}")
        if problems:
            _fail("; ".join(problems))
        items.extend(parsed)
    try:
        storage.record_answer(assessment, question.upper(), value, items, comment, by)
    except KeyError as exc:
        _fail(str(exc.args[0]))
    storage.save(assessment)
    area, q = load_questionnaire(assessment.questionnaire_version).question(question.upper())
    if value is AnswerValue.YES and q.evidence_required and not items:
        err.print(
            f"[yellow]note:[/yellow] {q.id} is level {q.level}: a 'yes' without evidence "
            "counts as partial"
        )
    console.print(f"{assessment.state} {q.id} ({area.title}) = {value.value}")


@app.command("score")
def score_cmd(
    state: str,
    json_out: Annotated[bool, typer.Option("--json", help="Print the profile as JSON")] = False,
) -> None:
    """Maturity level per area and the gaps to the next level."""
    profile = score(_load(state))
    if json_out:
        typer.echo(profile.model_dump_json(indent=2))
        return
    table = Table(title=f"{profile.state_name}: average {profile.average:.2f}")
    for col in ("area", "level", "answered", "next-level gaps"):
        table.add_column(col, overflow="fold")
    for area in profile.areas:
        table.add_row(
            area.title,
            f"{area.level} {area.level_name}",
            f"{area.answered}/{area.total}",
            ", ".join(g.question_id for g in area.next_gaps) or "-",
        )
    console.print(table)


@app.command("show")
def show(state: str) -> None:
    """Every question with the state's answer and evidence."""
    assessment = _load(state)
    q = load_questionnaire(assessment.questionnaire_version)
    console.print(
        f"[bold]{assessment.display_name}[/bold] — questionnaire {q.version}, "
        f"region {assessment.region or '-'}, languages {', '.join(assessment.languages) or '-'}"
    )
    for area in q.areas:
        console.print(f"\n[bold]{area.title}[/bold] ({area.op})")
        for question in area.questions:
            ans = assessment.answers.get(question.id)
            value = ans.value.value if ans else "-"
            console.print(f"{question.id} [level {question.level}] {value}: {question.text}")
            for e in ans.evidence if ans else []:
                console.print(f"    {e.kind.value}: {e.ref}")
            if ans and ans.comment:
                console.print(f"    comment: {ans.comment}")


@app.command("list")
def list_cmd() -> None:
    """States with an assessment."""
    for key in storage.list_states():
        console.print(key)


@app.command("export")
def export(
    state: str,
    out: Annotated[Path, typer.Option(help="Output .json or .xlsx (offline workbook)")],
) -> None:
    """Export an assessment as JSON or as the workbook officials fill offline."""
    assessment = _load(state)
    if out.suffix.lower() == ".xlsx":
        export_xlsx(assessment, out)
    elif out.suffix.lower() == ".json":
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(storage.to_json(assessment), encoding="utf-8")
    else:
        _fail(f"{out}: use a .json or .xlsx file name")
    console.print(f"wrote {out}")


@app.command("import")
def import_cmd(
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False)],
    force: Annotated[bool, typer.Option(help="Replace an existing assessment")] = False,
) -> None:
    """Import an assessment from JSON or a filled workbook (.xlsx)."""
    try:
        if path.suffix.lower() == ".xlsx":
            assessment = import_xlsx(path)
        else:
            assessment = storage.from_json(path.read_text(encoding="utf-8"), source=str(path))
    except AssessInputError as exc:
        err.print(f"[red]error:[/red] {exc.source}: {len(exc.problems)} problem(s)")
        for problem in exc.problems:
            err.print(f"  - {problem}")
        raise typer.Exit(1) from None
    assessment.state = storage.state_key(assessment.state)
    if storage.exists(assessment.state) and not force:
        _fail(f"an assessment for {assessment.state!r} exists; use --force to replace it")
    storage.save(assessment)
    console.print(f"imported {assessment.state}: {len(assessment.answers)} answers")


@app.command("measure")
def measure(
    state: str,
    as_of: Annotated[str | None, typer.Option(help="Date (YYYY-MM-DD); default today")] = None,
) -> None:
    """Attach measured indicators from this stce installation to STATE's assessment."""
    from stce.assess.indicators import IndicatorStatus, measure_all
    from stce.store import get_engine

    assessment = _load(state)
    day = date.fromisoformat(as_of) if as_of else date.today()
    assessment.measured = measure_all(get_engine(), day)
    storage.save(assessment)
    for m in assessment.measured:
        shown = f"{m.value} {m.unit}" if m.status is IndicatorStatus.AVAILABLE else "unavailable"
        console.print(f"{m.id}: {shown} {m.reason or m.source}")


def _assistance(state: str) -> list[AssistanceItem]:
    """The state's assistance requests and matches, for the note (none if assist is unused)."""
    from stce.assist.storage import load_offers, load_requests

    try:
        requests = [r for r in load_requests() if r.state == state]
        offers = {o.id: o for o in load_offers()} if requests else {}
    except AssessInputError as exc:
        err.print(f"[yellow]note:[/yellow] assistance data skipped: {exc}")
        return []
    items = []
    for r in requests:
        offer = offers.get(r.offer_id or "")
        items.append(
            AssistanceItem(
                area_id=r.area,
                request_id=r.id,
                status=r.status.value,
                provider=offer.provider if offer else "",
                programme=offer.programme if offer else "",
                score=r.match_score,
                reasons=tuple(r.match_reasons),
            )
        )
    return items


@app.command("note")
def note(
    state: str,
    out: Annotated[Path | None, typer.Option(help="HTML output")] = None,
    pdf: Annotated[
        Path | None, typer.Option(help="PDF output (printed with headless Chromium)")
    ] = None,
) -> None:
    """Write the Implementation Assistance Note for STATE (HTML and/or PDF)."""
    from stce.assess.note import render_note
    from stce.assess.pdf import PdfError, write_page

    if out is None and pdf is None:
        _fail("give --out note.html and/or --pdf note.pdf")
    assessment = _load(state)
    html = render_note(assessment, assistance=_assistance(assessment.state))
    try:
        written = write_page(html, out, pdf, "note.html")
    except PdfError as exc:
        _fail(str(exc))
    for path in written:
        console.print(f"wrote {path}")
