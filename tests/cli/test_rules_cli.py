"""`stce rules` and `stce outcomes`: check, show, fields, test, stats and import."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from stce.cli import app
from stce.risk.pack import default_pack_path

runner = CliRunner()


def test_check_good_and_bad_packs(tmp_path: Path) -> None:
    ok = runner.invoke(app, ["rules", "check", str(default_pack_path())])
    assert ok.exit_code == 0, ok.output
    assert "stce-default@" in ok.output
    bad = tmp_path / "bad.yaml"
    text = default_pack_path().read_text(encoding="utf-8")
    bad.write_text(text.replace("condition: controlled\n", "condition: controled\n", 1))
    line = text[: text.index("condition: controlled\n")].count("\n") + 1
    res = runner.invoke(app, ["rules", "check", str(bad)])
    assert res.exit_code == 2
    assert f"bad.yaml:{line}" in res.output.replace("\n", "")
    assert "unknown name 'controled'" in res.output.replace("\n", " ")


def test_show_and_fields() -> None:
    res = runner.invoke(app, ["rules", "show"])
    assert res.exit_code == 0 and "PARTY_LISTED_STRONG" in res.output
    res = runner.invoke(app, ["rules", "fields"])
    assert res.exit_code == 0 and "unit_value_ratio" in res.output


def test_backtest_json(sample_jsonl: tuple[Path, Path], tmp_path: Path) -> None:
    path, _ = sample_jsonl
    cand = tmp_path / "cand.yaml"
    text = default_pack_path().read_text(encoding="utf-8")
    cand.write_text(
        text.replace("  rate: 0.01\n", "  rate: 0.02\n").replace(
            "    condition: route_revisits or route_stops >= 2\n    weight: 0.25\n",
            "    condition: route_revisits or route_stops >= 2\n    weight: 0.45\n",
        )
    )
    res = runner.invoke(app, ["rules", "test", str(cand), "--against", str(path), "--json"])
    assert res.exit_code == 0, res.output
    report = json.loads(res.output)
    assert report["declarations"] == 2000
    assert sum(report["lanes_after"].values()) == 2000
    assert report["baseline"] != report["candidate"]
    res = runner.invoke(app, ["rules", "test", str(cand), "--against", str(path)])
    assert res.exit_code == 0 and "Lanes" in res.output


def test_outcomes_import_and_stats(tmp_path: Path) -> None:
    f = tmp_path / "o.csv"
    f.write_text(
        "declaration_id,inspected_at,result,notes\n"
        "EX-1,2026-11-12,seizure,\n"
        "EX-2,2026-11-12,maybe,\n",
        encoding="utf-8",
    )
    res = runner.invoke(app, ["outcomes", "import", str(f)])
    assert res.exit_code == 0, res.output
    assert "1 imported" in res.output and "1 rejected" in res.output
    assert "o.csv:3:result:" in "".join(res.output.split())  # Rich may wrap the line
    res = runner.invoke(app, ["rules", "stats", "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["declarations"] == 0
    res = runner.invoke(app, ["rules", "stats"])
    assert res.exit_code == 0 and "Lane precision" in res.output
