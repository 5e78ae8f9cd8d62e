from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from stce.assess.errors import AssessInputError
from stce.assess.model import Assessment
from stce.assess.scoring import score
from stce.assess.spreadsheet import export_xlsx, import_xlsx, parse_evidence
from stce.assess.storage import from_json, to_json


def test_json_round_trip_keeps_everything(freedonia: Assessment) -> None:
    back = from_json(to_json(freedonia))
    assert back == freedonia


def test_json_errors_name_the_field(freedonia: Assessment) -> None:
    text = to_json(freedonia).replace('"value": "yes"', '"value": "maybe"', 1)
    with pytest.raises(AssessInputError) as info:
        from_json(text, source="f.json")
    assert any(".value" in p and "answers." in p for p in info.value.problems)


def test_json_unknown_question_is_reported(freedonia: Assessment) -> None:
    data = freedonia.model_copy(deep=True)
    answer = data.answers.pop("LB1")
    data.answers["ZZ1"] = answer.model_copy(update={"question_id": "ZZ1"})
    with pytest.raises(AssessInputError, match=r"answers\.ZZ1: unknown question"):
        from_json(to_json(data))


def test_xlsx_round_trip_keeps_answers_and_scores(ruritania: Assessment, tmp_path: Path) -> None:
    path = export_xlsx(ruritania, tmp_path / "r.xlsx")
    back = import_xlsx(path)
    assert back.state == ruritania.state and back.region == ruritania.region
    assert {k: (v.value, v.evidence) for k, v in back.answers.items()} == {
        k: (v.value, v.evidence) for k, v in ruritania.answers.items()
    }
    assert score(back).areas == score(ruritania).areas


def test_xlsx_bad_rows_are_named(ruritania: Assessment, tmp_path: Path) -> None:
    path = export_xlsx(ruritania, tmp_path / "r.xlsx")
    wb = load_workbook(path)
    sheet = wb["Answers"]
    sheet["F2"] = "maybe"
    sheet["A3"] = "XX9"
    sheet["G4"] = "statute Act 5"
    sheet["F4"] = "yes"
    wb.save(path)
    with pytest.raises(AssessInputError) as info:
        import_xlsx(path)
    problems = info.value.problems
    assert (
        "Answers row 2, field 'answer': 'maybe' is not one of yes, partial, no, unknown" in problems
    )
    assert any(p.startswith("Answers row 3, field 'question_id'") and "XX9" in p for p in problems)
    assert any(p.startswith("Answers row 4, field 'evidence'") for p in problems)


def test_xlsx_missing_sheet_is_reported(ruritania: Assessment, tmp_path: Path) -> None:
    path = export_xlsx(ruritania, tmp_path / "r.xlsx")
    wb = load_workbook(path)
    del wb["Assessment"]
    wb.save(path)
    with pytest.raises(AssessInputError, match="sheet 'Assessment' is missing"):
        import_xlsx(path)


def test_evidence_cell_keeps_semicolons_inside_a_reference() -> None:
    items, problems = parse_evidence(
        "document: report 2006; POC 2023; law: Act s. 4 | in force", "c"
    )
    assert not problems
    assert [(i.kind.value, i.ref, i.note) for i in items] == [
        ("document", "report 2006; POC 2023", ""),
        ("law", "Act s. 4", "in force"),
    ]
