"""Streaming readers for declarations: JSON Lines (canonical), CSV and Parquet.

Every reader yields, in file order, either a parsed `Declaration` with its position or a
`Reject`. Nothing is held beyond the current record (CSV/Parquet: the current declaration's
rows), so a file of any length is read in bounded memory.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from pydantic import ValidationError

from stce.ingest.rejects import Reject, excerpt
from stce.ingest.validate import problems_from_pydantic
from stce.model import Declaration

MAX_RECORD_BYTES = 1_000_000
"""A JSON Lines record (or CSV row) longer than this is rejected unread: no declaration needs it,
and it protects memory against hostile input."""


class InputError(ValueError):
    """The input as a whole cannot be read (as opposed to one bad record, which is a reject)."""


class UnknownFormatError(InputError):
    """The input's format cannot be told from its name."""


@dataclass(frozen=True)
class Parsed:
    position: int
    declaration: Declaration


Record = Parsed | Reject

FORMATS = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".csv": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
}


def detect_format(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] in (".gz",):
        raise UnknownFormatError(f"compressed input is not supported: {path.name}")
    if suffixes and suffixes[-1] in FORMATS:
        return FORMATS[suffixes[-1]]
    raise UnknownFormatError(
        f"unknown input format for {path.name!r}: expected .jsonl, .csv or .parquet"
    )


def _reject_from_error(
    position: int, err: ValidationError, raw: str | bytes, decl_id: str | None
) -> Reject:
    problems = problems_from_pydantic(err)
    first = problems[0]
    reason = "; ".join(f"{p.field}: {p.reason}" for p in problems)
    return Reject(
        position=position,
        declaration_id=decl_id,
        field=first.field,
        reason=reason,
        excerpt=excerpt(raw),
    )


def _id_hint(raw: bytes) -> str | None:
    """The declaration_id of a raw JSON line that failed, if it can be found cheaply."""
    key = b'"declaration_id"'
    at = raw.find(key)
    if at < 0:
        return None
    rest = raw[at + len(key) : at + len(key) + 200].lstrip(b" \t:")
    if not rest.startswith(b'"'):
        return None
    end = rest.find(b'"', 1)
    if end < 0:
        return None
    return rest[1:end].decode("utf-8", errors="replace")


def _lines(fh: IO[bytes], limit: int) -> Iterator[tuple[int, bytes | None, int]]:
    """(line number, line or None when too long, length) for each line of a binary stream."""
    n = 0
    while True:
        line = fh.readline(limit + 1)
        if not line:
            return
        n += 1
        if len(line) > limit and not line.endswith(b"\n"):
            size = len(line)
            while True:  # skip the rest of the over-long line without keeping it
                chunk = fh.readline(1 << 20)
                size += len(chunk)
                if not chunk or chunk.endswith(b"\n"):
                    break
            yield n, None, size
            continue
        yield n, line, len(line)


def read_jsonl(
    path: Path, on_bytes: Callable[[int], None] | None = None, limit: int = MAX_RECORD_BYTES
) -> Iterator[Record]:
    with path.open("rb") as fh:
        for n, line, size in _lines(fh, limit):
            if on_bytes is not None:
                on_bytes(size)
            if line is None:
                yield Reject(
                    position=n,
                    field="(record)",
                    reason=f"record is {size} bytes, over the {limit}-byte limit",
                )
                continue
            if n == 1 and line.startswith(b"\xef\xbb\xbf"):
                line = line[3:]  # a UTF-8 byte-order mark, as some Windows tools write
            if not line.strip():
                continue
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield Reject(
                    position=n,
                    declaration_id=_id_hint(line),
                    field="(record)",
                    reason=f"not valid UTF-8 (byte {exc.start})",
                    excerpt=excerpt(line),
                )
                continue
            try:
                yield Parsed(n, Declaration.model_validate_json(line))
            except ValidationError as err:
                yield _reject_from_error(n, err, line, _id_hint(line))


# --- tabular formats (CSV, Parquet): one row per goods item --------------------------------

ITEM_FIELDS = (
    "line", "hs_code", "description", "cas", "quantity", "unit", "net_mass_kg", "value",
    "currency", "origin",
)  # fmt: skip
PARTY_ROLES = (
    "consignor", "consignee", "end_user", "declarant", "carrier", "notify_party", "buyer",
    "seller", "freight_forwarder",
)  # fmt: skip
PARTY_FIELDS = ("name", "country", "address", "id")
DECL_FIELDS = (
    "declaration_id", "procedure", "channel", "lodged_at", "office", "country_of_dispatch",
    "country_of_destination", "itinerary",
)  # fmt: skip
TRANSPORT_FIELDS = {
    "transport_mode": "mode",
    "transport_means_id": "means_id",
    "transport_document_id": "document_id",
    "containers": "containers",
}
OTHER_FIELDS = (
    "ftz_zone_id", "ftz_operator_id", "payment_method", "payment_payer", "wallets", "documents",
)  # fmt: skip

TABULAR_COLUMNS: tuple[str, ...] = (
    DECL_FIELDS
    + tuple(f"{r}_{f}" for r in PARTY_ROLES for f in PARTY_FIELDS)
    + tuple(TRANSPORT_FIELDS)
    + OTHER_FIELDS
    + ITEM_FIELDS
)
"""Every column the CSV and Parquet formats know, in the order `stce schema --csv` documents."""


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _split(v: Any) -> list[str]:
    if _blank(v):
        return []
    return [p.strip() for p in str(v).split("|") if p.strip()]


def _tabular_to_dict(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Assemble one declaration from its item rows (declaration fields taken from the first)."""
    first = rows[0]
    out: dict[str, Any] = {}
    for f in DECL_FIELDS:
        v = first.get(f)
        if not _blank(v):
            out[f] = v
    if "itinerary" in out:
        out["itinerary"] = _split(out["itinerary"])
    parties = []
    for role in PARTY_ROLES:
        name = first.get(f"{role}_name")
        if _blank(name):
            continue
        party: dict[str, Any] = {"role": role, "name": name}
        for f in PARTY_FIELDS[1:]:
            v = first.get(f"{role}_{f}")
            if not _blank(v):
                party[f] = v
        parties.append(party)
    if parties:
        out["parties"] = parties
    transport: dict[str, Any] = {}
    for col, key in TRANSPORT_FIELDS.items():
        v = first.get(col)
        if not _blank(v):
            transport[key] = _split(v) if key == "containers" else v
    if transport:
        out["transport"] = transport
    if not _blank(first.get("ftz_zone_id")):
        out["ftz"] = {"zone_id": first["ftz_zone_id"]}
        if not _blank(first.get("ftz_operator_id")):
            out["ftz"]["operator_id"] = first["ftz_operator_id"]
    payment: dict[str, Any] = {}
    if not _blank(first.get("payment_method")):
        payment["method"] = first["payment_method"]
    if not _blank(first.get("payment_payer")):
        payment["payer"] = first["payment_payer"]
    wallets = []
    for w in _split(first.get("wallets")):
        chain, _, address = w.partition(":")
        wallets.append({"chain": chain, "address": address})
    if wallets:
        payment["wallets"] = wallets
    if payment:
        out["payment"] = payment
    documents = []
    for doc in _split(first.get("documents")):
        dtype, _, rest = doc.partition(":")
        did, _, line = rest.partition(":")
        d: dict[str, Any] = {"type": dtype, "id": did}
        if line:
            d["line"] = line
        documents.append(d)
    if documents:
        out["documents"] = documents
    items = []
    for r in rows:
        item = {f: r[f] for f in ITEM_FIELDS if not _blank(r.get(f))}
        items.append(item)
    out["items"] = items
    return out


def _group_rows(
    rows: Iterator[tuple[int, dict[str, Any] | Reject]],
) -> Iterator[Record]:
    """Group adjacent rows by declaration_id and parse each group as one declaration."""
    group: list[dict[str, Any]] = []
    positions: list[int] = []
    current: str | None = None

    def flush() -> Record:
        decl_id = current
        try:
            decl = Declaration.model_validate(_tabular_to_dict(group))
            return Parsed(positions[0], decl)
        except ValidationError as err:
            rej = _reject_from_error(positions[0], err, repr(group[0])[:400], decl_id)
            if len(positions) > 1:
                rej = rej.model_copy(update={"rows": list(positions)})
            return rej

    for pos, row in rows:
        if isinstance(row, Reject):
            if group:
                yield flush()
                group, positions, current = [], [], None
            yield row
            continue
        decl_id = str(row.get("declaration_id") or "").strip()
        if group and decl_id != current:
            yield flush()
            group, positions = [], []
        current = decl_id
        group.append(row)
        positions.append(pos)
    if group:
        yield flush()


def _csv_rows(
    path: Path, on_bytes: Callable[[int], None] | None, limit: int
) -> Iterator[tuple[int, dict[str, Any] | Reject]]:
    with path.open("rb") as raw:
        header_line = raw.readline(limit)
        if on_bytes is not None:
            on_bytes(len(header_line))
        try:
            header = next(csv.reader([header_line.decode("utf-8-sig")]))
        except (UnicodeDecodeError, StopIteration):
            yield (
                1,
                Reject(position=0, field="(header)", reason="CSV header is missing or not UTF-8"),
            )
            return
        header = [h.strip() for h in header]
        n = 0
        for _, line, size in _lines(raw, limit):
            if on_bytes is not None:
                on_bytes(size)
            n += 1
            if line is None:
                yield n, Reject(
                    position=n, field="(record)",
                    reason=f"row is {size} bytes, over the {limit}-byte limit",
                )  # fmt: skip
                continue
            if not line.strip():
                continue
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield n, Reject(
                    position=n, field="(record)",
                    reason=f"not valid UTF-8 (byte {exc.start})", excerpt=excerpt(line),
                )  # fmt: skip
                continue
            # A quoted field may span lines: keep reading until the record is complete.
            while text.count('"') % 2 == 1:
                more = raw.readline(limit)
                if not more:
                    break
                if on_bytes is not None:
                    on_bytes(len(more))
                text += more.decode("utf-8", errors="replace")
                if len(text) > limit:
                    break
            try:
                values = next(csv.reader(io.StringIO(text)))
            except (csv.Error, StopIteration) as exc:
                yield (
                    n,
                    Reject(
                        position=n,
                        field="(record)",
                        reason=f"bad CSV row: {exc}",
                        excerpt=excerpt(text),
                    ),
                )
                continue
            if len(values) != len(header):
                yield n, Reject(
                    position=n, field="(record)",
                    reason=f"row has {len(values)} fields, header has {len(header)}",
                    excerpt=excerpt(text),
                )  # fmt: skip
                continue
            yield n, {h: v for h, v in zip(header, values, strict=True) if h in TABULAR_COLUMNS}


def read_csv(
    path: Path, on_bytes: Callable[[int], None] | None = None, limit: int = MAX_RECORD_BYTES
) -> Iterator[Record]:
    yield from _group_rows(_csv_rows(path, on_bytes, limit))


def _parquet_rows(
    path: Path, on_bytes: Callable[[int], None] | None
) -> Iterator[tuple[int, dict[str, Any] | Reject]]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as exc:
        raise InputError(f"{path.name} is not a readable Parquet file: {exc}") from exc
    columns = [c for c in pf.schema_arrow.names if c in TABULAR_COLUMNS]
    total_rows = max(pf.metadata.num_rows, 1)
    size = path.stat().st_size
    n = 0
    batches = pf.iter_batches(batch_size=4096, columns=columns)
    while True:
        try:
            batch = next(batches)
        except StopIteration:
            return
        except (pa.ArrowException, OSError) as exc:
            raise InputError(f"{path.name}: Parquet data unreadable after row {n}: {exc}") from exc
        for row in batch.to_pylist():
            n += 1
            code = row.get("hs_code")
            if isinstance(code, int):
                # An integer column loses leading zeros: HS codes have an even number of digits.
                text = str(code)
                row["hs_code"] = "0" + text if len(text) % 2 else text
            yield n, row
        if on_bytes is not None:
            on_bytes(int(size * batch.num_rows / total_rows))


def read_parquet(path: Path, on_bytes: Callable[[int], None] | None = None) -> Iterator[Record]:
    yield from _group_rows(_parquet_rows(path, on_bytes))


def read_declarations(
    path: Path, fmt: str | None = None, on_bytes: Callable[[int], None] | None = None
) -> Iterator[Record]:
    """Parsed declarations and rejects from `path`, in file order, streamed."""
    fmt = fmt or detect_format(path)
    if fmt == "jsonl":
        return read_jsonl(path, on_bytes)
    if fmt == "csv":
        return read_csv(path, on_bytes)
    if fmt == "parquet":
        return read_parquet(path, on_bytes)
    raise UnknownFormatError(f"unknown input format {fmt!r}: expected jsonl, csv or parquet")
