"""Counts of the real UN and OFAC Advanced files, checked against an independent stdlib parse."""

from __future__ import annotations

import bz2
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable
from functools import cache
from pathlib import Path

from stce.model.list_entry import EntryKind, ListEntry, NameQuality
from stce.refdata import iter_entries, recognise

OFAC_NS = (
    "{https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/ADVANCED_XML}"
)


@cache
def _ofac_entries(path: Path) -> list[ListEntry]:
    return list(iter_entries(path))


def test_un_counts_match_independent_parse(mirror_file: Callable[[str], Path]) -> None:
    path = mirror_file("sanctions/un/consolidated.xml")
    root = ET.parse(path).getroot()
    expected_people = len(root.findall("INDIVIDUALS/INDIVIDUAL"))
    expected_orgs = len(root.findall("ENTITIES/ENTITY"))
    entries = list(iter_entries(path))
    kinds = Counter(e.kind for e in entries)
    assert (kinds[EntryKind.PERSON], kinds[EntryKind.ORGANISATION]) == (730, 273)
    assert (expected_people, expected_orgs) == (730, 273)
    assert len({e.id for e in entries}) == len(entries)
    by_id = {e.source_key: e for e in entries}
    ref = root.find("INDIVIDUALS/INDIVIDUAL[REFERENCE_NUMBER='KPi.033']")
    assert ref is not None
    entry = by_id["KPi.033"]
    assert entry.names[0].quality is NameQuality.PRIMARY
    assert entry.programmes == ["DPRK"]
    assert "KP" in entry.nationalities
    weak = sum(1 for e in entries for n in e.names if n.quality is NameQuality.WEAK)
    low = sum(
        1
        for a in root.iter("INDIVIDUAL_ALIAS")
        if (a.findtext("QUALITY") or "").strip() == "Low" and (a.findtext("ALIAS_NAME") or "")
    )
    assert 0 < weak <= low


def test_ofac_advanced_counts_and_wallets(mirror_file: Callable[[str], Path]) -> None:
    path = mirror_file("sanctions/ofac/sdn_advanced/sdn_advanced.xml.bz2")
    src = recognise(path)
    assert src is not None and src.source == "ofac-sdn"
    entries = _ofac_entries(path)
    kinds = Counter(e.kind for e in entries)
    assert len(entries) == 18367
    assert kinds[EntryKind.ORGANISATION] == 9359
    assert kinds[EntryKind.PERSON] == 7303
    assert kinds[EntryKind.VESSEL] == 1370
    assert kinds[EntryKind.AIRCRAFT] == 335
    # independent count of wallet features: a plain regular-expression scan of the XML text
    with bz2.open(path) as fh:
        text = fh.read().decode("utf-8")
    wallet_types = dict(
        re.findall(r'<FeatureType ID="(\d+)"[^>]*>Digital Currency Address - (\w+)<', text)
    )
    features = 0
    pairs: set[tuple[str, str]] = set()
    for type_id, address in re.findall(
        r'<Feature ID="\d+" FeatureTypeID="(\d+)">\s*<FeatureVersion[^>]*>\s*'
        r"(?:<Comment />|<Comment>[^<]*</Comment>)\s*"
        r'<VersionDetail DetailTypeID="\d+">([^<]+)</VersionDetail>',
        text,
    ):
        if type_id in wallet_types:
            features += 1
            pairs.add((wallet_types[type_id], address.strip()))
    assert len(re.findall(r"<DistinctParty ", text)) == 18367
    assert features == 761
    assert len(pairs) == 758
    ours = {(w.chain, w.address) for e in entries for w in e.wallets}
    assert ours == pairs
    names = sum(len(e.names) for e in entries)
    assert names >= 42777  # one name per alias per script; aliases alone are 42,777
    cyrillic = [n for e in entries for n in e.names if n.script == "Cyrl"]
    assert cyrillic
    linked = [e for e in entries if e.links]
    assert linked and all(link.startswith("ofac-sdn:") for e in linked for link in e.links)
    assert sum(1 for e in entries if e.programmes) == len(entries)
