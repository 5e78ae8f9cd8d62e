"""Crypto wallet addresses normalised per chain, so that a declared wallet and a listed one
compare exactly.

Why: Base58 and Bech32 addresses are case-sensitive, EVM addresses (0x + 40 hex) are not (their
mixed case is only a checksum), and tickers differ between sources (BTC vs OFAC's XBT).
"""

from __future__ import annotations

import re

CHAIN_ALIASES = {"BTC": "XBT", "BITCOIN": "XBT", "ETHEREUM": "ETH", "TRON": "TRX"}
EVM_ADDRESS = re.compile(r"^0x[0-9a-fA-F]{40}$")
EVM_CHAINS = frozenset({"ETH", "ETC", "ARB", "BSC", "BNB", "USDC", "USDT", "MATIC", "AVAX", "OP"})


def normalise_chain(chain: str) -> str:
    """Upper-case ticker with common aliases folded (BTC -> XBT)."""
    upper = chain.strip().upper()
    return CHAIN_ALIASES.get(upper, upper)


def normalise_address(chain: str, address: str) -> str:
    """The address as compared: EVM addresses lower-cased, others kept as written (trimmed)."""
    addr = address.strip()
    if EVM_ADDRESS.match(addr):
        return addr.lower()
    if normalise_chain(chain) in {"BCH"} and addr.lower().startswith("bitcoincash:"):
        return addr.split(":", 1)[1]
    return addr


def wallet_key(chain: str, address: str) -> str:
    """Exact-match key: the normalised address alone. Why not the chain too: one EVM address
    serves every EVM chain and token, and a Tron address listed under USDT is declared under TRX;
    distinct chains never share an address format that collides in practice."""
    return normalise_address(chain, address)
