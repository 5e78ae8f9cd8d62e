"""The three formats carry the same declarations."""

from __future__ import annotations

from pathlib import Path

import pytest

from stce.ingest import UnknownFormatError, detect_format, read_declarations
from stce.ingest.readers import Parsed
from stce.sample import write_sample


@pytest.fixture(scope="module")
def three_formats(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("formats")
    out = {}
    for ext in ("jsonl", "csv", "parquet"):
        out[ext] = folder / f"d.{ext}"
        write_sample(out[ext], 300, 11, None, None, risky_share=0.2)
    return out


def test_formats_agree(three_formats: dict[str, Path]) -> None:
    parsed = {}
    for fmt, path in three_formats.items():
        recs = list(read_declarations(path))
        assert all(isinstance(r, Parsed) for r in recs), [
            r for r in recs if not isinstance(r, Parsed)
        ][:2]
        parsed[fmt] = [r.declaration for r in recs if isinstance(r, Parsed)]
    assert len(parsed["jsonl"]) == 300
    for fmt in ("csv", "parquet"):
        for a, b in zip(parsed["jsonl"], parsed[fmt], strict=True):
            da = a.model_dump(exclude={"parties"})
            db = b.model_dump(exclude={"parties"})
            assert da == db
            # CSV has one column set per role, so order follows the role list
            assert sorted(p.model_dump_json() for p in a.parties) == sorted(
                p.model_dump_json() for p in b.parties
            )


def test_csv_positions_are_first_rows(three_formats: dict[str, Path]) -> None:
    recs = [r for r in read_declarations(three_formats["csv"]) if isinstance(r, Parsed)]
    positions = [r.position for r in recs]
    assert positions[0] == 1
    assert positions == sorted(positions)
    assert positions[-1] >= len(recs)


def test_unknown_format() -> None:
    with pytest.raises(UnknownFormatError, match="unknown input format"):
        detect_format(Path("declarations.xlsx"))
    assert detect_format(Path("x.NDJSON")) == "jsonl"
