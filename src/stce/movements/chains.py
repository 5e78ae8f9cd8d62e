"""Linking legs into chains: arrival → storage or free zone → onward leg.

A later leg finds an earlier one by, strongest first: a previous-document reference (the earlier
declaration's id or transport document), the same transport document, a shared container (within
a time window, as containers are reused), or (party, goods) similarity: the onward consignor is
the arriving consignee and the HS heading is the same (within a window). The index lives in
memory for a screening run; the store persists it between batches (`stce.store.movements`).
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median

from stce.movements.legs import Leg, norm_ref, party_goods_keys
from stce.movements.rules import MovementRules


@dataclass(frozen=True)
class Link:
    predecessor: str
    """Declaration id of the earlier leg."""
    via: str
    """previous_document, transport_document, container or party_goods."""
    key: str


MAX_CANDIDATES_PER_KEY = 64
_STRENGTH = {"previous_document": 4, "transport_document": 3, "container": 2, "party_goods": 1}


class ChainIndex:
    """Legs by declaration id, chain ids, and the keys by which later legs find earlier ones."""

    def __init__(
        self, rules: MovementRules, legs: Iterable[tuple[Leg, str, Link | None]] = ()
    ) -> None:
        self.rules = rules
        self.legs: dict[str, Leg] = {}
        self.chain_of: dict[str, str] = {}
        self.links: dict[str, Link] = {}
        self._keys: dict[str, list[str]] = {}
        self._members: dict[str, list[str]] = {}
        self._successors: dict[str, set[str]] = {}
        self._dwell: dict[tuple[str, str], DwellStats] = {}
        self._pending: dict[str, None] = {}
        self._waiting: dict[str, list[tuple[str, str]]] = {}
        self._offered: dict[str, tuple[Leg, list[str]]] = {}
        self.adopted: list[str] = []
        """Legs the last `add` linked behind the new leg (their predecessor came late)."""
        for leg, chain_id, link in sorted(legs, key=lambda t: _ts(t[0])):
            self._store(leg, chain_id, link)
        self._pending.clear()

    # -- keys --------------------------------------------------------------------------------
    @staticmethod
    def offered_keys(leg: Leg) -> list[str]:
        """Keys under which later legs can find `leg`."""
        keys = [f"decl:{norm_ref(leg.declaration_id)}"]
        if leg.transport_doc:
            keys.append(f"td:{leg.transport_doc}")
        keys += [f"ct:{c}" for c in leg.containers]
        keys += party_goods_keys(leg.consignee, leg)
        return keys

    def _offered_of(self, leg: Leg) -> list[str]:
        """`offered_keys`, computed once per leg version (linking asks twice)."""
        got = self._offered.get(leg.declaration_id)
        if got is None or got[0] is not leg:
            got = (leg, self.offered_keys(leg))
            self._offered[leg.declaration_id] = got
        return got[1]

    @staticmethod
    def wanted_keys(leg: Leg) -> list[tuple[str, str]]:
        """Keys `leg` looks up, with the kind of link each gives."""
        out: list[tuple[str, str]] = []
        for ref in leg.previous:
            out += [
                (f"decl:{norm_ref(ref)}", "previous_document"),
                (f"td:{norm_ref(ref)}", "previous_document"),
            ]
        if leg.transport_doc:
            out.append((f"td:{leg.transport_doc}", "transport_document"))
        out += [(f"ct:{c}", "container") for c in leg.containers]
        out += [(k, "party_goods") for k in party_goods_keys(leg.consignor, leg)]
        return out

    # -- linking -------------------------------------------------------------------------------
    def find_link(self, leg: Leg) -> Link | None:
        """The best earlier leg for `leg`: strongest kind of link, then the closest in time."""
        best: tuple[int, float, Link] | None = None
        t = _ts(leg)
        for key, via in self.wanted_keys(leg):
            # Newest first, and only the latest few per key: a busy forwarder's name or a
            # reused container must not make linking quadratic.
            for other_id in reversed(self._keys.get(key, [])[-MAX_CANDIDATES_PER_KEY:]):
                if other_id == leg.declaration_id:
                    continue
                other = self.legs[other_id]
                dt = t - _ts(other)
                if dt < 0:
                    continue
                window = {
                    "container": self.rules.container_window_days,
                    "party_goods": self.rules.party_goods_window_days,
                }.get(via)
                if window is not None and dt > window * 86400:
                    continue
                cand = (_STRENGTH[via], -dt, Link(other_id, via, key))
                if best is None or cand[:2] > best[:2]:
                    best = cand
        return best[2] if best else None

    def add(self, leg: Leg) -> tuple[str, Link | None]:
        """Put `leg` in its chain (re-screening replaces the earlier version of the leg)."""
        old_chain = self.chain_of.get(leg.declaration_id)
        if old_chain is not None:
            self._forget(leg.declaration_id)
        link = self.find_link(leg)
        if link is not None:
            chain_id = self.chain_of[link.predecessor]
        else:
            chain_id = old_chain or leg.declaration_id
        orphans = self._orphans_of(leg)
        self.adopted = []
        if link is not None or old_chain is not None or orphans or self.anchors(leg):
            self._store(leg, chain_id, link)
            for did, via, key in orphans:
                if self._relink(did, Link(leg.declaration_id, via, key)):
                    self.adopted.append(did)
        else:
            self._offered.pop(leg.declaration_id, None)
        return self.chain_of.get(leg.declaration_id, chain_id), link

    def _orphans_of(self, leg: Leg) -> list[tuple[str, str, str]]:
        """Later legs, recorded before `leg` and linked to nothing, that were looking for it
        (a predecessor declared late). Each orphan once, by its first matching key."""
        t = _ts(leg)
        found: dict[str, tuple[str, str, str]] = {}
        for key in self._offered_of(leg):
            for did, via in self._waiting.get(key, [])[-MAX_CANDIDATES_PER_KEY:]:
                other = self.legs.get(did)
                if other is None or did in self.links or did == leg.declaration_id:
                    continue
                dt = _ts(other) - t
                window = {
                    "container": self.rules.container_window_days,
                    "party_goods": self.rules.party_goods_window_days,
                }.get(via)
                if dt < 0 or (window is not None and dt > window * 86400):
                    continue
                found.setdefault(did, (did, via, key))
        return list(found.values())

    def _relink(self, did: str, link: Link) -> bool:
        """Attach an orphan leg (and its chain) behind `link.predecessor`."""
        old_chain, new_chain = self.chain_of[did], self.chain_of[link.predecessor]
        if old_chain == new_chain:
            return False
        self.links[did] = link
        self._successors.setdefault(link.predecessor, set()).add(did)
        hours = self.dwell_hours(self.legs[link.predecessor], self.legs[did])
        if hours is not None:
            pair = (self.legs[link.predecessor].procedure.value, self.legs[did].procedure.value)
            self._dwell.setdefault(pair, DwellStats()).add(hours)
        for member in self._members.pop(old_chain, []):
            self.chain_of[member] = new_chain
            self._members.setdefault(new_chain, []).append(member)
            self._pending[member] = None
        return True

    def anchors(self, leg: Leg) -> bool:
        """Whether an unlinked leg can start a chain: goods arriving for onward movement or
        entering a zone. Ordinary exports and imports that link to nothing are not kept, which
        keeps the index (and the store) to the legs that matter."""
        return leg.procedure.value in self.rules.anchor_procedures or leg.zone_id is not None

    def _store(self, leg: Leg, chain_id: str, link: Link | None) -> None:
        did = leg.declaration_id
        self.legs[did] = leg
        self.chain_of[did] = chain_id
        self._members.setdefault(chain_id, []).append(did)
        if link is not None and link.predecessor in self.legs:
            self.links[did] = link
            self._successors.setdefault(link.predecessor, set()).add(did)
            hours = self.dwell_hours(self.legs[link.predecessor], leg)
            if hours is not None:
                pair = (self.legs[link.predecessor].procedure.value, leg.procedure.value)
                self._dwell.setdefault(pair, DwellStats()).add(hours)
        else:
            for key, via in self.wanted_keys(leg):
                self._waiting.setdefault(key, []).append((did, via))
        for key in self._offered_of(leg):
            self._keys.setdefault(key, []).append(did)
        self._pending[did] = None

    def _forget(self, did: str) -> None:
        leg = self.legs.pop(did)
        chain = self.chain_of.pop(did)
        members = self._members.get(chain, [])
        if did in members:
            members.remove(did)
        link = self.links.pop(did, None)
        if link is not None:
            self._successors.get(link.predecessor, set()).discard(did)
        popped = self._offered.pop(did, None)
        for key in popped[1] if popped else self.offered_keys(leg):
            ids = self._keys.get(key, [])
            if did in ids:
                ids.remove(did)

    # -- queries -------------------------------------------------------------------------------
    def chain(self, chain_id: str) -> list[Leg]:
        return sorted((self.legs[d] for d in self._members.get(chain_id, [])), key=_ts)

    def ancestors(self, did: str) -> list[Leg]:
        """Earlier legs of the chain reached through links, nearest first."""
        out: list[Leg] = []
        seen = {did}
        cur = self.links.get(did)
        while cur is not None and cur.predecessor not in seen and cur.predecessor in self.legs:
            seen.add(cur.predecessor)
            out.append(self.legs[cur.predecessor])
            cur = self.links.get(cur.predecessor)
        return out

    def successors(self, did: str) -> set[str]:
        return set(self._successors.get(did, set()))

    def dwell_stats(self, before: str, after: str) -> DwellStats | None:
        return self._dwell.get((before, after))

    @staticmethod
    def dwell_hours(earlier: Leg, later: Leg) -> float | None:
        if earlier.lodged_at is None or later.lodged_at is None:
            return None
        return (later.lodged_at - earlier.lodged_at) / timedelta(hours=1)

    def pending(self) -> list[tuple[Leg, str, Link | None]]:
        """Legs added or changed since the index was loaded (for the store to persist)."""
        return [
            (self.legs[d], self.chain_of[d], self.links.get(d))
            for d in self._pending
            if d in self.legs
        ]

    def clear_pending(self) -> None:
        self._pending.clear()

    def __len__(self) -> int:
        return len(self.legs)


def _ts(leg: Leg) -> float:
    return leg.lodged_at.timestamp() if leg.lodged_at else 0.0


class DwellStats:
    """Recent dwell times (hours) between two procedures, with a robust centre and spread.

    Keeps the latest `window` samples as logarithms; their median and MAD are recomputed after
    every `refresh` new samples (always while the history is short), so scoring a leg costs O(1)
    however long the history. The leg being scored is already among the samples: median and MAD
    are robust to it.
    """

    def __init__(self, window: int = 2000, refresh: int = 50) -> None:
        self.samples: deque[float] = deque(maxlen=window)
        self.refresh = refresh
        self._added = 0
        self._stats: tuple[float, float] | None = None

    def add(self, hours: float) -> None:
        self.samples.append(math.log1p(max(hours, 0.0)))
        self._added += 1
        if len(self.samples) < 4 * self.refresh or self._added >= self.refresh:
            self._stats = None

    def __len__(self) -> int:
        return len(self.samples)

    def robust_z(self, hours: float) -> float | None:
        """Distance of log(hours) from the median in MAD units (None when the spread is 0)."""
        if not self.samples:
            return None
        if self._stats is None:
            logs = list(self.samples)
            med = median(logs)
            self._stats = (med, median(abs(x - med) for x in logs))
            self._added = 0
        med, mad = self._stats
        if mad <= 0:
            return None
        return 0.6745 * (math.log1p(max(hours, 0.0)) - med) / mad


def overdue_transits(index: ChainIndex, as_of: datetime) -> list[Leg]:
    """Transit legs older than the time limit with no later leg linked to them."""
    limit = timedelta(days=index.rules.transit_limit_days)
    out: list[Leg] = []
    for did, leg in index.legs.items():
        if leg.procedure.value != "transit" or leg.lodged_at is None:
            continue
        if as_of - leg.lodged_at > limit and not index.successors(did):
            out.append(leg)
    return sorted(out, key=_ts)
