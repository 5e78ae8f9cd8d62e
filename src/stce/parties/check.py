"""The `parties` check: every party of every declaration and every payment wallet, screened.

Batch-first: the check collects the distinct parties of the whole batch, screens each once
(`PartyScreener` also caches across batches), then hands the hits back per declaration.
"""

from __future__ import annotations

from collections.abc import Sequence

from stce.model import Declaration, Hit, Severity
from stce.parties.cache import cached_index
from stce.parties.clearance import Clearances
from stce.parties.index import NameIndex
from stce.parties.screener import CHECK_NAME, PartyQuery, PartyScreener, to_query
from stce.parties.sources import current_source
from stce.parties.wallets import WalletIndex, normalise_address
from stce.pipeline.context import ScreeningContext

VERSION = "1.0"


class PartiesCheck:
    """Implements `stce.model.Check` for parties and wallets."""

    name = CHECK_NAME
    version = VERSION

    def __init__(self, screener: PartyScreener, wallets: WalletIndex) -> None:
        self.screener = screener
        self.wallets = wallets

    def check(self, batch: Sequence[Declaration]) -> list[list[Hit]]:
        distinct: dict[PartyQuery, list[Hit]] = {}
        per_decl: list[list[PartyQuery]] = []
        for decl in batch:
            queries = [to_query(p) for p in decl.parties]
            per_decl.append(queries)
            for q in queries:
                if q not in distinct:
                    distinct[q] = self.screener.match(q)
        out: list[list[Hit]] = []
        for decl, queries in zip(batch, per_decl, strict=True):
            hits: list[Hit] = []
            for q in queries:
                hits.extend(
                    h.model_copy(update={"declaration_id": decl.declaration_id})
                    for h in distinct[q]
                )
            hits.extend(self._wallet_hits(decl))
            out.append(hits)
        return out

    def _wallet_hits(self, decl: Declaration) -> list[Hit]:
        if decl.payment is None:
            return []
        hits: list[Hit] = []
        for i, w in enumerate(decl.payment.wallets):
            for wh in self.wallets.match(w.chain, w.address):
                hits.append(
                    Hit(
                        check=CHECK_NAME,
                        code="WALLET_LISTED",
                        severity=Severity.CRITICAL,
                        score=1.0,
                        declaration_id=decl.declaration_id,
                        message=(
                            f"payment wallet {w.chain} {w.address} is listed by "
                            f"{wh.entry.source} entry {wh.entry.id} '{wh.entry.primary_name}'"
                        ),
                        evidence={
                            "entry_id": wh.entry.id,
                            "source": wh.entry.source,
                            "programmes": list(wh.entry.programmes),
                            "matched_name": wh.entry.primary_name,
                            "party_role": "payment",
                            "field": f"payment.wallets[{i}]",
                            "wallet": normalise_address(w.address),
                            "listed_chain": wh.listed_chain,
                            "explanation": "exact wallet address after per-chain normalisation",
                        },
                    )
                )
        return hits


def make_check(index: NameIndex, clearances: Clearances | None = None) -> PartiesCheck:
    """A check over an already built index (and the same entries' wallets)."""
    wallet_entries = [index.entries[i] for i in index.entries.with_wallets]
    return PartiesCheck(PartyScreener(index, clearances), WalletIndex(wallet_entries))


def build_check(
    context: ScreeningContext, clearances: Clearances | None = None
) -> PartiesCheck | None:
    """The `parties` check over the current list snapshots, or None when no list is available.

    Lists: the snapshots imported with `stce refdata` (else the mirror's list files). The index
    is loaded from `settings.cache_dir` when one exists for the lists' checksum, otherwise built
    and cached. `clearances` come from the store (`stce.store.parties.load_clearances`); the
    pipeline registry passes them in. The list versions are added to `context.versions`.
    """
    source = current_source(context.settings)
    if source is None:
        return None
    index = cached_index(context.settings.cache_dir, source.checksum, source.load)
    context.versions.setdefault("lists", source.versions)
    context.versions.setdefault("parties_index", source.checksum[:16])
    return make_check(index, clearances)
