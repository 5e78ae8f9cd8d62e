import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import stce.cli.parties as cli
from stce.cli.app import app
from stce.parties.clearance import Clearances
from stce.parties.index import NameIndex

runner = CliRunner()


@pytest.fixture(autouse=True)
def lists(monkeypatch: pytest.MonkeyPatch, index: NameIndex) -> None:
    monkeypatch.setattr(cli, "_index", lambda: index)
    monkeypatch.setattr(cli, "_clearances", Clearances)


def test_screen_csv_and_jsonl(tmp_path: Path) -> None:
    src = tmp_path / "parties.csv"
    src.write_text("id,name,kind,country\n1,Vladimir Putin,Person,RU\n2,Plain Trader Ltd,,\n")
    out = tmp_path / "out.jsonl"
    res = runner.invoke(app, ["parties", "screen", str(src), "--out", str(out)])
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in rows] == ["1", "2"]
    m = rows[0]["matches"][0]
    assert set(m) == {"entry_id", "source", "name", "score", "explanation"}
    assert m["entry_id"] == "test:putin" and m["score"] >= 0.8
    assert rows[1]["matches"] == []

    jl = tmp_path / "parties.jsonl"
    jl.write_text('{"id": "a", "name": "Kim Jong Un"}\n')
    res = runner.invoke(app, ["parties", "screen", str(jl), "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert json.loads(out.read_text())["matches"][0]["entry_id"] == "test:kim"


def test_screen_names_the_bad_record(tmp_path: Path) -> None:
    src = tmp_path / "parties.csv"
    src.write_text("id,name,kind\n1,Vladimir Putin,Spaceship\n")
    res = runner.invoke(app, ["parties", "screen", str(src), "--out", str(tmp_path / "o")])
    assert res.exit_code != 0
    assert "parties.csv:2" in res.output and "Spaceship" in res.output


def test_compare(tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.csv"
    pairs.write_text(
        "name1,name2,schema\n"
        'Vladimir Putin,"PUTIN, Vladimir",Person\n'
        "George Bush,George Habbash,Person\n"
    )
    out = tmp_path / "out.csv"
    res = runner.invoke(app, ["parties", "compare", "--pairs", str(pairs), "--out", str(out)])
    assert res.exit_code == 0, res.output
    with out.open() as fh:
        rows = list(csv.DictReader(fh))
    assert [r["match"] for r in rows] == ["true", "false"]
    assert float(rows[0]["score"]) > float(rows[1]["score"])


def test_match_json() -> None:
    res = runner.invoke(app, ["parties", "match", "Bank Meli Iran", "--json"])
    assert res.exit_code == 0, res.output
    body = json.loads(res.stdout[res.stdout.index("{") :])
    assert body["matches"][0]["entry_id"] == "test:melli"
