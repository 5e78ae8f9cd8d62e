from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from typer.testing import CliRunner

from stce.cli.app import app

runner = CliRunner()


def _run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_assessment_to_match_to_feedback(data_dir: Path) -> None:
    for name in ("ruritania", "freedonia"):
        path = resources.files("stce.assess").joinpath(f"data/examples/{name}.json")
        _run("assess", "import", str(path))
    _run("assist", "request", "from-assessment", "RUR", "--created", "2025-06-01")
    _run("assist", "request", "from-assessment", "FRE", "--created", "2026-11-01")
    out = _run("assist", "request", "from-assessment", "RUR")
    assert "skipped areas with open requests" in out
    _run(
        "assist",
        "request",
        "add",
        "Utopia",
        "--area",
        "free_zones",
        "--modality",
        "training",
        "--region",
        "Asia-Pacific",
        "--created",
        "2026-11-20",
    )
    proposals = json.loads(_run("assist", "match", "--json"))
    assert proposals and all(p["ranked"] for p in proposals)
    assert all(p["chosen"]["reasons"] for p in proposals if p["chosen"])
    stored = json.loads((data_dir / "assist" / "requests.json").read_text())
    rid = next(r["id"] for r in stored if r["id"].startswith("RUR-legal_basis"))
    assert next(r for r in stored if r["id"] == rid)["status"] == "matched"
    _run("assist", "deliver", rid)
    _run("assist", "feedback", rid, "--rating", "4", "--met", "--comment", "law drafted")
    out = _run("assist", "overdue", "--as-of", "2026-11-27")
    assert "RUR-catch" in out and rid not in out
    note = data_dir / "rur.html"
    _run("assess", "note", "RUR", "--out", str(note))
    html = note.read_text(encoding="utf-8")
    assert 'id="assistance"' in html and rid in html and "feedback" in html
    bad = runner.invoke(app, ["assist", "deliver", rid])
    assert bad.exit_code == 1 and "cannot go from feedback to" in bad.output


def test_offer_import_export(data_dir: Path) -> None:
    out = data_dir / "offers.yaml"
    _run("assist", "offers", "export", "--out", str(out))
    _run("assist", "offers", "import", str(out), "--replace-all")
    assert "WCO-STCE" in _run("assist", "offers", "list")
    broken = data_dir / "broken.json"
    broken.write_text(json.dumps([{"id": "Z", "provider": "p"}]))
    bad = runner.invoke(app, ["assist", "offers", "import", str(broken)])
    assert bad.exit_code == 1 and "record 1 (Z): programme" in bad.output
