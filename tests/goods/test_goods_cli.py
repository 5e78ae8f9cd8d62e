"""`stce goods identify | screen | profile | kb` through the real Typer app."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stce.cli.app import app

runner = CliRunner()


@pytest.fixture(autouse=True)
def _mirror_env(mirror: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STCE_MIRROR", str(mirror))


def test_identify_json() -> None:
    r = runner.invoke(app, ["goods", "identify", "triethanolamine", "--cas", "102-71-6", "--json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.output)
    assert doc["strategic"] is True
    assert doc["candidates"][0]["entry"] in {"CWC-3B17", "1C350"}
    assert doc["chemicals"][0]["cas"] == "102-71-6"


def test_identify_text_names_the_entry() -> None:
    r = runner.invoke(app, ["goods", "identify", "pressure gauges", "--hs", "902620"])
    assert r.exit_code == 0, r.output
    assert "not strategic" in r.output
    assert "2B230" in r.output


def test_screen_writes_the_documented_format(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(
        "\n".join(
            json.dumps(x)
            for x in [
                {"id": "a", "description": "capacitance manometer", "hs_code": "902620"},
                {"id": "b", "description": "t-shirts", "hs_code": "610910", "cas": None},
                {"id": "c", "description": "solvent", "cas": "111-48-8"},
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    r = runner.invoke(app, ["goods", "screen", str(src), "--out", str(out)])
    assert r.exit_code == 0, r.output
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [x["id"] for x in rows] == ["a", "b", "c"]
    assert [x["strategic"] for x in rows] == [True, False, True]
    assert set(rows[0]) == {"id", "strategic", "confidence", "candidates"}
    cand = rows[0]["candidates"][0]
    assert set(cand) == {"entry", "regime", "title", "score", "evidence"}
    assert cand["entry"] == "2B230" and cand["regime"] == "NSG" and cand["evidence"]


def test_screen_reports_bad_lines_and_keeps_good_ones(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(
        '{"id": "ok", "description": "thiodiglycol"}\nnot json\n{"id": "x", "hs_code": "12ab"}\n',
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    r = runner.invoke(app, ["goods", "screen", str(src), "--out", str(out)])
    assert r.exit_code == 2
    assert "in.jsonl:2: not valid JSON" in r.output
    assert "in.jsonl:3: field hs_code" in r.output
    assert [json.loads(x)["id"] for x in out.read_text().splitlines()] == ["ok"]


def test_profile_prints_the_commodity_profile() -> None:
    r = runner.invoke(app, ["goods", "profile", "2B230"])
    assert r.exit_code == 0, r.output
    for part in ("What it is", "Why it is controlled", "HS 2022 subheadings", "902620", "Sources"):
        assert part in r.output


def test_profile_unknown_entry() -> None:
    r = runner.invoke(app, ["goods", "profile", "2B999"])
    assert r.exit_code == 1
    assert "unknown control entry" in r.output


def test_kb_counts() -> None:
    r = runner.invoke(app, ["goods", "kb"])
    assert r.exit_code == 0
    assert "regime:CWC" in r.output


def test_profile_by_cas_number() -> None:
    r = runner.invoke(app, ["goods", "profile", "111-48-8"])
    assert r.exit_code == 0, r.output
    assert "thiodiglycol" in r.output and "CWC-2B13" in r.output
