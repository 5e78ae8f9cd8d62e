"""The offline workbook officials fill: export an assessment to xlsx and read it back.

Sheets: "Guide" (levels and how to answer), "Assessment" (state, region, languages, version) and
"Answers" (one row per question; the official fills answer, evidence, comment, answered_by).
Evidence cell: one item per line (or separated by "; " before the next kind), each
"kind: reference", optionally followed by " | note"; kind one of law, document, figure, url,
measured. Every problem found on import names the sheet, row and field.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from stce.assess.errors import AssessInputError
from stce.assess.model import Answer, AnswerValue, Assessment, Evidence, EvidenceKind
from stce.assess.questionnaire import load_questionnaire

ANSWER_COLUMNS = (
    "question_id",
    "area",
    "level",
    "question",
    "references",
    "answer",
    "evidence",
    "comment",
    "answered_by",
)
META_FIELDS = ("state", "state_name", "region", "languages", "questionnaire_version")
_HEADER = Font(bold=True, color="FFFFFF")
_FILL = PatternFill("solid", fgColor="1F4E79")
_INPUT = PatternFill("solid", fgColor="FFF2CC")
_ITEM_SPLIT = re.compile(
    r";\s*(?=(?:" + "|".join(k.value for k in EvidenceKind) + r")\s*:)", re.IGNORECASE
)


def format_evidence(items: list[Evidence]) -> str:
    return "\n".join(f"{e.kind.value}: {e.ref}" + (f" | {e.note}" if e.note else "") for e in items)


def parse_evidence(cell: str, where: str) -> tuple[list[Evidence], list[str]]:
    """Evidence items of a cell, and the problems found (naming `where`)."""
    items: list[Evidence] = []
    problems: list[str] = []
    parts = [p.strip() for chunk in cell.splitlines() for p in _ITEM_SPLIT.split(chunk)]
    for part in filter(None, parts):
        kind, sep, ref = part.partition(":")
        kinds = ", ".join(k.value for k in EvidenceKind)
        if not sep or not ref.strip():
            problems.append(f"{where}: {part!r} is not 'kind: reference' (kinds: {kinds})")
            continue
        try:
            text, _, note = ref.partition(" | ")
            items.append(
                Evidence(
                    kind=EvidenceKind(kind.strip().lower()), ref=text.strip(), note=note.strip()
                )
            )
        except ValueError:
            problems.append(f"{where}: unknown evidence kind {kind.strip()!r} (kinds: {kinds})")
    return items, problems


def export_xlsx(assessment: Assessment, path: Path) -> Path:
    q = load_questionnaire(assessment.questionnaire_version)
    wb = Workbook()
    guide = wb.active
    guide.title = "Guide"
    guide.append([q.title])
    guide.append(
        [f"Questionnaire version {q.version}. Fill the yellow columns of sheet 'Answers'."]
    )
    guide.append(["answer: yes, partial, no or unknown. Evidence from level 3 up is required."])
    guide.append(
        ["evidence: one per line, 'kind: reference' (law, document, figure, url, measured)."]
    )
    guide.append([])
    guide.append(["level", "name", "meaning"])
    for level in q.levels.values():
        guide.append([level.number, level.name, level.summary])
    guide.column_dimensions["A"].width = 12
    guide.column_dimensions["C"].width = 100

    meta = wb.create_sheet("Assessment")
    meta.append(["field", "value"])
    values = {
        "state": assessment.state,
        "state_name": assessment.state_name,
        "region": assessment.region,
        "languages": ", ".join(assessment.languages),
        "questionnaire_version": assessment.questionnaire_version,
    }
    for key in META_FIELDS:
        meta.append([key, values[key]])
    meta.column_dimensions["A"].width = 24
    meta.column_dimensions["B"].width = 40

    sheet = wb.create_sheet("Answers")
    sheet.append(list(ANSWER_COLUMNS))
    for cell in sheet[1]:
        cell.font, cell.fill = _HEADER, _FILL
    for area, question in q.questions():
        answer = assessment.answers.get(question.id)
        sheet.append(
            [
                question.id,
                area.title,
                question.level,
                question.text,
                "; ".join(q.cite(r).label for r in question.refs),
                answer.value.value if answer else "",
                format_evidence(answer.evidence) if answer else "",
                answer.comment if answer else "",
                answer.answered_by if answer else "",
            ]
        )
    rule = DataValidation(type="list", formula1='"yes,partial,no,unknown"', allow_blank=True)
    sheet.add_data_validation(rule)
    rule.add(f"F2:F{sheet.max_row}")
    widths = {"A": 8, "B": 30, "C": 6, "D": 70, "E": 50, "F": 10, "G": 45, "H": 35, "I": 18}
    for col, width in widths.items():
        sheet.column_dimensions[col].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for cell in row[5:]:
            cell.fill = _INPUT
    sheet.freeze_panes = "B2"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def import_xlsx(path: Path) -> Assessment:
    """Read a filled workbook; raises AssessInputError listing every bad row and field."""
    source = str(path)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several unrelated types for a bad file
        raise AssessInputError(source, [f"not a readable xlsx workbook ({exc})"]) from exc
    problems: list[str] = []
    for name in ("Assessment", "Answers"):
        if name not in wb.sheetnames:
            problems.append(f"sheet {name!r} is missing (sheets: {', '.join(wb.sheetnames)})")
    if problems:
        raise AssessInputError(source, problems)

    meta: dict[str, str] = {}
    for i, row in enumerate(wb["Assessment"].iter_rows(min_row=2, values_only=True), start=2):
        key = _text(row[0] if row else None)
        if key and key not in META_FIELDS:
            problems.append(f"Assessment row {i}, field {key!r}: unknown field")
        elif key:
            meta[key] = _text(row[1] if len(row) > 1 else None)
    for required in ("state", "questionnaire_version"):
        if not meta.get(required):
            problems.append(f"Assessment sheet, field {required!r}: missing")
    if problems:
        raise AssessInputError(source, problems)
    try:
        q = load_questionnaire(meta["questionnaire_version"])
    except KeyError as exc:
        problem = f"Assessment sheet, questionnaire_version: {exc.args[0]}"
        raise AssessInputError(source, [problem]) from None
    known = {question.id for _, question in q.questions()}

    rows = wb["Answers"].iter_rows(values_only=True)
    header = [_text(h) for h in next(rows, ())]
    missing = [c for c in ("question_id", "answer", "evidence") if c not in header]
    if missing:
        raise AssessInputError(source, [f"Answers row 1: missing columns {', '.join(missing)}"])
    col = {name: header.index(name) for name in ANSWER_COLUMNS if name in header}

    answers: dict[str, Answer] = {}
    for i, row in enumerate(rows, start=2):

        def cell(name: str, row: tuple[Any, ...] = row) -> str:
            idx = col.get(name)
            return _text(row[idx]) if idx is not None and idx < len(row) else ""

        qid, value = cell("question_id"), cell("answer").lower()
        if not qid and not value:
            continue
        if qid not in known:
            problems.append(f"Answers row {i}, field 'question_id': unknown question {qid!r}")
            continue
        if qid in answers:
            problems.append(f"Answers row {i}, field 'question_id': {qid} answered twice")
            continue
        if not value:
            continue
        try:
            answer_value = AnswerValue(value)
        except ValueError:
            problems.append(
                f"Answers row {i}, field 'answer': {value!r} "
                "is not one of yes, partial, no, unknown"
            )
            continue
        evidence, bad = parse_evidence(cell("evidence"), f"Answers row {i}, field 'evidence'")
        problems.extend(bad)
        answers[qid] = Answer(
            question_id=qid,
            value=answer_value,
            evidence=evidence,
            comment=cell("comment"),
            answered_by=cell("answered_by"),
        )
    if problems:
        raise AssessInputError(source, problems)
    languages = [x.strip() for x in meta.get("languages", "").split(",") if x.strip()]
    return Assessment(
        state=meta["state"],
        state_name=meta.get("state_name", ""),
        region=meta.get("region", ""),
        languages=languages,
        questionnaire_version=q.version,
        answers=answers,
    )
