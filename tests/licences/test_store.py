from __future__ import annotations

import json
import random
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from stce.cli.app import app
from stce.licences.check import LicenceCheck
from stce.licences.model import Licence
from stce.licences.rules import load_rules
from stce.licences.scenarios import generate_licence_scenarios, scenario_determiner
from stce.model import Declaration
from stce.store.licences import (
    LicenceItemRow,
    LicenceRow,
    apply_declaration,
    import_licences,
    licence_history,
    load_registry,
    reverse_declaration,
)

runner = CliRunner()


def _clean(seed: int = 11) -> tuple[Licence, Declaration]:
    sc = generate_licence_scenarios(random.Random(seed), clean=1, repeats=0)
    return Licence.model_validate(sc.licences[0]), Declaration.model_validate(sc.declarations[0])


def _left(db: sessionmaker[Session], number: str) -> float | None:
    with db() as s:
        reg = load_registry(s, [number])
        st = reg.get(number)
        assert st is not None
        return st.balance(1).quantity


def test_decrement_once_per_line_and_reversible(db: sessionmaker[Session]) -> None:
    lic, decl = _clean()
    rules, det = load_rules(), scenario_determiner()
    assert lic.items[0].quantity is not None and decl.items[0].quantity is not None
    start, used = lic.items[0].quantity, decl.items[0].quantity
    with db() as s, s.begin():
        import_licences(s, [lic])
    with db() as s, s.begin():
        res = apply_declaration(s, decl, rules, det)
    assert len(res.applied) == 1 and res.applied[0].quantity == used
    assert _left(db, lic.number) == start - used
    # Re-screening / resubmitting the same declaration never decrements twice.
    for _ in range(3):
        with db() as s, s.begin():
            res = apply_declaration(s, decl, rules, det)
        assert res.applied == [] and len(res.unchanged) == 1
    assert _left(db, lic.number) == start - used
    # The check on a fresh snapshot does not count the declaration against itself.
    with db() as s:
        reg = load_registry(s)
    assert LicenceCheck(reg, rules, det).check([decl]) == [[]]
    # Amendment: a smaller quantity restores the difference.
    smaller = decl.model_copy(
        update={"items": [decl.items[0].model_copy(update={"quantity": 1.0})]}
    )
    with db() as s, s.begin():
        res = apply_declaration(s, smaller, rules, det)
    assert len(res.amended) == 1
    assert _left(db, lic.number) == start - 1.0
    # Amendment that drops the licence restores everything.
    unlicensed = smaller.model_copy(update={"documents": []})
    with db() as s, s.begin():
        res = apply_declaration(s, unlicensed, rules, det)
    assert len(res.reversed) == 1
    assert _left(db, lic.number) == start
    # Licensed again, then cancelled.
    with db() as s, s.begin():
        apply_declaration(s, decl, rules, det)
    assert _left(db, lic.number) == start - used
    with db() as s, s.begin():
        out = reverse_declaration(s, decl.declaration_id)
    assert len(out) == 1 and _left(db, lic.number) == start
    with db() as s, s.begin():
        assert reverse_declaration(s, decl.declaration_id) == []
    with db() as s:
        hist = licence_history(s, lic.number)
    assert hist is not None
    assert [e.kind for e in hist.events] == [
        "imported",
        "writeoff",
        "reversal",
        "amendment",
        "reversal",
        "amendment",
        "reversal",
    ]


def test_reimport_keeps_write_offs(db: sessionmaker[Session]) -> None:
    lic, decl = _clean(12)
    assert lic.items[0].quantity is not None and decl.items[0].quantity is not None
    with db() as s, s.begin():
        import_licences(s, [lic])
        apply_declaration(s, decl, load_rules(), scenario_determiner())
    bigger = lic.model_copy(
        update={
            "items": [lic.items[0].model_copy(update={"quantity": lic.items[0].quantity + 100})]
        }
    )
    with db() as s, s.begin():
        summary = import_licences(s, [bigger])
    assert summary.updated == 1
    assert _left(db, lic.number) == lic.items[0].quantity + 100 - decl.items[0].quantity


def _write_jsonl(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_cli_import_show_write_off_cancel(db: sessionmaker[Session], tmp_path: Path) -> None:
    sc = generate_licence_scenarios(random.Random(13), clean=2, repeats=0)
    lic_file = _write_jsonl(tmp_path / "lic.jsonl", sc.licences)
    res = runner.invoke(app, ["licences", "import", str(lic_file)])
    assert res.exit_code == 0, res.output
    assert "2 licence(s) created" in res.output
    decl_file = _write_jsonl(tmp_path / "decl.jsonl", sc.declarations)
    res = runner.invoke(app, ["licences", "write-off", str(decl_file)])
    assert res.exit_code == 0, res.output
    assert "2 applied" in res.output
    res = runner.invoke(app, ["licences", "write-off", str(decl_file)])
    assert "0 applied" in res.output and "2 unchanged" in res.output
    number = sc.licences[0]["number"]
    res = runner.invoke(app, ["licences", "show", str(number)], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    assert "Balance" in res.output and "writeoff" in res.output
    assert (
        sc.declarations[0]["declaration_id"] in res.output
        or sc.declarations[1]["declaration_id"] in res.output
    )
    res = runner.invoke(app, ["licences", "cancel", str(sc.declarations[0]["declaration_id"])])
    assert "1 write-off(s)" in res.output
    res = runner.invoke(app, ["licences", "show", "NO-SUCH"])
    assert res.exit_code == 1


def test_cli_bad_file_writes_nothing(db: sessionmaker[Session], tmp_path: Path) -> None:
    sc = generate_licence_scenarios(random.Random(14), clean=3, repeats=0)
    bad = dict(sc.licences[2])
    bad["valid_to"] = "2000-01-01"
    lic_file = _write_jsonl(tmp_path / "lic.jsonl", [sc.licences[0], sc.licences[1], bad])
    res = runner.invoke(app, ["licences", "import", str(lic_file)], env={"COLUMNS": "200"})
    assert res.exit_code == 2
    assert "line 3" in res.output and "valid_to" in res.output
    with db() as s:
        assert s.execute(select(func.count()).select_from(LicenceRow)).scalar_one() == 0
        assert s.execute(select(func.count()).select_from(LicenceItemRow)).scalar_one() == 0


def test_cli_imports_csv_and_updates_on_reimport(db: sessionmaker[Session], tmp_path: Path) -> None:
    from tests.licences.test_io import HEADER

    p = tmp_path / "authority-export.txt"
    row = (
        "DE-9,individual,BAFA,Acme GmbH,,Beta Ltd,Beta Univ,research,JP,2026-01-01,2026-12-31,"
        "valid,10,1,2B352,841933,freeze dryer,{q},NAR,170000,EUR\n"
    )
    p.write_text(HEADER + row.format(q=2), encoding="utf-8")
    res = runner.invoke(app, ["licences", "import", str(p), "--format", "csv"])
    assert res.exit_code == 0 and "1 licence(s) created" in res.output, res.output
    p.write_text(HEADER + row.format(q=5), encoding="utf-8")
    res = runner.invoke(app, ["licences", "import", str(p), "--format", "csv"])
    assert "0 licence(s) created, 1 updated" in res.output
    assert _left(db, "DE-9") == 5.0
    res = runner.invoke(app, ["licences", "import", str(p)], env={"COLUMNS": "200"})
    assert res.exit_code == 2 and "unknown licence format 'txt'" in res.output
