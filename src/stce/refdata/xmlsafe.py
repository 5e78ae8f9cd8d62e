"""Streaming XML with every dangerous parser feature off.

Official list files never carry a DTD: one that does is treated as hostile (XXE, entity
expansion), before lxml ever sees it. Parsing streams with `iterparse` so that a 121 MB OFAC file
stays within bounded memory: callers clear each record after use.
"""

from __future__ import annotations

import bz2
import gzip
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from lxml import etree

from stce.model.list_entry import ListEntry
from stce.refdata.errors import ListFormatError

PROLOG_SCAN = 64 * 1024
"""Bytes read before the root element to look for a DOCTYPE."""


@contextmanager
def open_maybe_compressed(path: Path) -> Iterator[IO[bytes]]:
    """Open `path` for binary reading, decompressing `.bz2` and `.gz` transparently."""
    name = path.name.lower()
    if name.endswith(".bz2"):
        with bz2.open(path, "rb") as bfh:
            yield bfh
    elif name.endswith(".gz"):
        with gzip.open(path, "rb") as gfh:
            yield gfh  # type: ignore[misc]
    else:
        with path.open("rb") as fh:
            yield fh


def read_head(path: Path, size: int = PROLOG_SCAN) -> bytes:
    """The first `size` decompressed bytes of `path` (for format recognition)."""
    try:
        with open_maybe_compressed(path) as fh:
            return fh.read(size)
    except (OSError, EOFError) as exc:
        raise ListFormatError(str(path), f"cannot read: {exc}") from exc


_TAG_END = (b" ", b">", b"/", b"\n", b"\r", b"\t")


def root_tag(head: bytes) -> str | None:
    """Local name of the root element found in the first bytes of an XML file, if any."""
    pos = 0
    while True:
        start = head.find(b"<", pos)
        if start < 0 or start + 1 >= len(head):
            return None
        nxt = head[start + 1 : start + 2]
        if nxt in (b"?", b"!"):
            end = head.find(b">", start)
            if end < 0:
                return None
            pos = end + 1
            continue
        end = start + 1
        while end < len(head) and head[end : end + 1] not in _TAG_END:
            end += 1
        tag = head[start + 1 : end].decode("utf-8", "replace")
        return tag.split(":")[-1]


def reject_doctype(path: Path, head: bytes) -> None:
    """Refuse files that declare a DOCTYPE or entities: no official list does."""
    upper = head.upper()
    if b"<!DOCTYPE" in upper or b"<!ENTITY" in upper:
        raise ListFormatError(
            str(path), "XML declares a DOCTYPE/ENTITY (possible XXE or entity expansion); refused"
        )


def local(tag: object) -> str:
    """Tag name without its namespace."""
    text = tag if isinstance(tag, str) else str(tag)
    return text.rsplit("}", 1)[-1]


def iter_elements(
    path: Path, tags: set[str], *, events: tuple[str, ...] = ("end",)
) -> Iterator[tuple[str, etree._Element]]:
    """Yield (event, element) for elements whose local name is in `tags`, safely.

    The caller must `clear_element` what it no longer needs. Malformed or truncated XML raises
    ListFormatError naming the file and line.
    """
    head = read_head(path)
    reject_doctype(path, head)
    if root_tag(head) is None:
        raise ListFormatError(
            str(path), f"no XML root element within the first {PROLOG_SCAN} bytes; refused"
        )
    with open_maybe_compressed(path) as fh:
        parser = etree.iterparse(
            fh,
            events=events,
            tag=[f"{{*}}{t}" for t in sorted(tags)],
            resolve_entities=False,
            no_network=True,
            huge_tree=False,
            load_dtd=False,
            dtd_validation=False,
            remove_comments=True,
        )
        try:
            yield from parser
        except etree.XMLSyntaxError as exc:
            raise ListFormatError(str(path), f"malformed or truncated XML: {exc}") from exc
        except (OSError, EOFError) as exc:
            raise ListFormatError(str(path), f"cannot read: {exc}") from exc


def iter_records(
    path: Path,
    root: str,
    record_tags: set[str],
    parse: Callable[[etree._Element, Path], ListEntry | None],
) -> Iterator[ListEntry]:
    """Every record element of a list file parsed by `parse`, streamed and freed as it goes.

    Raises ListFormatError when the file has no `root` element (not the list it claims to be).
    """
    saw_root = False
    for event, elem in iter_elements(path, {root, *record_tags}, events=("start", "end")):
        if local(elem.tag) == root:
            saw_root = True
            continue
        if event != "end":
            continue
        try:
            entry = parse(elem, path)
        finally:
            clear_element(elem)
        if entry is not None:
            yield entry
    if not saw_root:
        raise ListFormatError(str(path), f"root element {root} not found")


def clear_element(elem: etree._Element) -> None:
    """Free a processed element and the siblings already seen, keeping memory bounded."""
    elem.clear()
    parent = elem.getparent()
    if parent is not None:
        while elem.getprevious() is not None:
            del parent[0]


def text(elem: etree._Element | None) -> str:
    """Stripped text of an element with internal runs of whitespace collapsed ('' if none)."""
    if elem is None or elem.text is None:
        return ""
    return " ".join(elem.text.split())


def all_text(elem: etree._Element) -> str:
    """All text inside an element, whitespace collapsed."""
    return " ".join("".join(str(t) for t in elem.itertext()).split())
