"""The other real files of the mirror, with counts checked against independent stdlib parses."""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from stce.model.list_entry import EntryKind, NameQuality
from stce.refdata import iter_entries, recognise
from stce.refdata.sources.ofac_csv import parse_remarks

Mirror = Callable[[str], Path]


def _rows(path: Path) -> list[list[str]]:
    text = path.read_text(encoding="utf-8").rstrip("\x1a\r\n")
    return [r for r in csv.reader(text.splitlines()) if r]


def test_ofac_legacy_set_2021_joins_add_alt_comments(mirror_file: Mirror) -> None:
    path = mirror_file("sanctions/ofac/legacy_csv_2021-07-07/sdn.csv")
    entries = list(iter_entries(path))
    sdn = _rows(path)
    assert len(entries) == len(sdn) == 8976
    kinds = Counter(e.kind for e in entries)
    assert kinds[EntryKind.PERSON] == 4620
    assert kinds[EntryKind.ORGANISATION] == 3673
    assert kinds[EntryKind.VESSEL] == 406
    assert kinds[EntryKind.AIRCRAFT] == 277
    alt = _rows(path.parent / "alt.csv")
    add = _rows(path.parent / "add.csv")
    strong_aliases = sum(1 for e in entries for n in e.names if n.quality is NameQuality.STRONG)
    assert 0.95 * len(alt) <= strong_aliases <= len(alt)  # a few repeat the primary name
    with_address = {r[0] for r in add if any(c.strip() != "-0-" for c in r[2:5])}
    assert {e.source_key for e in entries if e.addresses} == with_address
    by_key = {e.source_key: e for e in entries}
    # sdn_comments continue remarks cut at 1,000 characters
    comment_keys = {r[0] for r in _rows(path.parent / "sdn_comments.csv")}
    for key in comment_keys:
        remarks = by_key[key].remarks or ""
        assert len(remarks) > 1000
    lazarus_linked = [e for e in entries if any("LAZARUS" in (n.full or "") for n in e.names)]
    assert lazarus_linked


def test_ofac_wallet_spanning_remarks_and_comments(tmp_path: Path) -> None:
    remarks = (
        "DOB 01 Jan 1980; nationality Russia; "
        + "x" * 900
        + "; Digital Currency Address - XBT 1AbCdEfGh"
    )
    (tmp_path / "sdn.csv").write_text(
        f'101,"PETROV, Ivan","individual","CYBER2] [RUSSIA-EO14024",-0- ,-0- ,-0- ,-0- ,-0- ,'
        f'-0- ,-0- ,"{remarks}"\r\n\x1a',
        encoding="utf-8",
    )
    (tmp_path / "sdn_comments.csv").write_text(
        '101,"JkLmNoPqRsTuVwXyZ12345; alt. Digital Currency Address - ETH '
        "0xAbCdEf0123456789aBcDeF0123456789AbCdEf01; a.k.a. 'VANYA'; Passport 7700112233 "
        '(Russia); Linked To: NOBODY."\r\n',
        encoding="utf-8",
    )
    (entry,) = list(iter_entries(tmp_path / "sdn.csv"))
    assert entry.primary_name == "Ivan PETROV"
    assert entry.programmes == ["CYBER2", "RUSSIA-EO14024"]
    assert [(w.chain, w.address) for w in entry.wallets] == [
        ("XBT", "1AbCdEfGhJkLmNoPqRsTuVwXyZ12345"),
        ("ETH", "0xAbCdEf0123456789aBcDeF0123456789AbCdEf01"),
    ]
    assert entry.nationalities == ["RU"]
    assert entry.birth_dates[0].exact is not None
    assert entry.names[1].full == "VANYA" and entry.names[1].quality is NameQuality.WEAK
    assert entry.identifiers[0].type == "passport" and entry.identifiers[0].country == "RU"


def test_remarks_parser_dates_and_ids() -> None:
    facts = parse_remarks(
        "DOB circa 1979-1982; alt. DOB 1962 to 1964; DOB Apr 1956; IMO 9187629; "
        "Tax ID No. 7707083893 (Russia); a.k.a. 'X ONE'; f.k.a. 'X TWO'."
    )
    dobs = facts["dob"]
    assert len(dobs) == 3
    ids = {(i.type, i.value) for i in facts["ident"]}  # type: ignore[attr-defined]
    assert ("imo", "9187629") in ids and ("tax_id", "7707083893") in ids
    assert facts["aka"] == ["X ONE", "X TWO"]


def test_ofac_legacy_2024_and_consolidated(mirror_file: Mirror) -> None:
    sdn = mirror_file("sanctions/ofac/legacy_sdn_csv_2024-07-02/sdn.csv")
    entries = list(iter_entries(sdn))
    assert len(entries) == len(_rows(sdn)) == 15443
    assert sum(1 for e in entries if e.wallets) == 57  # rows mentioning Digital Currency Address
    cons = mirror_file("sanctions/ofac/consolidated_non_sdn_2025-12-19/cons_prim.csv")
    centries = list(iter_entries(cons))
    assert len(centries) == 442
    assert all(e.id.startswith("ofac-cons:") for e in centries)
    kinds = Counter(e.kind for e in centries)
    assert (kinds[EntryKind.PERSON], kinds[EntryKind.ORGANISATION]) == (79, 363)


def test_ofac_crypto_files(mirror_file: Mirror) -> None:
    folder = mirror_file("sanctions/ofac/crypto_addresses/sanctioned_addresses_XBT.txt").parent
    total = 0
    for path in sorted(folder.glob("*.json")):
        expected = set(json.loads(path.read_text()))
        entries = list(iter_entries(path))
        assert {e.wallets[0].address for e in entries} == expected
        txt = path.with_suffix(".txt")
        assert {e.wallets[0].address for e in iter_entries(txt)} == expected
        total += len(entries)
    assert total == 758


def test_bis_dpl_merges_rows_of_one_order(mirror_file: Mirror) -> None:
    path = mirror_file("sanctions/us_bis/dpl.txt")
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    assert len(rows) == 581
    orders = {(" ".join(r["Name"].upper().split()).strip(" ,"), r["Effective_Date"]) for r in rows}
    entries = list(iter_entries(path))
    assert len(entries) == len(orders)
    assert sum(len(e.addresses) for e in entries) <= 581
    src = recognise(path)
    assert src is not None
    published, how = src.publication(path)
    assert published is not None and published.isoformat() == "2022-09-02" and how == "file"


def test_uk_summary_ods_and_csv_agree(mirror_file: Mirror) -> None:
    ods = mirror_file("sanctions/uk/UK_Sanctions_List_2025-08-11.ods")
    csv_path = ods.with_name("UK_Sanctions_List_2025-08-11.summary.csv")
    from stce.refdata.errors import collecting_rejects

    with collecting_rejects() as rejects:
        a = {e.id: e for e in iter_entries(ods)}
        b = {e.id: e for e in iter_entries(csv_path)}
    assert a == b
    assert len(a) == 5300 and len(rejects) == 4  # 2 designations without a name, in each file
    kinds = Counter(e.kind for e in a.values())
    assert kinds[EntryKind.VESSEL] == 461 and kinds[EntryKind.ORGANISATION] == 1087
    assert sum(1 for e in a.values() if e.programmes == ["Iran (Nuclear)"]) == 190
