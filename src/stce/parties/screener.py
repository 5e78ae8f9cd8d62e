"""`PartyScreener`: screen party names against one list snapshot.

Thresholds (calibrated on the seeded labelled sets of `bench/parties.py`, see its report):

- `DEFAULT_THRESHOLD` = 0.80: at or above, a `PARTY_LISTED` alert.
- `REVIEW_THRESHOLD` = 0.65: from here up to the default threshold, `PARTY_POSSIBLE_MATCH`.

Scores are 0..1: the share of the list name's rarity-weighted evidence the party name
reproduces, with missing parts costing less than contradicting ones, adjusted by country,
birth date and identifiers (see `stce.parties.scorer` and `stce.parties.qualifiers`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from stce.model import EntryKind, Hit, ListEntry, Party, Severity
from stce.parties.clearance import Clearances, party_key
from stce.parties.index import EntryStore, NameIndex, QueryToken
from stce.parties.kernel import kind_mask
from stce.parties.normalise import AnalysedName, analyse, analyse_alternatives
from stce.parties.qualifiers import MAX_BOOST, adjust
from stce.parties.scorer import (
    SINGLE_PART_CAP,
    NameScore,
    Similarity,
    score_name,
    token_similarity,
)

DEFAULT_THRESHOLD = 0.80
REVIEW_THRESHOLD = 0.65
CRITICAL_SCORE = 0.95
TOP_K = 12
"""List names scored per party at most (ranked by retrieval weight)."""
RETRIEVAL_FLOOR = 0.3
"""Share of the party name's weight a list name must plausibly cover to be scored at all."""
RETRIEVAL_BOUND = 0.6
"""Optimistic score (see `NameIndex.candidates`) a list name must reach to be scored."""
CHECK_NAME = "parties"
WEAK_ALIAS_FACTOR = 0.92
"""A name the list itself calls weak (OFAC weak a.k.a., UN low quality) counts for less."""
SECOND_READING_SCORE = 0.95
"""Once a reading matches a list name this well, no further reading is tried."""

if TYPE_CHECKING:
    from stce.parties._kernel import Query

SCHEMA_KINDS: dict[str, frozenset[EntryKind]] = {
    "person": frozenset({EntryKind.PERSON, EntryKind.UNKNOWN}),
    "company": frozenset({EntryKind.ORGANISATION, EntryKind.UNKNOWN}),
    "organization": frozenset({EntryKind.ORGANISATION, EntryKind.UNKNOWN}),
    "organisation": frozenset({EntryKind.ORGANISATION, EntryKind.UNKNOWN}),
    "legalentity": frozenset({EntryKind.PERSON, EntryKind.ORGANISATION, EntryKind.UNKNOWN}),
    "vessel": frozenset({EntryKind.VESSEL, EntryKind.UNKNOWN}),
    "aircraft": frozenset({EntryKind.AIRCRAFT, EntryKind.UNKNOWN}),
}
"""Entry kinds a party of a given schema may match (FollowTheMoney schema names accepted).
A person never matches a vessel or an organisation; a legal entity may be either."""


def kinds_for(schema: str | None) -> frozenset[EntryKind] | None:
    """Allowed entry kinds for a schema name, or None for any kind."""
    if not schema:
        return None
    key = schema.strip().lower().replace("_", "").replace(" ", "")
    if key not in SCHEMA_KINDS:
        raise ValueError(
            f"unknown party kind {schema!r}; expected one of {', '.join(sorted(SCHEMA_KINDS))}"
        )
    return SCHEMA_KINDS[key]


class PartyQuery(NamedTuple):
    """A party to screen: a declaration party or a row of `stce parties screen`. (A named
    tuple: one is made and hashed, as the batch cache's key, for every party screened.)"""

    name: str
    kind: str | None = None
    country: str | None = None
    birth_date: str | None = None
    identifier: str | None = None
    role: str | None = None


@dataclass(slots=True)
class Reading:
    """One weighed reading of a party name, kept with the list names it scored best so that
    the few reported ones can be explained from it."""

    qtokens: list[QueryToken]
    qsims: list[dict[int, tuple[float, str]]]
    plan: Query | None = None
    scores: dict[int, NameScore] = field(default_factory=dict)
    """Explained scores the pure-Python scorer made already, by list name id."""


Scored = tuple[float, bool, int, Reading]
"""An entry's best list name for a party: (score, capped, list name id, its reading). A plain
tuple: the compiled kernel makes them (`Kernel.score_candidates`)."""


class Match(NamedTuple):
    """One list entry a party matches. The entry is read from the index's store on first use:
    reporting a match needs only its id and source, which the store keeps at hand. (A named
    tuple: most names screened have one or more, and a frozen dataclass costs four times as
    much to make.)"""

    entries: EntryStore
    entry_index: int
    name: str
    score: float
    name_score: float
    explanation: str

    @property
    def entry(self) -> ListEntry:
        return self.entries[self.entry_index]

    @property
    def entry_id(self) -> str:
        return self.entries.ids[self.entry_index]

    def public(self) -> dict[str, object]:
        return {
            "entry_id": self.entry_id,
            "source": self.entries.sources[self.entry_index],
            "name": self.name,
            "score": round(self.score, 4),
            "explanation": self.explanation,
        }


class PartyScreener:
    """Matches parties against a `NameIndex`; results are cached per distinct party."""

    def __init__(
        self,
        index: NameIndex,
        clearances: Clearances | None = None,
        threshold: float = DEFAULT_THRESHOLD,
        review_threshold: float = REVIEW_THRESHOLD,
        cache_size: int = 200_000,
    ) -> None:
        self.index = index
        self.clearances = clearances or Clearances()
        self.threshold = threshold
        self.review_threshold = review_threshold
        self._cache: dict[PartyQuery, list[Match]] = {}
        self._cache_size = cache_size
        self._hashes: dict[int, str] = {}
        self._listed_tokens: dict[int, list[QueryToken]] = {}

    # -- core ------------------------------------------------------------------------------

    def search(self, query: PartyQuery, floor: float | None = None) -> list[Match]:
        """Matching entries at or above `floor` (default: the review threshold), best first."""
        lowest = self.review_threshold if floor is None else floor
        key = query if floor is None else None
        if key is not None:
            hit = self._cache.get(key)
            if hit is not None:
                return hit
        result = self._search(query, lowest)
        if key is not None:
            if len(self._cache) >= self._cache_size:
                self._cache.clear()
            self._cache[key] = result
        return result

    def _search(self, query: PartyQuery, lowest: float) -> list[Match]:
        allowed = kinds_for(query.kind)
        person_query = query.kind is not None and allowed == SCHEMA_KINDS["person"]
        best: dict[int, Scored] = {}
        # the readings of `readings`, the repaired one only asked for when it can differ
        alternatives = analyse_alternatives(query.name)
        top, listed = self._score_reading(alternatives[0], allowed, person_query, best)
        for reading in alternatives[1:]:
            if top >= SECOND_READING_SCORE:
                break  # the name as written already matches: no second reading needed
            top = max(top, self._score_reading(reading, allowed, person_query, best)[0])
        if top < SECOND_READING_SCORE and not listed:
            repaired = self.index.repaired(alternatives[0])
            if repaired is not None:
                self._score_reading(analyse(repaired), allowed, person_query, best)
        out: list[Match] = []
        pkey: str | None = None
        # without country, birth date or identifier nothing can lift a score (and the entry
        # need not be read to find that out)
        margin = MAX_BOOST if query.country or query.birth_date or query.identifier else 0.0
        reach = lowest - margin
        entries = self.index.entries
        kinds = entries.kinds
        names = self.index.names
        clearances = self.clearances if len(self.clearances) else None
        person_kind = EntryKind.PERSON
        for e_idx, scored in best.items():
            if scored[0] < reach:
                continue  # most candidates: nothing more to read
            s, capped, nid, scored_from = scored
            final = s
            notes: tuple[str, ...] = ()
            if margin:
                adj = adjust(entries[e_idx], s, query.country, query.birth_date, query.identifier)
                final = max(0.0, min(1.0, s + adj.delta))
                if capped and final > s:
                    # A name capped as a lead (one shared part, generic words) stays a lead: a
                    # matching country or birth year never turns it into an alert on its own.
                    final = max(s, min(final, SINGLE_PART_CAP))
                notes = tuple(adj.notes)
            if final < lowest:
                continue
            if clearances is not None:
                pkey = pkey or party_key(query.name, query.country)
                entry_id = entries.ids[e_idx]
                if clearances.cleared(pkey, entry_id, self.entry_hash(e_idx)):
                    continue
            person = person_query or kinds[e_idx] == person_kind
            name_score, explanation = self._explained(nid, person, scored_from)
            if notes:
                explanation += "; " + "; ".join(notes)
            out.append(Match(entries, e_idx, names[nid].text, final, name_score, explanation))
        if len(out) > 1:
            out.sort(key=lambda m: (-m.score, m.entry_id))
        return out

    def readings(self, name: str) -> Iterator[AnalysedName]:
        """The ways to read a name: as analysed; in the other readings its script allows (Han
        characters as Chinese, Cantonese, Korean or Japanese; Hangul in three romanisation
        habits; see `analyse_alternatives`); and repaired (glued tokens split, misspelt
        generic words restored; see `NameIndex.repaired`). Lazily: a caller that has its
        answer stops before the repair is worked out."""
        alternatives = analyse_alternatives(name)
        yield from alternatives
        repaired = self.index.repaired(alternatives[0])
        if repaired is not None:
            yield analyse(repaired)

    def _score_reading(
        self,
        reading: AnalysedName,
        allowed: frozenset[EntryKind] | None,
        person_query: bool,
        best: dict[int, Scored],
    ) -> tuple[float, bool]:
        """Score one reading of a party name; keep the best list name per entry in `best`
        (replaced only by a higher score: on equal scores the first one scored stays).
        Returns the highest score of the reading's candidates of an allowed kind (0.0 if none),
        and whether all its name tokens are list tokens (`NameIndex.weighed_reading`).

        With the compiled kernel, candidates are retrieved and scored as numbers in two calls
        (`candidates_from_plans`, `score_candidates`); the explanation is written from the
        kernel's alignment (`_explained`) for the few list names that end up reported.
        """
        qtokens, qsims, plans, listed = self.index.weighed_reading(reading)
        if not qtokens:
            return 0.0, listed
        kernel = self.index.kernel if plans is not None else None
        nids = None
        if kernel is not None and plans is not None:
            nids = kernel.candidates_from_plans(plans, TOP_K, RETRIEVAL_FLOOR, RETRIEVAL_BOUND)
        if nids is None:
            kernel = None
            nids = self.index.candidates(qtokens, TOP_K, RETRIEVAL_FLOOR, qsims, RETRIEVAL_BOUND)
        if not nids:
            return 0.0, listed
        scored_from = Reading(qtokens, qsims)
        if kernel is not None and plans is not None:
            scored_from.plan = kernel.prepare_from_plans(plans)
            top = kernel.score_candidates(
                scored_from.plan, nids, kind_mask(allowed), person_query, best, scored_from
            )
            if top is not None:
                return top, listed
        return self._score_each(nids, allowed, person_query, best, scored_from), listed

    def _score_each(
        self,
        nids: list[int],
        allowed: frozenset[EntryKind] | None,
        person_query: bool,
        best: dict[int, Scored],
        scored_from: Reading,
    ) -> float:
        """`Kernel.score_candidates` one candidate at a time: the pure-Python path, and the
        compiled one where a name is left to the Python scorer."""
        kernel = self.index.kernel if scored_from.plan is not None else None
        top = 0.0
        for nid in nids:
            nm = self.index.names[nid]
            kind = self.index.entries.kinds[nm.entry]
            if allowed is not None and kind not in allowed:
                continue
            person = person_query or kind == EntryKind.PERSON
            fast = None
            if kernel is not None and scored_from.plan is not None:
                fast = kernel.score(scored_from.plan, nid, person)
            if fast is None:
                ns = self._name_score(nid, scored_from.qtokens, scored_from.qsims, person)
                scored_from.scores[nid] = ns
                raw, capped = ns.score, ns.capped
            else:
                raw, capped = fast
            s = raw * (WEAK_ALIAS_FACTOR if nm.weak else 1.0)
            top = max(top, s)
            prev = best.get(nm.entry)
            if prev is None or s > prev[0]:
                best[nm.entry] = (s, capped, nid, scored_from)
        return top

    def _explained(self, nid: int, person: bool, scored_from: Reading) -> tuple[float, str]:
        """The name score and explanation of a reported match: list name `nid` as scored from
        one reading of the party name.

        With the compiled kernel the explanation is written by the kernel from its alignment
        (`Kernel.explanation`); the pure-Python path explains the `NameScore` it scored.
        """
        ns = scored_from.scores.get(nid)
        if ns is not None:
            return ns.score, ns.explain()
        kernel = self.index.kernel
        plan = scored_from.plan
        if kernel is not None and plan is not None:
            written = kernel.explanation(plan, nid, person)
            if written is not None:
                return written
        ns = self._name_score(nid, scored_from.qtokens, scored_from.qsims, person)
        return ns.score, ns.explain()

    def _name_score(
        self,
        nid: int,
        qtokens: list[QueryToken],
        qsims: list[dict[int, tuple[float, str]]],
        person: bool,
    ) -> NameScore:
        """The explained score of one candidate (`score_name`), noting a weak alias."""
        nm = self.index.names[nid]
        listed = self._listed(nid)
        similarity = _similarity(qtokens, nm.tokens, nm.tids, qsims, person)
        ns = score_name(qtokens, listed, person, similarity)
        if nm.weak and ns.score > 0:
            ns.notes.append("weak alias")
        return ns

    def _listed(self, nid: int) -> list[QueryToken]:
        """List name `nid`'s tokens as the scorer weighs them: their weights are the ones the
        index worked out for the kernel (`NameIndex.name_tokens`, `weight` of each token)."""
        cached = self._listed_tokens.get(nid)
        if cached is None:
            nm = self.index.names[nid]
            laid = self.index.name_tokens
            a = laid.offsets[nid]
            weights = laid.weights[a : a + len(nm.tokens)]
            cached = [
                QueryToken(t, c, w) for t, c, w in zip(nm.tokens, nm.classes, weights, strict=True)
            ]
            self._listed_tokens[nid] = cached
        return cached

    def entry_hash(self, e_idx: int) -> str:
        h = self._hashes.get(e_idx)
        if h is None:
            h = self.index.entries.content_hash(e_idx)
            self._hashes[e_idx] = h
        return h

    def score_pair(self, name1: str, name2: str, schema: str | None = None) -> NameScore:
        """Score two free names (for `stce parties compare`): weights come from the index.

        Both names are read every way the screener reads a party name; the best reading wins.
        """
        kinds = kinds_for(schema)
        person = kinds is not None and EntryKind.PERSON in kinds and len(kinds) == 2
        listed = []
        for b in self.readings(name2):
            c, _, _ = self.index.weighed(b)
            listed.append((c, [self.index.vocab.get(t.token, -1) for t in c]))
        best = NameScore(0.0)
        for a in self.readings(name1):
            q, qsims, _ = self.index.weighed(a)
            for c, tids in listed:
                tokens = [t.token for t in c]
                ns = score_name(q, c, person, _similarity(q, tokens, tids, qsims, person))
                if ns.score > best.score or not best.matched:
                    best = ns
        return best

    # -- hits ------------------------------------------------------------------------------

    def match(self, party: Party | PartyQuery) -> list[Hit]:
        """Hits for one party: `PARTY_LISTED` at or above the threshold, else possible match."""
        query = to_query(party)
        return [self.to_hit(query, m) for m in self.search(query)]

    def match_many(self, parties: Iterable[Party | PartyQuery]) -> list[list[Hit]]:
        """Hits per party, each distinct party scored once."""
        return [self.match(p) for p in parties]

    def to_hit(self, query: PartyQuery, m: Match) -> Hit:
        listed = m.score >= self.threshold
        if listed:
            severity = Severity.CRITICAL if m.score >= CRITICAL_SCORE else Severity.HIGH
            code = "PARTY_LISTED"
            verb = "matches"
        else:
            severity = Severity.MEDIUM
            code = "PARTY_POSSIBLE_MATCH"
            verb = "may match"
        role = query.role or "party"
        return Hit(
            check=CHECK_NAME,
            code=code,
            severity=severity,
            score=round(m.score, 4),
            message=(
                f"{role} '{query.name}' {verb} {m.entry.source} entry {m.entry.id} "
                f"'{m.name}' (score {m.score:.2f})"
            ),
            evidence=listed_evidence(
                m.entry,
                m.name,
                party_name=query.name,
                party_role=role,
                list_kind=m.entry.kind.value,
                explanation=m.explanation,
            ),
        )


def listed_evidence(entry: ListEntry, matched_name: str, **details: object) -> dict[str, object]:
    """A list hit's evidence: which entry of which list (and programmes) under which name,
    then what the hit adds (role, field, explanation...)."""
    return {
        "entry_id": entry.id,
        "source": entry.source,
        "programmes": list(entry.programmes),
        "matched_name": matched_name,
        **details,
    }


def _similarity(
    query: Sequence[QueryToken],
    listed: Sequence[str],
    tids: Sequence[int],
    qsims: Sequence[dict[int, tuple[float, str]]],
    person: bool,
) -> Similarity:
    """Token similarity from the index lookups already made for the query."""

    def sim(i: int, j: int) -> tuple[float, str]:
        q, c = query[i].token, listed[j]
        tid = tids[j]
        if len(q) == 1 or len(c) == 1 or tid < 0:
            return token_similarity(q, c, person, query[i].abjad)
        return qsims[i].get(tid, _NO_MATCH)

    return sim


_NO_MATCH = (0.0, "")


def to_query(party: Party | PartyQuery) -> PartyQuery:
    if isinstance(party, PartyQuery):
        return party
    # Every party of a declaration (consignor, consignee, end user, carrier, forwarder…) is a
    # person or an organisation: a listed vessel or aircraft of the same name is not it.
    return PartyQuery(
        name=party.name,
        kind="LegalEntity",
        country=party.country,
        identifier=party.id,
        role=party.role.value,
    )


def screen_names(screener: PartyScreener, names: Sequence[str]) -> list[list[Match]]:
    """Convenience for benchmarks and tests: plain names, no qualifiers."""
    return [screener.search(PartyQuery(n)) for n in names]
