"""Wallet matching: exact comparison after per-chain normalisation.

Why exact: a wallet address is an identifier, not a name; one changed character is a different
wallet. What differs per chain is only which differences are cosmetic:

- EVM chains (ETH, ETC, ARB, BSC, USDC/USDT on Ethereum, ...): hex addresses whose mixed case is an
  EIP-55 checksum, so they compare lower-cased.
- Bech32 addresses (bc1..., ltc1..., bnb1...): case-insensitive by BIP-173 but written in one case,
  so they compare lower-cased.
- Base58 (BTC legacy, TRX, SOL, XMR, ...) is case-sensitive: kept exactly as written.

Tether and USDC live on several chains, so the address shape (not the ticker) decides.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from stce.model import ListEntry

_EVM = re.compile(r"^(0x)?[0-9a-fA-F]{40}$")
_BECH32 = re.compile(r"^(bc|tb|ltc|bnb|tltc|bcrt)1[02-9ac-hj-np-z]{6,87}$", re.IGNORECASE)

CHAIN_ALIASES: Mapping[str, str] = {
    "BTC": "XBT",
    "BITCOIN": "XBT",
    "ETHEREUM": "ETH",
    "TRON": "TRX",
    "LITECOIN": "LTC",
    "MONERO": "XMR",
    "TETHER": "USDT",
}


def normalise_chain(chain: str) -> str:
    """Upper-case ticker with common synonyms folded (BTC and XBT are the same chain)."""
    c = chain.strip().upper()
    return CHAIN_ALIASES.get(c, c)


def normalise_address(address: str) -> str:
    """Canonical form of an address for exact comparison (see the module docstring)."""
    a = address.strip()
    if _EVM.match(a):
        a = a.lower()
        return a if a.startswith("0x") else "0x" + a
    if _BECH32.match(a):
        return a.lower()
    return a


@dataclass(frozen=True, slots=True)
class WalletHit:
    entry: ListEntry
    chain: str
    address: str
    listed_chain: str


class WalletIndex:
    """Listed wallet addresses by canonical form (the chain is reported, not required to agree:
    the same address listed under USDT and ETH is one wallet)."""

    def __init__(self, entries: Iterable[ListEntry]) -> None:
        self._by_address: dict[str, list[tuple[ListEntry, str]]] = {}
        for entry in entries:
            for w in entry.wallets:
                key = normalise_address(w.address)
                self._by_address.setdefault(key, []).append((entry, normalise_chain(w.chain)))

    def __len__(self) -> int:
        return len(self._by_address)

    def match(self, chain: str, address: str) -> list[WalletHit]:
        """Entries listing exactly this wallet."""
        found = self._by_address.get(normalise_address(address), [])
        return [WalletHit(e, normalise_chain(chain), address, lc) for e, lc in found]
