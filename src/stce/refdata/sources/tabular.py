"""Safe readers for the tabular formats lists come in: CSV/TSV and ODS spreadsheets.

Why: official CSVs are quoted, multi-line and sometimes hostile (a gigabyte line, a wrong
encoding); ODS is a zip around one big XML file. Both are read with size limits and clear errors.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from stce.refdata.errors import ListFormatError
from stce.refdata.xmlsafe import all_text

MAX_FIELD = 1 << 20
"""Longest CSV field accepted (1 MiB): no list field comes near it; a longer one is hostile."""
MAX_ODS_CONTENT = 512 << 20
"""Largest uncompressed ODS content.xml accepted (zip-bomb guard)."""

_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"


def decode(path: Path, raw: bytes, encodings: tuple[str, ...] = ("utf-8-sig",)) -> str:
    """Decode with the first encoding that fits; the error names the byte and line otherwise."""
    first_error: UnicodeDecodeError | None = None
    for enc in encodings:
        try:
            return raw.decode(enc)
        except UnicodeDecodeError as exc:
            first_error = first_error or exc
    assert first_error is not None
    line = raw[: first_error.start].count(b"\n") + 1
    raise ListFormatError(
        str(path),
        f"not valid {'/'.join(e.upper().removesuffix('-SIG') for e in encodings)} text at "
        f"byte {first_error.start} (save the file as UTF-8)",
        record=f"line {line}",
    )


def read_text(path: Path, max_bytes: int = 1 << 30) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ListFormatError(str(path), f"file is {size} bytes, over the {max_bytes} limit")
        return path.read_bytes()
    except OSError as exc:
        raise ListFormatError(str(path), f"cannot read: {exc}") from exc


def csv_dicts(
    path: Path,
    *,
    delimiter: str = ",",
    skip_until: str | None = None,
    encodings: tuple[str, ...] = ("utf-8-sig",),
) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) for each data row, keyed by the header (whitespace-trimmed).

    `skip_until`: skip leading lines until one that contains this header cell (FCDO CSVs start
    with a 'Report Date' line).
    """
    text = decode(path, read_text(path).rstrip(b"\x1a"), encodings)
    if skip_until is not None:
        pos = text.find(skip_until)
        if pos < 0:
            raise ListFormatError(str(path), f"header {skip_until!r} not found")
        text = text[text.rfind("\n", 0, pos) + 1 :]
    csv.field_size_limit(MAX_FIELD)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration as exc:
        raise ListFormatError(str(path), "file is empty") from exc
    except csv.Error as exc:
        raise ListFormatError(str(path), f"malformed header: {exc}") from exc
    try:
        for row in reader:
            if not any(c.strip() for c in row):
                continue
            if len(row) > len(header):
                raise ListFormatError(
                    str(path),
                    f"{len(row)} columns but the header has {len(header)}",
                    record=f"line {reader.line_num}",
                )
            yield (
                reader.line_num,
                {h: (row[i].strip() if i < len(row) else "") for i, h in enumerate(header)},
            )
    except csv.Error as exc:
        raise ListFormatError(
            str(path), f"malformed CSV: {exc}", record=f"line {reader.line_num}"
        ) from exc


def _cell_text(cell: etree._Element) -> str:
    parts = []
    for p in cell.iter(f"{{{_TEXT}}}p"):
        parts.append(all_text(p))
    return "\n".join(parts).strip()


def ods_rows(path: Path) -> Iterator[list[str]]:
    """Rows of the first sheet of an ODS file, streamed from content.xml (no DTD, no entities)."""
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ListFormatError(str(path), f"not a readable ODS (zip) file: {exc}") from exc
    with zf:
        try:
            info = zf.getinfo("content.xml")
        except KeyError as exc:
            raise ListFormatError(str(path), "ODS without content.xml") from exc
        if info.file_size > MAX_ODS_CONTENT:
            raise ListFormatError(str(path), f"content.xml is {info.file_size} bytes; refused")
        with zf.open(info) as fh:
            head = fh.read(4096)
        if b"<!DOCTYPE" in head.upper() or b"<!ENTITY" in head.upper():
            raise ListFormatError(str(path), "content.xml declares a DOCTYPE/ENTITY; refused")
        with zf.open(info) as fh:
            parser = etree.iterparse(
                fh,
                events=("end",),
                tag=[f"{{{_TABLE}}}table-row", f"{{{_TABLE}}}table"],
                resolve_entities=False,
                no_network=True,
                huge_tree=False,
                load_dtd=False,
            )
            try:
                for _ev, elem in parser:
                    if elem.tag == f"{{{_TABLE}}}table":
                        return
                    row: list[str] = []
                    for cell in elem:
                        repeat = int(cell.get(f"{{{_TABLE}}}number-columns-repeated", "1"))
                        value = _cell_text(cell)
                        row.extend([value] * (repeat if value else min(repeat, 256)))
                    while row and not row[-1]:
                        row.pop()
                    elem.clear()
                    if row:
                        yield row
            except etree.XMLSyntaxError as exc:
                raise ListFormatError(str(path), f"malformed ODS content.xml: {exc}") from exc
