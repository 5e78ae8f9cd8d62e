"""The command line: exit codes, one clear line on failure, schema, sample determinism."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stce.cli import app
from stce.model import Declaration

runner = CliRunner()


def test_screen_prints_summary_and_report(sample_jsonl: tuple[Path, Path], tmp_path: Path) -> None:
    path, _ = sample_jsonl
    result = runner.invoke(app, ["screen", str(path), "--out", str(tmp_path / "r"), "-q"])
    assert result.exit_code == 0, result.output
    assert "declarations screened" in result.output
    assert "2,000" in result.output
    assert str(tmp_path / "r" / "report.html") in result.output.replace("\n", "")
    for name in ("results.jsonl", "results.parquet", "rejects.jsonl", "report.html"):
        assert (tmp_path / "r" / name).exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["screen", "/nonexistent/declarations.jsonl"], "input file not found"),
        (["screen", "{tmp}/declarations.xlsx"], "unknown input format"),
    ],
)
def test_screen_fails_with_one_clear_line(args: list[str], message: str, tmp_path: Path) -> None:
    (tmp_path / "declarations.xlsx").write_bytes(b"PK")
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    result = runner.invoke(app, [*args, "--out", str(tmp_path / "out")])
    assert result.exit_code != 0
    lines = [x for x in result.output.splitlines() if x.strip()]
    assert len(lines) == 1 and message in lines[0]


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_screen_output_not_writable(sample_jsonl: tuple[Path, Path], tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(stat.S_IRUSR | stat.S_IXUSR)
    result = runner.invoke(app, ["screen", str(sample_jsonl[0]), "--out", str(locked / "out")])
    assert result.exit_code != 0
    assert "not writable" in result.output


def test_screen_output_is_a_file(sample_jsonl: tuple[Path, Path], tmp_path: Path) -> None:
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    result = runner.invoke(app, ["screen", str(sample_jsonl[0]), "--out", str(blocker / "out")])
    assert result.exit_code != 0
    lines = [x for x in result.output.splitlines() if x.strip()]
    assert len(lines) == 1 and "not writable" in lines[0]


def test_schema_is_json_schema_of_a_declaration() -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    doc = json.loads(result.output)
    assert doc["title"] == "Declaration"
    assert {"declaration_id", "procedure", "items"} <= set(doc["required"])
    assert set(doc["properties"]) == set(Declaration.model_fields)


def test_schema_csv_columns() -> None:
    result = runner.invoke(app, ["schema", "--format", "csv"])
    cols = result.output.strip().split(",")
    assert cols[0] == "declaration_id"
    assert {"consignee_name", "end_user_country", "hs_code", "wallets", "itinerary"} <= set(cols)


def test_sample_is_deterministic(tmp_path: Path) -> None:
    outs = []
    for i in range(2):
        out, truth = tmp_path / f"s{i}.jsonl", tmp_path / f"t{i}.jsonl"
        r = runner.invoke(
            app, ["sample", "--n", "500", "--seed", "3", "--out", str(out), "--truth", str(truth)]
        )
        assert r.exit_code == 0, r.output
        outs.append((out.read_bytes(), truth.read_bytes()))
    assert outs[0] == outs[1]
    other = tmp_path / "other.jsonl"
    runner.invoke(app, ["sample", "--n", "500", "--seed", "4", "--out", str(other)])
    assert other.read_bytes() != outs[0][0]
