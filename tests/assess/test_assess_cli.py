from __future__ import annotations

from importlib import resources
from pathlib import Path

from typer.testing import CliRunner

from stce.cli.app import app

runner = CliRunner()


def _example(name: str) -> str:
    return str(resources.files("stce.assess").joinpath(f"data/examples/{name}.json"))


def test_new_answer_score_show(data_dir: Path) -> None:
    r = runner.invoke(app, ["assess", "new", "Utopia", "--region", "Oceania", "--language", "en"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(
        app,
        [
            "assess",
            "answer",
            "UTOPIA",
            "LB1",
            "yes",
            "--evidence",
            "law: Utopia Export Act 2020, s. 3",
        ],
    )
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["assess", "answer", "UTOPIA", "LB2", "yes"])
    assert r.exit_code == 0
    r = runner.invoke(app, ["assess", "score", "UTOPIA", "--json"])
    assert r.exit_code == 0
    assert '"level": 2' in r.output
    r = runner.invoke(app, ["assess", "show", "UTOPIA"])
    assert "Utopia Export Act 2020" in r.output


def test_bad_inputs_are_named(data_dir: Path) -> None:
    runner.invoke(app, ["assess", "new", "U"])
    r = runner.invoke(app, ["assess", "answer", "U", "QQ1", "yes"])
    assert r.exit_code == 1 and "unknown question 'QQ1'" in r.output
    r = runner.invoke(app, ["assess", "answer", "U", "LB1", "yes", "--evidence", "statute 4"])
    assert r.exit_code == 1 and "--evidence #1" in r.output
    r = runner.invoke(app, ["assess", "score", "NOPE"])
    assert r.exit_code == 1 and "no assessment for 'NOPE'" in r.output


def test_import_export_and_note(data_dir: Path) -> None:
    for name in ("ruritania", "freedonia"):
        r = runner.invoke(app, ["assess", "import", _example(name)])
        assert r.exit_code == 0, r.output
    xlsx = data_dir / "rur.xlsx"
    assert runner.invoke(app, ["assess", "export", "RUR", "--out", str(xlsx)]).exit_code == 0
    r = runner.invoke(app, ["assess", "import", str(xlsx)])
    assert r.exit_code == 1 and "exists" in r.output
    assert runner.invoke(app, ["assess", "import", str(xlsx), "--force"]).exit_code == 0
    notes = {}
    for state in ("RUR", "FRE"):
        out = data_dir / f"{state}.html"
        r = runner.invoke(app, ["assess", "note", state, "--out", str(out)])
        assert r.exit_code == 0, r.output
        notes[state] = out.read_text(encoding="utf-8")
    assert notes["RUR"] != notes["FRE"]
    r = runner.invoke(app, ["assess", "list"])
    assert "FRE" in r.output and "RUR" in r.output
