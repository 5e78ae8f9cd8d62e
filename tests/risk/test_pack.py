"""Loading rule packs: a bad pack is refused as a whole, with the file line and the reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from stce.risk.pack import PackError, load_pack, loads_pack

GOOD = """\
pack: {id: tp, version: "1", title: T}
lanes:
  default: {red: 0.7, yellow: 0.4, blue: 0.2}
rules:
  - id: ONE
    title: one rule
    rationale: because
    source: [{title: "BIS red flags", ref: "15 CFR 732 Supp. 3"}]
    condition: hits.any(code == "X")
    weight: 0.5
"""


def refused(text: str) -> PackError:
    with pytest.raises(PackError) as exc:
        loads_pack(text, "bad.yaml")
    return exc.value


def test_good_pack_loads() -> None:
    pack = loads_pack(GOOD, "good.yaml")
    assert [r.id for r in pack.rules] == ["ONE"]
    assert pack.rules[0].line == 5
    assert pack.rules[0].spec.source[0].cite() == "BIS red flags, 15 CFR 732 Supp. 3"
    assert pack.label.startswith("tp@1#")


def test_bad_condition_names_line_column_and_reason() -> None:
    err = refused(GOOD.replace('hits.any(code == "X")', 'hits.any(code == "X") and nope > 1'))
    assert err.where == "bad.yaml:9"
    assert "rule ONE: condition" in err.reason
    assert "unknown name 'nope'" in err.reason and "column 27" in err.reason


def test_non_monotone_condition_is_refused() -> None:
    err = refused(GOOD.replace('hits.any(code == "X")', 'not hits.any(code == "X")'))
    assert err.where == "bad.yaml:9" and "never lowers a score" in err.reason


def test_missing_weight_and_lane() -> None:
    err = refused(GOOD.replace("    weight: 0.5\n", ""))
    assert err.where == "bad.yaml:5"
    assert "rule ONE" in err.reason and "weight, a fixed lane" in err.reason


def test_unknown_key_is_refused_with_its_line() -> None:
    err = refused(GOOD.replace("    weight: 0.5\n", "    weight: 0.5\n    wieght: 0.2\n"))
    assert err.where == "bad.yaml:11"
    assert "wieght" in err.reason


def test_missing_source() -> None:
    err = refused(
        GOOD.replace('    source: [{title: "BIS red flags", ref: "15 CFR 732 Supp. 3"}]\n', "")
    )
    assert "source" in err.reason


def test_bad_lane_and_weight_values() -> None:
    assert "weight" in refused(GOOD.replace("weight: 0.5", "weight: 1.5")).reason
    assert "lane" in refused(GOOD.replace("weight: 0.5", "lane: purple")).reason
    assert "red >= yellow >= blue" in refused(GOOD.replace("red: 0.7", "red: 0.3")).reason


def test_duplicate_rule_id() -> None:
    rule = GOOD[GOOD.index("  - id: ONE") :]
    err = refused(GOOD + rule)
    assert err.where == "bad.yaml:11"
    assert "duplicate id" in err.reason and "line 5" in err.reason


def test_duplicate_yaml_key() -> None:
    err = refused(GOOD.replace("    weight: 0.5\n", "    weight: 0.5\n    weight: 0.6\n"))
    assert err.where == "bad.yaml:11" and "duplicate key 'weight'" in err.reason


def test_invalid_yaml() -> None:
    err = refused(GOOD + "  - id: [unclosed\n")
    assert err.where.startswith("bad.yaml:") and "not valid YAML" in err.reason


def test_bad_definition_and_list_reference() -> None:
    err = refused(GOOD.replace("rules:", "define:\n  x: 1 +\nrules:"))
    assert err.where == "bad.yaml:5" and "definition x" in err.reason
    err = refused(GOOD.replace('hits.any(code == "X")', "destination in lists.missing"))
    assert "has no field 'missing'" in err.reason


def test_effective_dates_must_be_ordered() -> None:
    text = GOOD.replace(
        "    weight: 0.5\n",
        "    weight: 0.5\n    effective_from: 2027-01-01\n    effective_to: 2026-01-01\n",
    )
    assert "effective_from is after effective_to" in refused(text).reason


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(PackError, match="cannot read"):
        load_pack(tmp_path / "nope.yaml")
