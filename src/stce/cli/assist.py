"""`stce assist`: assistance requests and offers, matchmaking with reasons, and follow-up."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.table import Table

from stce.assess import storage as assessments
from stce.assess.errors import AssessInputError
from stce.assist import storage
from stce.assist.gaps import requests_from_assessment
from stce.assist.matching import apply, match_requests
from stce.assist.model import Feedback, Modality, Offer, Request, RequestStatus, Urgency

app = typer.Typer(help="UNSCR 1540 assistance matchmaking: requests, offers, matches, follow-up.")
offers_app = typer.Typer(help="Provider offers (programmes).")
requests_app = typer.Typer(help="Assistance requests.")
app.add_typer(offers_app, name="offers")
app.add_typer(requests_app, name="request")
console = Console()
err = Console(stderr=True)


def _fail(message: str) -> NoReturn:
    err.print(f"[red]error:[/red] {message}")
    raise typer.Exit(1)


def _input_error(exc: AssessInputError) -> NoReturn:
    err.print(f"[red]error:[/red] {exc.source}: {len(exc.problems)} problem(s)")
    for problem in exc.problems:
        err.print(f"  - {problem}")
    raise typer.Exit(1)


def _requests() -> list[Request]:
    try:
        return storage.load_requests()
    except AssessInputError as exc:
        _input_error(exc)


def _offers() -> list[Offer]:
    try:
        return storage.load_offers()
    except AssessInputError as exc:
        _input_error(exc)


def _find(requests: list[Request], request_id: str) -> Request:
    for r in requests:
        if r.id == request_id:
            return r
    _fail(f"no request {request_id!r}")


@offers_app.command("list")
def offers_list() -> None:
    """The offers in use (the shipped sample until offers are imported)."""
    table = Table()
    for col in ("id", "provider", "areas", "regions", "languages", "capacity", "period"):
        table.add_column(col, overflow="fold")
    for o in _offers():
        table.add_row(
            o.id,
            o.provider,
            ", ".join(o.areas),
            ", ".join(o.regions),
            ", ".join(o.languages),
            str(o.capacity),
            f"{o.start}..{o.end}",
        )
    console.print(table)


@offers_app.command("import")
def offers_import(
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False)],
    replace_all: Annotated[bool, typer.Option(help="Replace the whole catalogue")] = False,
) -> None:
    """Import offers from JSON or YAML (same id replaces)."""
    try:
        new = storage.read_file(path, Offer)
    except AssessInputError as exc:
        _input_error(exc)
    merged, added, replaced = storage.merge([] if replace_all else _offers(), new)
    storage.save_offers(merged)
    console.print(f"offers: {added} added, {replaced} replaced, {len(merged)} in catalogue")


@offers_app.command("export")
def offers_export(out: Annotated[Path, typer.Option(help=".json or .yaml")]) -> None:
    storage.write_file(_offers(), out)
    console.print(f"wrote {out}")


@requests_app.command("add")
def request_add(
    state: str,
    area: Annotated[str, typer.Option(help="Questionnaire area id, e.g. free_zones")],
    modality: Annotated[Modality, typer.Option()],
    region: str = "",
    language: str = "en",
    urgency: Urgency = Urgency.MEDIUM,
    description: str = "",
    created: Annotated[str | None, typer.Option(help="YYYY-MM-DD; default today")] = None,
    request_id: Annotated[str | None, typer.Option("--id")] = None,
) -> None:
    """Enter a request by hand."""
    requests = _requests()
    day = date.fromisoformat(created) if created else date.today()
    rid = request_id or f"{assessments.state_key(state)}-{area}-{day:%Y%m%d}"
    try:
        [request] = storage.parse_records(
            [
                {
                    "id": rid,
                    "state": assessments.state_key(state),
                    "region": region,
                    "area": area,
                    "language": language,
                    "modality": modality,
                    "urgency": urgency,
                    "description": description,
                    "created": day,
                }
            ],
            Request,
            "request",
        )
    except AssessInputError as exc:
        _input_error(exc)
    if any(r.id == rid for r in requests):
        _fail(f"request {rid!r} exists")
    storage.save_requests([*requests, request])
    console.print(f"added {rid}")


@requests_app.command("from-assessment")
def request_from_assessment(
    state: str,
    max_areas: Annotated[int | None, typer.Option("--max", help="At most N areas")] = None,
    created: Annotated[str | None, typer.Option(help="YYYY-MM-DD; default today")] = None,
) -> None:
    """Create one request per area with next-level gaps in STATE's assessment."""
    try:
        assessment = assessments.load(state)
    except (FileNotFoundError, AssessInputError) as exc:
        _fail(str(exc))
    requests = _requests()
    open_areas = {r.area for r in requests if r.state == assessment.state and r.open}
    day = date.fromisoformat(created) if created else None
    new = requests_from_assessment(
        assessment, day, max_areas, skip_areas=open_areas, taken_ids={r.id for r in requests}
    )
    storage.save_requests([*requests, *new])
    for r in new:
        console.print(f"{r.id}: {r.modality.value}, {r.urgency.value} — {r.description[:90]}")
    if open_areas:
        console.print(f"skipped areas with open requests: {', '.join(sorted(open_areas))}")


@requests_app.command("list")
def request_list(
    state: str | None = None,
    status: RequestStatus | None = None,
) -> None:
    table = Table()
    for col in ("id", "area", "modality", "urgency", "status", "offer", "follow-up"):
        table.add_column(col, overflow="fold")
    for r in _requests():
        if (state and r.state != assessments.state_key(state)) or (status and r.status != status):
            continue
        table.add_row(
            r.id,
            r.area,
            r.modality.value,
            r.urgency.value,
            r.status.value,
            r.offer_id or "-",
            str(r.follow_up),
        )
    console.print(table)


@requests_app.command("import")
def request_import(path: Annotated[Path, typer.Argument(exists=True, dir_okay=False)]) -> None:
    """Import requests from JSON or YAML (same id replaces)."""
    try:
        new = storage.read_file(path, Request)
    except AssessInputError as exc:
        _input_error(exc)
    merged, added, replaced = storage.merge(_requests(), new)
    storage.save_requests(merged)
    console.print(f"requests: {added} added, {replaced} replaced")


@requests_app.command("export")
def request_export(out: Annotated[Path, typer.Option(help=".json or .yaml")]) -> None:
    storage.write_file(_requests(), out)
    console.print(f"wrote {out}")


@app.command("match")
def match(
    dry_run: Annotated[bool, typer.Option(help="Show the proposals; record nothing")] = False,
    top: Annotated[int, typer.Option(help="Ranked offers shown per request")] = 3,
    json_out: Annotated[bool, typer.Option("--json", help="Print proposals as JSON")] = False,
) -> None:
    """Rank offers for every open request, with score and reasons, within capacity."""
    requests, offers = _requests(), _offers()
    proposals = match_requests(requests, offers)
    if json_out:
        typer.echo(json.dumps([p.model_dump(mode="json") for p in proposals], indent=2))
    else:
        for p in proposals:
            chosen = p.chosen.offer_id if p.chosen else f"none ({p.reason})"
            console.print(f"\n[bold]{p.request_id}[/bold] → {chosen}")
            for i, r in enumerate(p.ranked[:top], start=1):
                console.print(f"  {i}. {r.offer_id} {r.score:.2f} — {'; '.join(r.reasons)}")
    if not dry_run:
        n = apply(proposals, requests)
        storage.save_requests(requests)
        err.print(f"matched {n} of {len(proposals)} open requests")


@app.command("deliver")
def deliver(request_id: str, note: str = "") -> None:
    """Record that the matched assistance was delivered."""
    requests = _requests()
    try:
        _find(requests, request_id).move(RequestStatus.DELIVERED, note)
    except ValueError as exc:
        _fail(str(exc))
    storage.save_requests(requests)
    console.print(f"{request_id}: delivered")


@app.command("feedback")
def feedback(
    request_id: str,
    rating: Annotated[int, typer.Option(min=1, max=5, help="1 (poor) to 5 (excellent)")],
    met: Annotated[bool, typer.Option("--met/--not-met", help="Was the need met?")],
    comment: str = "",
) -> None:
    """Record the requesting state's feedback (closes the request)."""
    requests = _requests()
    request = _find(requests, request_id)
    try:
        request.move(RequestStatus.FEEDBACK, comment)
    except ValueError as exc:
        _fail(str(exc))
    request.feedback = Feedback(rating=rating, need_met=met, comment=comment)
    storage.save_requests(requests)
    console.print(f"{request_id}: feedback recorded")


@app.command("overdue")
def overdue(
    as_of: Annotated[str | None, typer.Option(help="YYYY-MM-DD; default today")] = None,
) -> None:
    """Open requests past their follow-up date (one year after the request)."""
    from stce.assist.followup import overdue_requests

    day = date.fromisoformat(as_of) if as_of else date.today()
    late = overdue_requests(_requests(), day)
    if not late:
        console.print(f"no open request past its follow-up date on {day}")
        return
    table = Table(title=f"Open requests past follow-up on {day}")
    for col in ("id", "state", "area", "status", "offer", "follow-up", "days late"):
        table.add_column(col, overflow="fold")
    for r, days in late:
        table.add_row(
            r.id, r.state, r.area, r.status.value, r.offer_id or "-", str(r.follow_up), str(days)
        )
    console.print(table)
