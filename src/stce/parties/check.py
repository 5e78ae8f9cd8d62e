"""The `parties` check: every party, payment wallet and transport means of a declaration, screened.

The border transport means (`transport.means_id`) is looked up by IMO number among listed
vessels (`VESSEL_LISTED`, exact, see `stce.parties.vessels`); a means given by name is screened
against listed vessels' names only (`VESSEL_NAME_MATCH`).

Batch-first: the check collects the distinct parties of the whole batch, screens each once
(`PartyScreener` also caches across batches), then hands the hits back per declaration.
"""

from __future__ import annotations

from collections.abc import Sequence

from stce.model import Declaration, EntryKind, Hit, Severity, TransportMode
from stce.parties.cache import cached_index
from stce.parties.clearance import Clearances
from stce.parties.index import NameIndex
from stce.parties.screener import (
    CHECK_NAME,
    Match,
    PartyQuery,
    PartyScreener,
    listed_evidence,
    to_query,
)
from stce.parties.sources import current_source
from stce.parties.vessels import VesselIndex, looks_like_imo
from stce.parties.wallets import WalletIndex, normalise_address
from stce.pipeline.context import ScreeningContext

VERSION = "1.2"
"""1.2: glued forms split only where unambiguous, first-two-letter swaps forgiven, second
readings cut legal forms glued to short list words (results may differ from 1.1)."""

VESSEL_MODES = frozenset(
    {TransportMode.SEA, TransportMode.INLAND_WATERWAY, TransportMode.MULTIMODAL}
)
"""Transport modes whose means is (or may be) a ship: a `means_id` that is not an IMO number is
screened as a vessel name only for these, or when the mode is not declared."""
MEANS_FIELD = "transport.means_id"


class PartiesCheck:
    """Implements `stce.model.Check` for parties and wallets."""

    name = CHECK_NAME
    version = VERSION

    def __init__(
        self, screener: PartyScreener, wallets: WalletIndex, vessels: VesselIndex | None = None
    ) -> None:
        self.screener = screener
        self.wallets = wallets
        self.vessels = vessels if vessels is not None else VesselIndex(())

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
            hits.extend(self._vessel_hits(decl))
            out.append(hits)
        return out

    def _vessel_hits(self, decl: Declaration) -> list[Hit]:
        """The border transport means against listed vessels: by IMO number when it is one,
        else by name (vessel entries only)."""
        t = decl.transport
        if t is None or not t.means_id or not t.means_id.strip():
            return []
        means = t.means_id.strip()
        if looks_like_imo(means):
            return [
                Hit(
                    check=CHECK_NAME,
                    code="VESSEL_LISTED",
                    severity=Severity.CRITICAL,
                    score=1.0,
                    declaration_id=decl.declaration_id,
                    message=(
                        f"transport means IMO {vh.imo} is listed by {vh.entry.source} entry "
                        f"{vh.entry.id} '{vh.vessel_name}'"
                    ),
                    evidence=listed_evidence(
                        vh.entry,
                        vh.vessel_name,
                        party_role="transport_means",
                        field=MEANS_FIELD,
                        imo=vh.imo,
                        list_kind=vh.entry.kind.value,
                        explanation=(
                            f"IMO number {vh.imo} (valid check digit) equals the listed "
                            "vessel's IMO number: the same hull whatever its current name or flag"
                        ),
                    ),
                )
                for vh in self.vessels.match(means)
            ]
        if t.mode is not None and t.mode not in VESSEL_MODES:
            return []
        if not any(ch.isalpha() for ch in means):
            return []
        query = PartyQuery(name=means, kind="Vessel", role="transport_means")
        return [
            self._vessel_name_hit(decl, query, m)
            for m in self.screener.search(query)
            if m.entry.kind == EntryKind.VESSEL
        ]

    def _vessel_name_hit(self, decl: Declaration, query: PartyQuery, m: Match) -> Hit:
        listed = m.score >= self.screener.threshold
        return Hit(
            check=CHECK_NAME,
            code="VESSEL_NAME_MATCH",
            severity=Severity.HIGH if listed else Severity.MEDIUM,
            score=round(m.score, 4),
            declaration_id=decl.declaration_id,
            message=(
                f"transport means '{query.name}' {'matches' if listed else 'may match'} the "
                f"name of {m.entry.source} listed {m.entry.kind.value} {m.entry.id} '{m.name}' "
                f"(score {m.score:.2f}); no IMO number declared to confirm the hull"
            ),
            evidence=listed_evidence(
                m.entry,
                m.name,
                party_name=query.name,
                party_role="transport_means",
                field=MEANS_FIELD,
                list_kind=m.entry.kind.value,
                explanation=m.explanation,
            ),
        )

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
                        evidence=listed_evidence(
                            wh.entry,
                            wh.entry.primary_name,
                            party_role="payment",
                            field=f"payment.wallets[{i}]",
                            wallet=normalise_address(w.address),
                            listed_chain=wh.listed_chain,
                            explanation="exact wallet address after per-chain normalisation",
                        ),
                    )
                )
        return hits


def make_check(index: NameIndex, clearances: Clearances | None = None) -> PartiesCheck:
    """A check over an already built index (and the same entries' wallets)."""
    wallet_entries = [index.entries[i] for i in index.entries.with_wallets]
    vessel_entries = [
        index.entries[i] for i, k in enumerate(index.entries.kinds) if k == EntryKind.VESSEL
    ]
    return PartiesCheck(
        PartyScreener(index, clearances), WalletIndex(wallet_entries), VesselIndex(vessel_entries)
    )


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
