from stce.model import EntryKind, ListEntry, ListName, ListWallet
from stce.parties.wallets import WalletIndex, normalise_address, normalise_chain


def test_evm_addresses_compare_lower_case() -> None:
    mixed = "0x7F367cC41522cE07553e823bf3be79A889DEbe1B"
    assert normalise_address(mixed) == mixed.lower()
    assert normalise_address(mixed[2:]) == mixed.lower()


def test_base58_is_case_sensitive_and_bech32_is_not() -> None:
    b58 = "1AjZPMsnmpdK2Rv9KQNfMurTXinscVro9V"
    assert normalise_address(b58) == b58
    assert normalise_address(b58.lower()) != b58
    bech = "bc1qa5wkgaew2dkv56kfvj49j0av5nml45x9ek9hz6"
    assert normalise_address(bech.upper()) == bech


def test_chain_synonyms() -> None:
    assert normalise_chain("btc") == normalise_chain("XBT") == "XBT"


def test_index_matches_exact_wallets_only() -> None:
    e = ListEntry(
        id="t:1",
        source="t",
        source_key="1",
        kind=EntryKind.PERSON,
        names=[ListName(full="X")],
        wallets=[ListWallet(chain="ETH", address="0x7F367cC41522cE07553e823bf3be79A889DEbe1B")],
    )
    idx = WalletIndex([e])
    assert [h.entry.id for h in idx.match("eth", "0x7f367cc41522ce07553e823bf3be79a889debe1b")] == [
        "t:1"
    ]
    assert idx.match("ETH", "0x7f367cc41522ce07553e823bf3be79a889debe1c") == []
