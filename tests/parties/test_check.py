from pathlib import Path

import pytest

from stce.model import Check, Declaration, ListEntry, Party, PartyRole, Payment, Wallet
from stce.parties.check import make_check
from stce.parties.clearance import Clearance, Clearances, entry_hash, party_key
from stce.parties.index import NameIndex


def decl(
    did: str, *parties: tuple[PartyRole, str], wallets: list[Wallet] | None = None
) -> Declaration:
    return Declaration.model_validate(
        {
            "declaration_id": did,
            "procedure": "export",
            "parties": [Party(role=r, name=n) for r, n in parties],
            "payment": Payment(wallets=wallets or []) if wallets is not None else None,
            "items": [{"line": 1, "hs_code": "847989", "description": "machine"}],
        }
    )


def test_check_screens_every_party_and_wallet(index: NameIndex) -> None:
    check = make_check(index)
    assert isinstance(check, Check)
    batch = [
        decl("D1", (PartyRole.CONSIGNOR, "Acme Widgets GmbH"), (PartyRole.END_USER, "Kim Jong Un")),
        decl(
            "D2",
            (PartyRole.CONSIGNEE, "Harmless Name Ltd"),
            wallets=[Wallet(chain="eth", address="0x7f367cc41522ce07553e823bf3be79a889debe1b")],
        ),
        decl("D3", (PartyRole.BUYER, "Plain Buyer")),
    ]
    out = check.check(batch)
    assert len(out) == 3
    assert [h.code for h in out[0]] == ["PARTY_LISTED"]
    assert out[0][0].evidence["party_role"] == "end_user"
    assert out[0][0].declaration_id == "D1"
    assert [h.code for h in out[1]] == ["WALLET_LISTED"]
    assert out[1][0].severity.value == "critical"
    assert out[1][0].evidence["entry_id"] == "test:wallet"
    assert out[2] == []


def test_case_changed_base58_wallet_is_not_listed(index: NameIndex) -> None:
    check = make_check(index)
    d = decl(
        "D1",
        (PartyRole.BUYER, "Plain Buyer"),
        wallets=[Wallet(chain="BTC", address="1ajzpmsnmpdk2rv9kqnfmurtxinscvro9v")],
    )
    assert check.check([d]) == [[]]
    d2 = decl(
        "D2",
        (PartyRole.BUYER, "Plain Buyer"),
        wallets=[Wallet(chain="BTC", address="1AjZPMsnmpdK2Rv9KQNfMurTXinscVro9V")],
    )
    assert [h.code for h in check.check([d2])[0]] == ["WALLET_LISTED"]


def test_clearance_suppresses_until_the_entry_changes(index: NameIndex) -> None:
    target = next(e for e in index.entries if e.id == "test:kim")
    cleared = Clearances([Clearance(party_key("KIM JONG UN"), target.id, entry_hash(target))])
    d = decl("D1", (PartyRole.CONSIGNEE, "Kim Jong-Un"))
    assert make_check(index, cleared).check([d]) == [[]]

    # the publisher adds an alias: same id, new content, the clearance lapses
    changed = target.model_copy(update={"programmes": ["DPRK"]})
    entries = [changed if e.id == target.id else e for e in index.entries]
    new_index = NameIndex(entries, "changed")
    hits = make_check(new_index, cleared).check([d])[0]
    assert [h.evidence["entry_id"] for h in hits] == ["test:kim"]

    # another party is not cleared by it
    other = decl("D2", (PartyRole.CONSIGNEE, "Kim Jong Un"), (PartyRole.BUYER, "Robert Smith"))
    assert [h.evidence["entry_id"] for h in make_check(index, cleared).check([other])[0]] == [
        "test:smith"
    ]


def test_build_check_uses_current_lists_and_records_versions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, entries: list[ListEntry]
) -> None:
    import stce.parties.check as check_module
    from stce.config import Settings
    from stce.parties.sources import ListsSource
    from stce.pipeline.context import ScreeningContext

    loads: list[int] = []

    def load() -> list[ListEntry]:
        loads.append(1)
        return entries

    source = ListsSource(checksum="c" * 64, versions={"test": "snap-1"}, load=load)
    monkeypatch.setattr(check_module, "current_source", lambda settings: source)
    settings = Settings(data_dir=tmp_path, database_url="sqlite://", mirror=None)
    for _ in range(2):
        ctx = ScreeningContext(settings=settings)
        built = check_module.build_check(ctx)
        assert built is not None
        assert ctx.versions["lists"] == {"test": "snap-1"}
    assert loads == [1]  # the second start-up came from the on-disk cache
    d = decl("D1", (PartyRole.END_USER, "Kim Jong Un"))
    assert [h.code for h in built.check([d])[0]] == ["PARTY_LISTED"]
    monkeypatch.setattr(check_module, "current_source", lambda settings: None)
    assert check_module.build_check(ScreeningContext(settings=settings)) is None


def test_a_declaration_party_never_matches_a_listed_vessel(index: NameIndex) -> None:
    # "JOHN SMITH" is listed only as a vessel: a consignee of that name is a person or a firm.
    out = make_check(index).check([decl("V1", (PartyRole.CONSIGNEE, "John Smith"))])
    assert out == [[]]


def test_one_shared_word_beside_a_distinctive_one_is_a_lead(index: NameIndex) -> None:
    from stce.parties.screener import PartyScreener

    screener = PartyScreener(index)
    lead = screener.score_pair("Habbash Marine Engineering LLC", "Habbash LLC", "Company")
    assert lead.score < 0.80
    same = screener.score_pair("Habbash Marine L.L.C.", "Habbash Marine LLC", "Company")
    assert same.score >= 0.80
