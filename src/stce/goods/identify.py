"""Commodity identification: from an HS code, a description and a CAS number to the candidate
control-list entries, each with the evidence that points to it.

This is the first step the WCO STCE programme teaches officers (HS code and description →
candidate entries → technical reach-back). It never decides that goods are controlled: it says
whether they are *potentially strategic*, how strongly, and why.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from stce.goods.cas import CAS_PATTERN, find_cas, is_valid_cas
from stce.goods.index import MatcherIndex, PhraseMatch, PhraseRef, negated, word_frequencies
from stce.goods.kb import Chemical, ControlEntry, KnowledgeBase, Measure, knowledge_base
from stce.goods.quantities import Quantity, parse_quantities
from stce.goods.text import tokens
from stce.model.declaration import GoodsItem
from stce.refdata.hs import HsNomenclature, HsStatus

# Evidence weights, combined per entry as a noisy-or: 1 - Π(1 - w).
W_CAS = 0.98
W_CHEMICAL_NAME = 0.9
W_NAME = 0.75
W_HS_EXACT = 0.7
W_HS_EXACT_WATCH = 0.35
W_HS_PARTIAL = 0.2
W_KEYWORD = 0.3
W_KEYWORD_MORE = 0.15
W_MEASURE = 0.35
FUZZY_FACTOR = 0.9
REORDER_FACTOR = 0.9
STRATEGIC_THRESHOLD = 0.6
MAX_CANDIDATES = 10
SCORED_MEMO_MAX = 20_000
"""Distinct signal sets whose scoring is remembered (then the memo starts afresh); an
assessment with its candidates and evidence takes a few kilobytes."""
READINGS_MAX = 50_000
"""Distinct line shapes whose reading is remembered (a few hundred bytes each)."""

VAGUE_TOKENS = frozenset(
    tokens(
        "part parts spare spares equipment sample samples machine machines machinery goods item "
        "items accessory accessories component components material materials chemical chemicals "
        "product products misc miscellaneous various assorted general cargo unit units device "
        "devices apparatus tool tools kit kits set sets instrument instruments supplies stuff "
        "commodity commodities merchandise article articles other others pcs pc piece pieces new "
        "used industrial consumables system systems module modules assembly assemblies invoice "
        "per see attached list freight etc nec n e c of and for the with as in to a an on or "
        "spare-parts hardware electronic electronics raw replacement repair maintenance lot "
        "mixed samples laboratory lab technical"
    )
)


@dataclass(frozen=True, slots=True)
class GoodsQuery:
    """A goods line to identify; any of the fields may be missing."""

    description: str = ""
    hs_code: str | None = None
    cas: str | None = None
    origin: str | None = None
    quantity: float | None = None
    value: float | None = None
    line: int | None = None


@dataclass(slots=True)
class Evidence:
    kind: str
    """cas | chemical_name | name | keyword | hs_exact | hs_partial | parameter"""
    detail: str
    weight: float


@dataclass(slots=True)
class Candidate:
    entry: str
    regimes: list[str]
    title: str
    score: float
    severity: str
    category: str
    watch_only: bool
    evidence: list[Evidence] = field(default_factory=list)

    def reasons(self) -> list[str]:
        return [e.detail for e in self.evidence]


@dataclass(slots=True)
class GoodsWarning:
    code: str
    """misclassified | vague_description | hs2017_only | hs_unknown | cas_invalid"""
    message: str
    entries: list[str] = field(default_factory=list)


@dataclass(slots=True)
class ChemicalHit:
    cas: str
    name: str
    entries: list[str]
    how: str
    """declared | in_description | by_name"""


@dataclass(slots=True)
class GoodsAssessment:
    """What identification found for one goods line.

    Read-only for callers: lines with the same reading share one assessment (identical lines,
    lines with nothing to report, lines whose signals were scored before), which is what
    keeps millions of lines a day cheap."""

    strategic: bool
    confidence: float
    candidates: list[Candidate] = field(default_factory=list)
    warnings: list[GoodsWarning] = field(default_factory=list)
    chemicals: list[ChemicalHit] = field(default_factory=list)
    hs_watchlist: bool = False
    hs_status: str | None = None
    hs_successors: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class _Acc:
    """Evidence gathered for one entry while a line is scanned."""

    __slots__ = ("desc", "evidence", "hs", "keywords", "strong")

    def __init__(self) -> None:
        self.evidence: list[Evidence] = []
        self.keywords = 0
        self.strong = False
        self.desc = False
        self.hs = False

    def add(self, ev: Evidence) -> None:
        self.evidence.append(ev)


_Phrase = tuple[PhraseRef, bool, bool]
"""A phrase that counts for a line: (what it points at, fuzzy, words reordered)."""
_Signals = tuple[str, str, tuple[tuple[str, bool], ...], int, tuple[Quantity, ...]]
"""Everything the scoring of a line depends on: (HS 6, declared CAS, CAS numbers in the text
with their check, the phrases that count (by id), quantities)."""


@dataclass(frozen=True, slots=True)
class _Reading:
    """What the scan of one line shape found."""

    phrases: tuple[_Phrase, ...]
    phrases_id: int
    """Stands for `phrases` in memo keys (cheaper to hash than the phrases themselves)."""
    vague: bool
    measured: bool
    """A phrase points at an entry with technical thresholds: read the quantities."""


@dataclass(frozen=True, slots=True)
class _EntryFacts:
    """What identification needs of a control entry on every line, read off it once (the
    pydantic models and enums are slow to walk line after line)."""

    regimes: list[str]
    """Shared by every candidate of the entry (assessments are read-only)."""
    title: str
    severity: str
    severity_rank: int
    category: str
    watch_only: bool
    n_chemicals: int
    hs_codes: frozenset[str]
    measures: tuple[tuple[str, Measure], ...]

    @classmethod
    def of(cls, e: ControlEntry, kb: KnowledgeBase) -> _EntryFacts:
        sev = _severity(e)
        return cls(
            regimes=[r.value for r in e.regimes],
            title=e.title,
            severity=sev,
            severity_rank=_SEV_RANK[sev],
            category=e.category.value,
            watch_only=e.watch_only,
            n_chemicals=len(kb.chemicals_by_entry.get(e.id, ())),
            hs_codes=frozenset(e.hs_codes),
            measures=tuple((m.quantity.dimension, m) for m in e.measures),
        )


class GoodsIdentifier:
    """Identification over one knowledge base (and optionally the HS nomenclature)."""

    def __init__(self, kb: KnowledgeBase | None = None, hs: HsNomenclature | None = None) -> None:
        self.kb = kb or knowledge_base()
        self.hs = hs
        common = word_frequencies(hs.hs2022.values()) if hs is not None else None
        self.index = MatcherIndex.build(self.kb, common, keep=VAGUE_TOKENS)
        # what a candidate shows of its entry, worked out once instead of per line
        self._entry_facts = {eid: _EntryFacts.of(e, self.kb) for eid, e in self.kb.entries.items()}
        self._measured = frozenset(eid for eid, e in self.kb.entries.items() if e.measures)
        self._scored: dict[_Signals, GoodsAssessment] = {}
        self._kept: dict[tuple[str, str, str], GoodsAssessment] = {}
        self._nothing = GoodsAssessment(strategic=False, confidence=0.0)
        self._nothing_hs2022 = GoodsAssessment(strategic=False, confidence=0.0, hs_status="hs2022")
        self._ordinary_hs = frozenset(
            (hs.hs2022.keys() if hs is not None else set()) - self.index.watchlist
        )
        """HS 2022 subheadings no control entry correlates with."""
        self._readings: dict[tuple[str, ...], _Reading] = {}
        self._reading_ids: dict[tuple[_Phrase, ...], int] = {}
        self._next_id = itertools.count()

    @property
    def version(self) -> str:
        return self.kb.version

    # ---- public -------------------------------------------------------------------------

    def identify(self, item: GoodsQuery | GoodsItem | Mapping[str, Any]) -> GoodsAssessment:
        """Assess one goods line."""
        q = _as_query(item)
        return self._assess(q.description or "", (q.hs_code or "").strip(), (q.cas or "").strip())

    def identify_many(
        self, items: Iterable[GoodsQuery | GoodsItem | Mapping[str, Any]], *, keep: bool = False
    ) -> list[GoodsAssessment]:
        """Assess a batch; identical (HS, description, CAS) lines are assessed once.

        With `keep`, the batch's answers are kept until the next batch kept, and every batch
        looks there first: when the goods check of a run keeps its batch, the licence and
        movement determiners that ask about the same lines afterwards get those answers
        instead of identifying the lines again."""
        cache: dict[tuple[str, str, str], GoodsAssessment] = {}
        kept = self._kept
        out: list[GoodsAssessment] = []
        for item in items:
            q = item if type(item) is GoodsQuery else _as_query(item)
            key = ((q.hs_code or "").strip()[:6], q.description or "", (q.cas or "").strip())
            hit = cache.get(key)
            if hit is None:
                hit = kept.get(key)
                if hit is None:
                    hit = self._assess(key[1], key[0], key[2])
                cache[key] = hit
            out.append(hit)
        if keep:
            self._kept = cache
        return out

    def forget(self) -> None:
        """Drop the readings, scorings and kept batch shared between lines (memory;
        measurements of first-sight cost). Answers do not change."""
        self._readings.clear()
        self._reading_ids.clear()
        self._scored.clear()
        self._kept = {}

    # ---- the work ------------------------------------------------------------------------

    def _assess(self, description: str, hs_code: str, cas: str) -> GoodsAssessment:
        idx = self.index
        hs_code = hs_code.strip()
        hs6 = hs_code[:6] if len(hs_code) >= 6 and hs_code[:6].isdigit() else ""
        raws = idx.raw_tokens(description)
        cas_like = "-" in description and CAS_PATTERN.search(description) is not None
        plain = (
            not hs6 or hs6 in self._ordinary_hs or (self.hs is None and hs6 not in idx.watchlist)
        )
        if not cas and plain and not cas_like and idx.nothing_in_raw(raws):
            # ordinary code, no CAS, no word of interest: nothing to report
            return self._nothing_hs2022 if hs6 else self._nothing
        shape = idx.shape(raws)
        reading = self._readings.get(shape)
        if reading is None:
            reading = self._read(shape)
        if not reading.phrases and not cas and not cas_like and plain:
            # nothing in the text, no CAS and an ordinary code: nothing to report either
            return self._nothing_hs2022 if hs6 else self._nothing
        return self._full(description, reading, hs6, cas, cas_like)

    def _read(self, shape: tuple[str, ...]) -> _Reading:
        """Scan a line shape (see `MatcherIndex.shape`) once: the phrases that count and
        whether the description is vague."""
        toks, matches = self.index.scan_raw(list(shape))
        phrases = self._phrases(toks, matches) if matches else ()
        pid = self._reading_ids.get(phrases)
        if pid is None:
            if len(self._reading_ids) >= READINGS_MAX:
                self._reading_ids.clear()  # ids are never reused: stale keys just miss
            pid = self._reading_ids[phrases] = next(self._next_id)
        measured = any(p[0].entry_id in self._measured for p in phrases)
        reading = _Reading(phrases, pid, _is_vague(toks), measured)
        if len(self._readings) >= READINGS_MAX:
            self._readings.clear()
        self._readings[shape] = reading
        return reading

    def _vague(self, description: str, hs6: str, cands: list[Candidate]) -> GoodsWarning:
        return GoodsWarning(
            "vague_description",
            f"description {description!r} is too vague for watch-listed HS {hs6}",
            [c.entry for c in cands if any(e.kind.startswith("hs_") for e in c.evidence)],
        )

    def _full(
        self, description: str, reading: _Reading, hs6: str, cas: str, cas_like: bool
    ) -> GoodsAssessment:
        """Gather the line's signals (the phrases of its reading, its CAS numbers and, when
        an entry they point at has thresholds, its quantities) and score them. Scoring
        depends on nothing else, so it is done once per distinct set of signals: the same
        strategic-looking text under the same code recurs with other quantities, packings and
        model numbers. Only the vague-description warning quotes the line itself."""
        text_cas = tuple(find_cas(description)) if cas_like else ()
        phrases = reading.phrases
        qty: tuple[Quantity, ...] = ()
        if (reading.measured or ((cas or text_cas) and self._cas_measured(cas, text_cas))) and (
            _DIGIT.search(description)
        ):
            qty = tuple(parse_quantities(description))
        key: _Signals = (hs6, cas, text_cas, reading.phrases_id, qty)
        base = self._scored.get(key)
        if base is None:
            base = self._score(hs6, cas, text_cas, phrases, qty)
            if len(self._scored) >= SCORED_MEMO_MAX:
                self._scored.clear()  # generational reset keeps memory bounded
            self._scored[key] = base
        if not (base.hs_watchlist and reading.vague):
            return base
        return GoodsAssessment(
            strategic=base.strategic,
            confidence=base.confidence,
            candidates=base.candidates,
            warnings=[*base.warnings, self._vague(description, hs6, base.candidates)],
            chemicals=base.chemicals,
            hs_watchlist=base.hs_watchlist,
            hs_status=base.hs_status,
            hs_successors=base.hs_successors,
        )

    def _phrases(self, toks: list[str], matches: list[PhraseMatch]) -> tuple[_Phrase, ...]:
        """The matched phrases that count, in order: not inside a longer match for the same
        entry, not negated, not under an exclusion of their entry, each once."""
        idx = self.index
        excluded: set[str] = set()
        for eid in {m.ref.entry_id for m in matches}:
            if eid in idx.exclusions and idx.excluded(eid, toks) is not None:
                excluded.add(eid)
        out: list[_Phrase] = []
        seen: set[tuple[str, str]] = set()
        for m in _longest(matches):
            ref = m.ref
            if ref.kind == "exclusion" or ref.entry_id in excluded:
                continue
            if not m.reordered and negated(toks, m.start):
                continue
            k = (ref.entry_id, ref.text)
            if k in seen:
                continue
            seen.add(k)
            out.append((ref, m.fuzzy, m.reordered))
        return tuple(out)

    def _cas_measured(self, cas: str, text_cas: tuple[tuple[str, bool], ...]) -> bool:
        """True when a chemical the line names by CAS is under an entry with thresholds."""
        measured = self._measured
        chems = self.index.cas_chemicals
        for c in (cas, *(f for f, ok in text_cas if ok)):
            chem = chems.get(c) if c else None
            if chem is not None and any(e in measured for e in chem.entries):
                return True
        return False

    def _score(
        self,
        hs6: str,
        cas: str,
        text_cas: tuple[tuple[str, bool], ...],
        phrases: tuple[_Phrase, ...],
        qty: tuple[Quantity, ...],
    ) -> GoodsAssessment:
        """The assessment of one set of signals, without the vague-description warning."""
        idx = self.index
        accs: dict[str, _Acc] = {}
        warnings: list[GoodsWarning] = []
        chemicals: list[ChemicalHit] = []
        matched_chems: dict[str, Chemical] = {}

        def acc(eid: str) -> _Acc:
            a = accs.get(eid)
            if a is None:
                a = accs[eid] = _Acc()
            return a

        # CAS: declared, then any in the text
        cas_seen: set[str] = set()
        if cas:
            if not is_valid_cas(cas):
                warnings.append(
                    GoodsWarning("cas_invalid", f"declared CAS {cas!r} has a wrong check digit")
                )
            else:
                self._cas_evidence(cas, "declared", acc, chemicals, matched_chems, cas_seen)
        for found, ok in text_cas:
            if found in cas_seen:
                continue
            if not ok:
                warnings.append(
                    GoodsWarning(
                        "cas_invalid", f"CAS {found!r} in the description has a wrong check digit"
                    )
                )
                continue
            self._cas_evidence(found, "in_description", acc, chemicals, matched_chems, cas_seen)

        # description phrases
        for ref, fuzzy, reordered in phrases:
            a = acc(ref.entry_id)
            fz = (FUZZY_FACTOR if fuzzy else 1.0) * (REORDER_FACTOR if reordered else 1.0)
            spelled = " (fuzzy match)" if fuzzy else ""
            if reordered:
                spelled += " (words reordered)"
            if ref.kind == "chemical" and ref.cas:
                a.strong = a.desc = True
                chem = idx.cas_chemicals[ref.cas]
                if ref.cas not in cas_seen:
                    cas_seen.add(ref.cas)
                    matched_chems[ref.cas] = chem
                    chemicals.append(ChemicalHit(ref.cas, chem.name, list(chem.entries), "by_name"))
                a.add(
                    Evidence(
                        "chemical_name",
                        f"description names {ref.text!r}{spelled} = CAS {ref.cas}",
                        W_CHEMICAL_NAME * fz,
                    )
                )
            elif ref.kind == "name":
                a.strong = a.desc = True
                a.add(Evidence("name", f"description matches {ref.text!r}{spelled}", W_NAME * fz))
            elif ref.kind == "keyword":
                a.desc = True
                w = W_KEYWORD if a.keywords == 0 else W_KEYWORD_MORE if a.keywords < 3 else 0.0
                a.keywords += 1
                if w:
                    a.add(
                        Evidence("keyword", f"description mentions {ref.text!r}{spelled}", w * fz)
                    )

        # HS correlation
        hs_status: str | None = None
        successors: list[str] = []
        links: list[tuple[str, str, str]] = []  # (entry, match, via-code)
        if hs6:
            status = self.hs.status(hs6) if self.hs is not None else HsStatus.HS2022
            hs_status = status.value
            if status is HsStatus.HS2017_ONLY and self.hs is not None:
                successors = self.hs.successors(hs6)
                warnings.append(
                    GoodsWarning(
                        "hs2017_only",
                        f"HS {hs6} exists only in HS 2017; HS 2022 successors: "
                        f"{', '.join(successors) or 'none recorded'}",
                    )
                )
                for s in successors:
                    links.extend((e, "partial", s) for e, _ in idx.hs_links.get(s, []))
            elif status is HsStatus.UNKNOWN:
                warnings.append(
                    GoodsWarning("hs_unknown", f"HS {hs6} is not an HS 2022 or HS 2017 subheading")
                )
            links.extend((e, mt, hs6) for e, mt in idx.hs_links.get(hs6, []))
        facts = self._entry_facts
        for eid, match, via in links:
            a = acc(eid)
            if a.hs:
                continue
            a.hs = True
            if match == "exact":
                w = W_HS_EXACT_WATCH if facts[eid].watch_only else W_HS_EXACT
                a.add(Evidence("hs_exact", f"HS {via} correlates exactly with {eid}", w))
            else:
                a.add(
                    Evidence("hs_partial", f"HS {via} partly correlates with {eid}", W_HS_PARTIAL)
                )

        # technical parameters, only for entries the description itself points at
        if qty:
            for eid, a in accs.items():
                measures = facts[eid].measures
                if not measures or not a.desc:
                    continue
                n = 0
                for dim, meas in measures:
                    for qv in qty:
                        if qv.dimension == dim and meas.admits(qv.value):
                            a.add(
                                Evidence("parameter", f"{qv.text!r} meets {meas.label}", W_MEASURE)
                            )
                            n += 1
                            break
                    if n >= 2:
                        break

        candidates = self._rank(accs)
        top = next((c for c in candidates if not c.watch_only), None)
        strategic = top is not None and top.score >= STRATEGIC_THRESHOLD
        confidence = candidates[0].score if candidates else 0.0
        if strategic and top is not None:
            confidence = top.score
        in_watch = bool(hs6) and (
            hs6 in idx.watchlist or any(s in idx.watchlist for s in successors)
        )

        if hs6 and hs_status != HsStatus.UNKNOWN.value:
            warnings.extend(self._misclassified(hs6, successors, candidates, accs, matched_chems))
        return GoodsAssessment(
            strategic=strategic,
            confidence=round(confidence, 4),
            candidates=candidates,
            warnings=warnings,
            chemicals=chemicals,
            hs_watchlist=in_watch,
            hs_status=hs_status,
            hs_successors=successors,
        )

    def _cas_evidence(
        self,
        cas: str,
        how: str,
        acc: Any,
        chemicals: list[ChemicalHit],
        matched: dict[str, Chemical],
        seen: set[str],
    ) -> None:
        seen.add(cas)
        chem = self.index.cas_chemicals.get(cas)
        if chem is None:
            return
        matched[cas] = chem
        chemicals.append(ChemicalHit(cas, chem.name, list(chem.entries), how))
        where = "declared" if how == "declared" else "in the description"
        for eid in chem.entries:
            a = acc(eid)
            a.strong = a.desc = True
            a.add(Evidence("cas", f"CAS {cas} ({chem.name}) {where}", W_CAS))

    def _rank(self, accs: dict[str, _Acc]) -> list[Candidate]:
        out: list[tuple[tuple[float, bool, int, int, str], Candidate]] = []
        facts = self._entry_facts
        for eid, a in accs.items():
            evidence = a.evidence
            if not evidence:
                continue
            miss = 1.0
            for ev in evidence:
                miss *= 1.0 - ev.weight
            if len(evidence) > 1:
                evidence.sort(key=_by_weight)  # the accumulator's own list: sort in place
            f = facts[eid]
            score = round(1.0 - miss, 4)
            c = Candidate(
                entry=eid,
                regimes=f.regimes,
                title=f.title,
                score=score,
                severity=f.severity,
                category=f.category,
                watch_only=f.watch_only,
                evidence=evidence,
            )
            # ties: the more specific entry first (a CWC item before the whole AG list)
            out.append(((-score, f.watch_only, f.n_chemicals, -f.severity_rank, eid), c))
        out.sort(key=_first)
        return [c for _, c in out[:MAX_CANDIDATES]]

    def _misclassified(
        self,
        hs6: str,
        successors: list[str],
        candidates: list[Candidate],
        accs: dict[str, _Acc],
        chems: dict[str, Chemical],
    ) -> list[GoodsWarning]:
        declared = {hs6, *successors}
        out: list[GoodsWarning] = []

        def unrelated(codes: set[str]) -> bool:
            if not codes or declared & codes:
                return False
            headings = {x[:4] for x in codes}
            return not any(d[:4] in headings for d in declared)

        # chemicals: compare with the chemical's own subheading, one warning per chemical
        chem_entries: set[str] = set()
        for chem in chems.values():
            chem_entries.update(chem.entries)
            if unrelated(set(chem.hs)):
                out.append(
                    GoodsWarning(
                        "misclassified",
                        f"{chem.name} (CAS {chem.cas}, {', '.join(chem.entries)}) is declared "
                        f"under HS {hs6}; it belongs under {', '.join(chem.hs)}",
                        list(chem.entries),
                    )
                )
        for c in candidates:
            a = accs[c.entry]
            if c.entry in chem_entries or c.watch_only or not a.strong:
                continue
            if c.score < STRATEGIC_THRESHOLD:
                continue
            f = self._entry_facts[c.entry]
            codes = set(f.hs_codes)
            if unrelated(codes):
                out.append(
                    GoodsWarning(
                        "misclassified",
                        f"description points to {c.entry} ({f.title}) but HS {hs6} is "
                        f"unrelated (expected e.g. {', '.join(sorted(codes)[:4])})",
                        [c.entry],
                    )
                )
        return out


_DIGIT = re.compile(r"[0-9]")
_SEV_RANK = {"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}


def _by_weight(ev: Evidence) -> float:
    return -ev.weight


def _first(pair: tuple[tuple[float, bool, int, int, str], Candidate]) -> tuple[Any, ...]:
    return pair[0]


def _severity(e: ControlEntry) -> str:
    return "critical" if e.trigger_list else e.severity.value


def _longest(matches: list[PhraseMatch]) -> list[PhraseMatch]:
    """Drop matches for an entry that lie inside a longer match for the same entry; a
    reordered match never hides another match and counts only when its phrase has no in-order
    match."""
    if len(matches) < 2:
        return matches
    in_order = [m for m in matches if not m.reordered]
    ordered = sorted(in_order, key=lambda m: (m.start, -(m.end - m.start)))
    keep: list[PhraseMatch] = []
    spans: dict[str, list[tuple[int, int]]] = {}
    for m in ordered:
        eid = m.ref.entry_id
        if any(s <= m.start and m.end <= e for s, e in spans.get(eid, ())):
            continue
        spans.setdefault(eid, []).append((m.start, m.end))
        keep.append(m)
    exact = {(m.ref.entry_id, m.ref.text) for m in keep}
    keep.extend(m for m in matches if m.reordered and (m.ref.entry_id, m.ref.text) not in exact)
    return keep


def _is_vague(toks: list[str]) -> bool:
    return not any(len(t) > 1 and not t.isdigit() and t not in VAGUE_TOKENS for t in toks)


def _as_query(item: GoodsQuery | GoodsItem | Mapping[str, Any]) -> GoodsQuery:
    if isinstance(item, GoodsQuery):
        return item
    if isinstance(item, GoodsItem):
        return GoodsQuery(
            description=item.description,
            hs_code=item.hs_code,
            cas=item.cas,
            origin=item.origin,
            quantity=item.quantity,
            value=item.value,
            line=item.line,
        )
    return GoodsQuery(
        description=str(item.get("description") or ""),
        hs_code=(str(item["hs_code"]) if item.get("hs_code") is not None else None),
        cas=(str(item["cas"]) if item.get("cas") else None),
        origin=item.get("origin"),
        quantity=item.get("quantity"),
        value=item.get("value"),
        line=item.get("line"),
    )


_DEFAULT: GoodsIdentifier | None = None


def default_identifier() -> GoodsIdentifier:
    """A process-wide identifier over the packaged knowledge base, with the HS nomenclature
    of the configured mirror when there is one (HS 2017 codes, ordinary-word vocabulary)."""
    global _DEFAULT
    if _DEFAULT is None:
        from stce.config import get_settings
        from stce.refdata.hs import load_hs

        hs: HsNomenclature | None = None
        mirror = get_settings().mirror
        if mirror is not None:
            try:
                hs = load_hs(mirror)
            except FileNotFoundError:
                hs = None
        _DEFAULT = GoodsIdentifier(hs=hs)
    return _DEFAULT


def identify(item: GoodsQuery | GoodsItem | Mapping[str, Any]) -> GoodsAssessment:
    """Assess one goods line with the packaged knowledge base."""
    return default_identifier().identify(item)
