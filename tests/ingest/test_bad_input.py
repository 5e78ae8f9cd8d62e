"""Every kind of bad record gets a clear reject naming the record and field, and the good
records of the same file are still screened."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import orjson
import pytest

from stce.pipeline import screen_file
from tests.model.test_declaration import EXAMPLE


def good(i: int) -> dict[str, Any]:
    d = copy.deepcopy(EXAMPLE)
    d["declaration_id"] = f"GOOD-{i}"
    return d


def line(d: dict[str, Any]) -> bytes:
    return orjson.dumps(d) + b"\n"


def bad_with(**changes: Any) -> dict[str, Any]:
    d = good(0)
    d["declaration_id"] = "BAD"
    for dotted, value in changes.items():
        *head, last = dotted.split("__")
        target: Any = d
        for key in head:
            target = target[int(key)] if key.isdigit() else target[key]
        target[int(last) if last.isdigit() else last] = value
    return d


CASES: dict[str, tuple[bytes, str, str]] = {
    # name: (raw bad line, expected field, words expected in the reason)
    "truncated line": (line(good(99))[:80] + b"\n", "(record)", "not valid JSON"),
    "wrong type": (line(bad_with(items__0__quantity="lots")), "items[0].quantity", "number"),
    "unknown country": (
        line(bad_with(country_of_destination="QQ")),
        "country_of_destination",
        "unknown ISO 3166",
    ),
    "invalid CAS": (line(bad_with(items__0__cas="102-71-5")), "items[0].cas", "check digit"),
    "unknown currency": (line(bad_with(items__0__currency="XYZ")), "items[0].currency", "ISO 4217"),
    "unknown HS code": (line(bad_with(items__0__hs_code="999111")), "items[0].hs_code", "HS 2022"),
    "negative value": (line(bad_with(items__0__value=-5)), "items[0].value", "greater than"),
    "huge description": (
        line(bad_with(items__0__description="x" * 10_000_000)),
        "(record)",
        "over the",
    ),
    "non-UTF-8": (
        line(bad_with(items__0__description="caf\u00e9")).replace(b"caf\xc3\xa9", b"caf\xe9"),
        "(record)",
        "UTF-8",
    ),
    "missing items": (line({k: v for k, v in bad_with().items() if k != "items"}), "items", ""),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_record_is_rejected_and_good_ones_screened(
    name: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if name == "unknown HS code":
        request.getfixturevalue("mirror")  # HS 2022 comes from the reference mirror
    raw, field, words = CASES[name]
    path = tmp_path / "batch.jsonl"
    path.write_bytes(line(good(1)) + raw + line(good(2)))
    summary = screen_file(path, tmp_path / "out", record=False, report=False)
    assert summary.accepted == 2
    assert summary.rejected == 1
    rejects = [json.loads(x) for x in (tmp_path / "out" / "rejects.jsonl").read_text().splitlines()]
    assert len(rejects) == 1
    rej = rejects[0]
    assert rej["position"] == 2
    assert rej["field"] == field
    assert words.lower() in rej["reason"].lower()
    assert len(rej.get("excerpt", "")) <= 200
    results = (tmp_path / "out" / "results.jsonl").read_text().splitlines()
    assert [json.loads(r)["declaration_id"] for r in results] == ["GOOD-1", "GOOD-2"]


def test_duplicate_id_keeps_the_first(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    path.write_bytes(line(good(1)) + line(good(2)) + line(good(1)))
    summary = screen_file(path, tmp_path / "out", record=False, report=False)
    assert (summary.accepted, summary.rejected) == (2, 1)
    rej = json.loads((tmp_path / "out" / "rejects.jsonl").read_text())
    assert rej["field"] == "declaration_id"
    assert rej["position"] == 3
    assert "first seen at position 1" in rej["reason"]


def test_empty_file_screens_nothing(tmp_path: Path) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_bytes(b"")
    summary = screen_file(path, tmp_path / "out", record=False)
    assert (summary.read, summary.accepted, summary.rejected) == (0, 0, 0)
    assert (tmp_path / "out" / "results.jsonl").read_bytes() == b""
    assert (tmp_path / "out" / "report.html").exists()


def test_blank_lines_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "b.jsonl"
    path.write_bytes(line(good(1)) + b"\n   \n" + line(good(2)))
    summary = screen_file(path, tmp_path / "out", record=False, report=False)
    assert (summary.accepted, summary.rejected) == (2, 0)


def test_bad_csv_row_rejected_with_its_row(tmp_path: Path) -> None:
    from stce.sample.writer import to_rows

    rows = to_rows(good(1)) + to_rows(bad_with(items__0__origin="QQ")) + to_rows(good(2))
    import csv

    from stce.ingest import TABULAR_COLUMNS

    path = tmp_path / "b.csv"
    with path.open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(TABULAR_COLUMNS))
        w.writeheader()
        w.writerows(rows)
    summary = screen_file(path, tmp_path / "out", record=False, report=False)
    assert (summary.accepted, summary.rejected) == (2, 1)
    rej = json.loads((tmp_path / "out" / "rejects.jsonl").read_text())
    assert rej == {
        "position": 2,
        "declaration_id": "BAD",
        "field": "items[0].origin",
        "reason": "items[0].origin: unknown ISO 3166 country code 'QQ'",
        "excerpt": "",
    }


def test_byte_order_mark_is_tolerated(tmp_path: Path) -> None:
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + line(good(1)) + line(good(2)))
    summary = screen_file(path, tmp_path / "out", record=False, report=False)
    assert (summary.accepted, summary.rejected) == (2, 0)


def test_corrupt_parquet_is_one_clear_error(tmp_path: Path) -> None:
    from stce.pipeline import ScreeningError

    path = tmp_path / "broken.parquet"
    path.write_bytes(b"PAR1 this is not parquet at all")
    with pytest.raises(ScreeningError, match="not a readable Parquet file"):
        screen_file(path, tmp_path / "out", record=False, report=False)


def test_parquet_integer_hs_codes_keep_their_leading_zero(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from stce.ingest import read_declarations
    from stce.ingest.readers import Parsed

    rows = {
        "declaration_id": ["IM-1", "IM-2"],
        "procedure": ["import", "import"],
        "line": [1, 1],
        "hs_code": [10121, 845710],
        "description": ["pure-bred horses", "machining centre"],
    }
    path = tmp_path / "ints.parquet"
    pq.write_table(pa.table(rows), path)
    recs = list(read_declarations(path))
    assert [r.declaration.items[0].hs_code for r in recs if isinstance(r, Parsed)] == [
        "010121",
        "845710",
    ]


def test_csv_quoted_field_may_span_lines(tmp_path: Path) -> None:
    path = tmp_path / "multi.csv"
    path.write_text(
        "declaration_id,procedure,line,hs_code,description\n"
        'IM-1,import,1,845710,"machining centre,\nfive axis"\n'
        "IM-2,import,1,610910,t-shirts\n",
        encoding="utf-8",
    )
    summary = screen_file(path, tmp_path / "out", record=False, report=False)
    assert (summary.accepted, summary.rejected) == (2, 0)
