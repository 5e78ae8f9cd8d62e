"""Write a sample as JSON Lines (canonical), CSV or Parquet, with its truth file."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import orjson

from stce.sample.generator import generate


def to_rows(decl: dict[str, Any]) -> list[dict[str, Any]]:
    """The CSV/Parquet rows (one per goods item) of a declaration in the JSON Lines format."""
    from stce.ingest.readers import TABULAR_COLUMNS

    base: dict[str, Any] = {c: "" for c in TABULAR_COLUMNS}
    for k in ("declaration_id", "procedure", "channel", "lodged_at", "office",
              "country_of_dispatch", "country_of_destination"):  # fmt: skip
        base[k] = decl.get(k) or ""
    base["itinerary"] = "|".join(decl.get("itinerary", []))
    for p in decl.get("parties", []):
        for f in ("name", "country", "address", "id"):
            if p.get(f):
                base[f"{p['role']}_{f}"] = p[f]
    t = decl.get("transport") or {}
    base["transport_mode"] = t.get("mode", "")
    base["transport_means_id"] = t.get("means_id", "")
    base["transport_document_id"] = t.get("document_id", "")
    base["containers"] = "|".join(t.get("containers", []))
    ftz = decl.get("ftz") or {}
    base["ftz_zone_id"] = ftz.get("zone_id", "")
    base["ftz_operator_id"] = ftz.get("operator_id", "")
    pay = decl.get("payment") or {}
    base["payment_method"] = pay.get("method", "")
    base["payment_payer"] = pay.get("payer", "")
    base["wallets"] = "|".join(f"{w['chain']}:{w['address']}" for w in pay.get("wallets", []))
    base["documents"] = "|".join(
        f"{d['type']}:{d['id']}" + (f":{d['line']}" if d.get("line") else "")
        for d in decl.get("documents", [])
    )
    rows = []
    for item in decl["items"]:
        row = dict(base)
        for k, v in item.items():
            row[k] = "" if v is None else v
        rows.append(row)
    return rows


def write_sample(
    out: Path,
    n: int,
    seed: int,
    truth: Path | None = None,
    mirror: Path | None = None,
    risky_share: float = 0.03,
    on_declaration: Callable[[int], None] | None = None,
) -> tuple[int, int]:
    """Write `n` declarations to `out` (format from its extension); returns (written, planted)."""
    pairs = generate(n, seed, mirror, risky_share, on_declaration)
    suffix = out.suffix.lower()
    out.parent.mkdir(parents=True, exist_ok=True)
    planted = 0
    truth_fh = truth.open("wb") if truth else None
    try:

        def decls() -> Iterable[dict[str, Any]]:
            nonlocal planted
            for decl, t in pairs:
                if t is not None:
                    planted += 1
                    if truth_fh is not None:
                        truth_fh.write(orjson.dumps(t) + b"\n")
                yield decl

        written = 0
        if suffix in (".jsonl", ".ndjson", ".json"):
            with out.open("wb") as fh:
                for d in decls():
                    fh.write(orjson.dumps(d) + b"\n")
                    written += 1
        elif suffix == ".csv":
            from stce.ingest.readers import TABULAR_COLUMNS

            with out.open("w", newline="", encoding="utf-8") as text_fh:
                w = csv.DictWriter(text_fh, fieldnames=list(TABULAR_COLUMNS))
                w.writeheader()
                for d in decls():
                    w.writerows(to_rows(d))
                    written += 1
        elif suffix in (".parquet", ".pq"):
            import pyarrow as pa
            import pyarrow.parquet as pq

            from stce.ingest.readers import TABULAR_COLUMNS

            schema = pa.schema([(c, pa.string()) for c in TABULAR_COLUMNS])
            with pq.ParquetWriter(out, schema) as pw:
                buf: list[dict[str, Any]] = []
                for d in decls():
                    buf.extend({k: ("" if v is None else str(v)) for k, v in r.items()}
                               for r in to_rows(d))  # fmt: skip
                    written += 1
                    if len(buf) >= 20000:
                        pw.write_table(pa.Table.from_pylist(buf, schema))
                        buf = []
                if buf:
                    pw.write_table(pa.Table.from_pylist(buf, schema))
        else:
            raise ValueError(f"unknown sample format {out.suffix!r}: use .jsonl, .csv or .parquet")
    finally:
        if truth_fh is not None:
            truth_fh.close()
    return written, planted
