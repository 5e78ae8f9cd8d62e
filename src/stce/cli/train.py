"""`stce train`: commodity-profile handbook and quizzes from the goods knowledge base."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console

from stce.train.profiles import Topic

app = typer.Typer(help="Training material: commodity-profile handbook and quizzes.")
console = Console()
err = Console(stderr=True)


class QuizFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    HTML = "html"


def _fail(message: str) -> NoReturn:
    err.print(f"[red]error:[/red] {message}")
    raise typer.Exit(1)


@app.command("quiz")
def quiz(
    topic: Annotated[Topic, typer.Option(help="Chapter of the knowledge base")] = Topic.ALL,
    n: Annotated[int, typer.Option(min=1, help="Number of questions")] = 20,
    seed: Annotated[int, typer.Option(help="Same seed, same quiz")] = 1540,
    fmt: Annotated[QuizFormat, typer.Option("--format")] = QuizFormat.TEXT,
    answers: Annotated[bool, typer.Option(help="Include answers and explanations")] = True,
    out: Annotated[Path | None, typer.Option(help="Write to a file instead of stdout")] = None,
) -> None:
    """Generate a multiple-choice quiz with answers and explanations."""
    from stce.train.quiz import QuizError, make_quiz, render_html, render_text, to_dict

    try:
        made = make_quiz(topic, n, seed)
    except QuizError as exc:
        _fail(str(exc))
    if fmt is QuizFormat.JSON:
        text = json.dumps(to_dict(made), indent=2, ensure_ascii=False)
    elif fmt is QuizFormat.HTML:
        text = render_html(made, answers)
    else:
        text = render_text(made, answers)
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        console.print(f"wrote {out} ({len(made.questions)} questions)")
    else:
        typer.echo(text, nl=False)


@app.command("handbook")
def handbook(
    topic: Annotated[Topic, typer.Option(help="One chapter or all")] = Topic.ALL,
    out: Annotated[Path | None, typer.Option(help="HTML output")] = None,
    pdf: Annotated[Path | None, typer.Option(help="PDF output (headless Chromium)")] = None,
) -> None:
    """Write the commodity-profile handbook (customs; licensing and investigation chapter)."""
    from stce.assess.pdf import PdfError, write_page
    from stce.train.handbook import render_handbook

    if out is None and pdf is None:
        _fail("give --out handbook.html and/or --pdf handbook.pdf")
    html = render_handbook(topic)
    try:
        written = write_page(html, out, pdf, "handbook.html")
    except PdfError as exc:
        _fail(str(exc))
    for path in written:
        console.print(f"wrote {path}")
