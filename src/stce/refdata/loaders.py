"""Recognise a list file and read it with the right loader.

A loader is chosen from the file itself (name, root element, header line), never from the folder
it sits in, so that `stce refdata import DIR` can walk a whole mirror and skip what is not a list.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from stce.model.list_entry import ListEntry
from stce.refdata.errors import ListFormatError
from stce.refdata.xmlsafe import read_head, root_tag

Reader = Callable[[Path], Iterator[ListEntry]]
Dater = Callable[[Path], date | None]


@dataclass(frozen=True)
class ListSource:
    """One official list format: how to spot it and read it."""

    source: str
    """Source id used in entry ids and snapshot names, e.g. 'un-sc', 'ofac-sdn'."""
    title: str
    recognise: Callable[[Path, bytes], bool]
    read: Reader
    published: Dater
    companions: tuple[str, ...] = ()
    """File names read together with the main file (OFAC legacy add/alt/comments)."""
    preference: Callable[[Path], int] = lambda _p: 0
    """Tie-break between files of one slot with the same date (higher wins)."""
    slot: Callable[[Path], str] | None = None
    """Which list a file is a version of, when one format serves several lists (watch lists,
    OpenSanctions datasets); default: `source`."""

    def companion_files(self, path: Path) -> list[Path]:
        """Companion files present next to `path`."""
        return [path.parent / n for n in self.companions if (path.parent / n).is_file()]

    def publication(self, path: Path) -> tuple[date | None, str]:
        """Publication date and where it came from: the file itself, else a date in the file or
        folder name (mirrors name them so), else unknown (None)."""
        published = self.published(path)
        if published is not None:
            return published, "file"
        for part in (path.name, path.parent.name):
            found = _DATE_IN_NAME.search(part)
            if found:
                try:
                    return date.fromisoformat(found.group(0)), "file name"
                except ValueError:
                    continue
        return None, "unknown"


_DATE_IN_NAME = re.compile(r"(19|20)\d\d-[01]\d-[0-3]\d")


def slot_of(src: ListSource, path: Path) -> str:
    """The snapshot slot of a file of format `src`."""
    return src.slot(path) if src.slot is not None else src.source


def _xml_root(name: str) -> Callable[[Path, bytes], bool]:
    def check(_path: Path, head: bytes) -> bool:
        return root_tag(head) == name

    return check


def _named(check: Callable[[Path, bytes], bool], name: str) -> Callable[[Path, bytes], bool]:
    def named(path: Path, head: bytes) -> bool:
        return path.name.lower() == name and check(path, head)

    return named


def _registry() -> list[ListSource]:
    from stce.refdata.sources import (
        bis,
        crypto,
        eu,
        ftm,
        ofac_advanced,
        ofac_csv,
        uk,
        un,
        watchlist,
    )

    return [
        ListSource(
            source=un.SOURCE,
            title="UN Security Council Consolidated List",
            recognise=_xml_root(un.ROOT),
            read=un.iter_un,
            published=un.publication_date,
        ),
        ListSource(
            source=ofac_advanced.SOURCE,
            title="OFAC SDN list (Advanced XML)",
            recognise=_xml_root(ofac_advanced.ROOT),
            read=ofac_advanced.iter_ofac_advanced,
            published=ofac_advanced.publication_date,
        ),
        ListSource(
            source=ofac_csv.SDN_SLOT,
            title="OFAC SDN list (legacy CSV set)",
            recognise=_named(ofac_csv.recognise, ofac_csv.SDN_FILES[0]),
            read=ofac_csv.iter_ofac_csv,
            published=ofac_csv.publication_date,
            companions=ofac_csv.SDN_FILES[1:],
        ),
        ListSource(
            source=ofac_csv.CONS_SLOT,
            title="OFAC Consolidated (non-SDN) list (legacy CSV set)",
            recognise=_named(ofac_csv.recognise, ofac_csv.CONS_FILES[0]),
            read=ofac_csv.iter_ofac_csv,
            published=ofac_csv.publication_date,
            companions=ofac_csv.CONS_FILES[1:],
        ),
        ListSource(
            source=crypto.SOURCE,
            title="OFAC digital currency addresses (per asset)",
            recognise=crypto.recognise,
            read=crypto.iter_crypto,
            published=crypto.publication_date,
            slot=crypto.slot,
            preference=crypto.preference,
        ),
        ListSource(
            source=eu.SOURCE,
            title="EU consolidated financial sanctions list",
            recognise=eu.recognise,
            read=eu.iter_eu,
            published=eu.publication_date,
        ),
        ListSource(
            source=uk.SOURCE,
            title="UK Sanctions List (FCDO, full XML)",
            recognise=_xml_root(uk.XML_ROOT),
            read=uk.iter_full_xml,
            published=uk.xml_published,
            preference=lambda _p: 3,
        ),
        ListSource(
            source=uk.SOURCE,
            title="UK Sanctions List (FCDO, full CSV)",
            recognise=uk.recognise_full_csv,
            read=uk.iter_full_csv,
            published=uk.csv_published,
            preference=lambda _p: 2,
        ),
        ListSource(
            source=uk.SOURCE,
            title="UK Sanctions List (FCDO, summary spreadsheet)",
            recognise=uk.recognise_ods,
            read=uk.iter_summary_ods,
            published=lambda _p: None,
            preference=lambda _p: 1,
        ),
        ListSource(
            source=uk.SOURCE,
            title="UK Sanctions List (FCDO, summary CSV)",
            recognise=uk.recognise_summary_csv,
            read=uk.iter_summary_csv,
            published=lambda _p: None,
        ),
        ListSource(
            source=bis.SOURCE,
            title="US BIS Denied Persons List",
            recognise=bis.recognise,
            read=bis.iter_bis_dpl,
            published=bis.publication_date,
        ),
        ListSource(
            source=ftm.SOURCE,
            title="FollowTheMoney entities (OpenSanctions export)",
            recognise=ftm.recognise,
            read=ftm.iter_ftm,
            published=ftm.publication_date,
            slot=ftm.slot,
        ),
        ListSource(
            source=watchlist.SOURCE,
            title="National watch list (CSV)",
            recognise=watchlist.recognise,
            read=watchlist.iter_watchlist,
            published=watchlist.publication_date,
            slot=watchlist.slot,
        ),
    ]


def list_sources() -> list[ListSource]:
    """Every list format stce can load."""
    return _registry()


HEAD_BYTES = 4096


def recognise(path: Path) -> ListSource | None:
    """The list format of `path`, or None when it is not a list stce knows."""
    if not path.is_file():
        return None
    try:
        head = read_head(path, HEAD_BYTES)
    except ListFormatError:
        return None
    for src in _registry():
        if src.recognise(path, head):
            return src
    return None


def iter_entries(path: Path | str) -> Iterator[ListEntry]:
    """Every entry of one list file, whatever its (recognised) format.

    Raises ListFormatError when the file is not a recognised list or is broken.
    """
    p = Path(path)
    src = recognise(p)
    if src is None:
        raise ListFormatError(str(p), "not a recognised sanctions or denied-party list")
    return src.read(p)
