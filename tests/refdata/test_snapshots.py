"""Snapshots: atomic swap, shrink hold, unchanged detection, hostile input never replaces a good
snapshot, current entries and versions."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from stce.config import Settings
from stce.refdata import (
    ImportResult,
    SnapshotStatus,
    confirm_snapshot,
    current_checksum,
    current_entries,
    current_lists,
    current_versions,
    import_directory,
    import_file,
    read_index,
)
from stce.refdata.diff import diff_snapshots

FIXTURES = Path(__file__).parent / "fixtures"

EU_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<export xmlns="http://eu.europa.ec/fpi/fsd/export" generationDate="{date}">\n'
)
EU_ENTITY = (
    '<sanctionEntity logicalId="{key}" euReferenceNumber="EU.{key}">'
    '<regulation programme="TST"/><subjectType code="enterprise"/>'
    '<nameAlias wholeName="{name}" strong="true"/></sanctionEntity>\n'
)


def eu_file(path: Path, names: dict[str, str], day: str = "2026-11-01") -> Path:
    body = "".join(EU_ENTITY.format(key=k, name=v) for k, v in names.items())
    path.write_text(EU_HEAD.format(date=day) + body + "</export>\n", encoding="utf-8")
    return path


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", database_url="sqlite://", mirror=None)


def _names(n: int, prefix: str = "Company") -> dict[str, str]:
    return {str(1000 + i): f"{prefix} Number {i}" for i in range(n)}


def test_import_then_unchanged_then_update(settings: Settings, tmp_path: Path) -> None:
    first = import_file(settings, eu_file(tmp_path / "eu.xml", _names(10)))
    assert first.result is ImportResult.CURRENT and first.snapshot is not None
    assert first.snapshot.entries == 10 and first.snapshot.by_kind == {"organisation": 10}
    again = import_file(settings, tmp_path / "eu.xml")
    assert again.result is ImportResult.UNCHANGED
    names = _names(10)
    names["1003"] = "Renamed Holding"
    names["2000"] = "Newly Listed Trading"
    second = import_file(settings, eu_file(tmp_path / "eu.xml", names, "2026-11-02"))
    assert second.result is ImportResult.CURRENT and second.previous_id == first.snapshot.id
    index = read_index(settings)
    statuses = {m.id: m.status for m in index.snapshots}
    assert statuses[first.snapshot.id] is SnapshotStatus.SUPERSEDED
    assert current_versions(settings) == {"eu-fsf": second.snapshot.id}  # type: ignore[union-attr]
    d = diff_snapshots(settings, slot="eu-fsf")
    assert [e.source_key for e in d.added] == ["2000"]
    assert [n.source_key for _o, n in d.changed] == ["1003"]
    assert d.removed == []
    assert {e.source_key for e in d.delta} == {"2000", "1003"}
    entries = current_entries(settings)
    assert len(entries) == 11 and any(e.primary_name == "Renamed Holding" for e in entries)
    lists = current_lists(settings)
    assert lists.versions == current_versions(settings) and len(lists.entries) == 11
    assert lists.checksum == current_checksum(settings) != current_checksum(settings, [])


def test_shrink_is_held_until_confirmed(settings: Settings, tmp_path: Path) -> None:
    good = import_file(settings, eu_file(tmp_path / "eu.xml", _names(20)))
    assert good.snapshot is not None
    small = import_file(settings, eu_file(tmp_path / "eu.xml", _names(10), "2026-11-03"))
    assert small.result is ImportResult.HELD and "shrank by 50%" in small.message
    assert current_versions(settings)["eu-fsf"] == good.snapshot.id
    assert len(current_entries(settings)) == 20
    assert small.snapshot is not None
    confirm_snapshot(settings, small.snapshot.id)
    assert current_versions(settings)["eu-fsf"] == small.snapshot.id
    assert len(current_entries(settings)) == 10
    # --confirm accepts a shrink at import time
    tiny = import_file(
        settings, eu_file(tmp_path / "eu.xml", _names(2), "2026-11-04"), confirm=True
    )
    assert tiny.result is ImportResult.CURRENT


def test_older_publication_is_held(settings: Settings, tmp_path: Path) -> None:
    import_file(settings, eu_file(tmp_path / "new.xml", _names(5), "2026-11-10"))
    old = import_file(settings, eu_file(tmp_path / "old.xml", _names(6), "2026-10-01"))
    assert old.result is ImportResult.HELD and "older" in old.message


HOSTILE = {
    "xxe.xml": (
        '<?xml version="1.0"?>\n<!DOCTYPE export [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        '<export xmlns="http://eu.europa.ec/fpi/fsd/export" generationDate="2026-11-20">'
        '<sanctionEntity logicalId="1"><nameAlias wholeName="&xxe;"/></sanctionEntity></export>'
    ),
    "laughs.xml": (
        '<?xml version="1.0"?>\n<!DOCTYPE export [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">'
        ']>\n<export xmlns="http://eu.europa.ec/fpi/fsd/export" generationDate="2026-11-20">'
        '<sanctionEntity logicalId="1"><nameAlias wholeName="&c;"/></sanctionEntity></export>'
    ),
    "padded.xml": (
        '<?xml version="1.0"?>\n<!--' + "x" * 70000 + '-->\n<!DOCTYPE export [<!ENTITY a "b">]>'
        '<export xmlns="http://eu.europa.ec/fpi/fsd/export"><sanctionEntity logicalId="1">'
        '<nameAlias wholeName="&a;"/></sanctionEntity></export>'
    ),
    "truncated.xml": (
        '<?xml version="1.0"?>\n<export xmlns="http://eu.europa.ec/fpi/fsd/export" '
        'generationDate="2026-11-20"><sanctionEntity logicalId="1"><nameAlias wholeName="A"/>'
        '</sanctionEntity><sanctionEntity logicalId="2"><nameAl'
    ),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_xml_never_replaces_good_snapshot(
    settings: Settings, tmp_path: Path, name: str
) -> None:
    good = import_file(settings, eu_file(tmp_path / "eu.xml", _names(5)))
    assert good.snapshot is not None
    bad = tmp_path / name
    bad.write_text(HOSTILE[name], encoding="utf-8")
    outcome = import_file(settings, bad)
    assert outcome.result is ImportResult.FAILED
    assert str(bad) in outcome.message and "current snapshot is kept" in outcome.message
    if name in ("xxe.xml", "laughs.xml"):
        assert "DOCTYPE" in outcome.message
    assert current_versions(settings) == {"eu-fsf": good.snapshot.id}
    assert len(current_entries(settings)) == 5
    assert "root:" not in "".join(e.primary_name for e in current_entries(settings))


def test_wrong_encoding_and_huge_line_are_refused(settings: Settings, tmp_path: Path) -> None:
    wl = tmp_path / "national.csv"
    wl.write_text("watchlist_id,name\nW1,Alpha\n", encoding="utf-8")
    good = import_file(settings, wl)
    assert good.result is ImportResult.CURRENT
    wl.write_bytes("watchlist_id,name\nW1,Alpha\nW2,Bêta\n".encode("latin-1"))
    bad = import_file(settings, wl)
    assert bad.result is ImportResult.FAILED and "UTF-8" in bad.message and "line 3" in bad.message
    wl.write_bytes(b"watchlist_id,name\nW1," + b"A" * (2 << 20) + b"\n")
    huge = import_file(settings, wl)
    assert huge.result is ImportResult.FAILED and "field larger than field limit" in huge.message
    ftm = tmp_path / "os.ftm.json"
    ftm.write_bytes(
        b'{"id": "x", "schema": "Person", "properties": {"name": ["A"]}}\n'
        + b'{"id": "y", "schema": "Person", "properties": {"name": ["'
        + b"B" * (17 << 20)
        + b'"]}}\n'
    )
    out = import_file(settings, ftm)
    assert out.result is ImportResult.FAILED and "line 2" in out.message
    assert current_versions(settings) == {"watchlist:national": good.snapshot.id}  # type: ignore[union-attr]


def test_empty_list_is_refused(settings: Settings, tmp_path: Path) -> None:
    out = import_file(settings, eu_file(tmp_path / "eu.xml", {}))
    assert out.result is ImportResult.FAILED and "no entries" in out.message
    assert read_index(settings).snapshots == []


def test_directory_import_keeps_newest_per_list(settings: Settings, tmp_path: Path) -> None:
    mirror = tmp_path / "mirror"
    (mirror / "a_2026-10-01").mkdir(parents=True)
    (mirror / "b").mkdir()
    shutil.copy(FIXTURES / "national_watchlist.csv", mirror / "b" / "national_watchlist.csv")
    eu_file(mirror / "a_2026-10-01" / "eu_old.xml", _names(3), "2026-10-01")
    eu_file(mirror / "b" / "eu_new.xml", _names(4), "2026-11-01")
    (mirror / "b" / "README.md").write_text("not a list")
    result = import_directory(settings, mirror)
    slots = {o.slot: o for o in result.outcomes}
    assert set(slots) == {"eu-fsf", "watchlist:national_watchlist"}
    assert slots["eu-fsf"].snapshot is not None and slots["eu-fsf"].snapshot.entries == 4
    skipped = dict(result.skipped)
    assert "older or duplicate" in skipped[str(mirror / "a_2026-10-01" / "eu_old.xml")]
    assert skipped[str(mirror / "b" / "README.md")] == "not a recognised list"


def test_current_entries_prefer_newest_duplicate_and_drop_covered_wallets(
    settings: Settings, tmp_path: Path
) -> None:
    (tmp_path / "sdn.csv").write_text(
        '7,"OLD NAME LTD","-0- ","SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
        '"Digital Currency Address - XBT 1BoatSLRHtKNngkdXEeobR76b53LETtpyT."\r\n',
        encoding="utf-8",
    )
    (tmp_path / "sanctioned_addresses_XBT.txt").write_text(
        "1BoatSLRHtKNngkdXEeobR76b53LETtpyT\n3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy\n"
    )
    for name in ("sdn.csv", "sanctioned_addresses_XBT.txt"):
        assert import_file(settings, tmp_path / name).result is ImportResult.CURRENT
    entries = current_entries(settings)
    wallets = sorted(w.address for e in entries for w in e.wallets)
    assert wallets == ["1BoatSLRHtKNngkdXEeobR76b53LETtpyT", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"]
    assert {e.id for e in entries} == {
        "ofac-sdn:7",
        "ofac-crypto:XBT:3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy",
    }
