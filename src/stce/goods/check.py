"""The `goods` screening check: every goods line of every declaration through identification.

Hit codes (docs/architecture.md): GOODS_STRATEGIC, GOODS_CAS_SCHEDULED, GOODS_HS_WATCHLIST,
GOODS_MISCLASSIFIED, GOODS_VAGUE_DESCRIPTION. Severity follows the regime of the best entry:
CWC Schedule 1, biological agents and the NSG trigger list are critical. The HS 2017-only
warning is reported as evidence here; the `validation` check owns the HS_2017_ONLY code.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from stce.goods.identify import Candidate, GoodsAssessment, GoodsIdentifier, GoodsQuery
from stce.goods.kb import KnowledgeBase
from stce.model.declaration import Declaration
from stce.model.hit import Hit, Severity
from stce.pipeline.context import ScreeningContext

CHECK_NAME = "goods"
CHECK_VERSION = "1.0"
TOP_ENTRIES = 3


def _sev(value: str) -> Severity:
    return Severity(value)


def _cas_severity(entries: list[str]) -> Severity:
    if any(e.startswith("CWC-1") for e in entries):
        return Severity.CRITICAL
    if any(e.startswith("CWC-2") for e in entries):
        return Severity.HIGH
    return Severity.MEDIUM if all(e == "1C350" for e in entries) else Severity.HIGH


class GoodsCheck:
    """Screens goods lines against the control-list knowledge base."""

    name = CHECK_NAME

    def __init__(self, identifier: GoodsIdentifier) -> None:
        self.identifier = identifier
        self.version = f"{CHECK_VERSION}+{identifier.version}"

    def check(self, batch: Sequence[Declaration]) -> list[list[Hit]]:
        queries: list[GoodsQuery] = []
        for d in batch:
            for it in d.items:
                queries.append(
                    GoodsQuery(
                        description=it.description, hs_code=it.hs_code, cas=it.cas, line=it.line
                    )
                )
        # kept: the licence and movement determiners of the run ask about the same lines
        assessments = self.identifier.identify_many(queries, keep=True)
        out: list[list[Hit]] = []
        k = 0
        for d in batch:
            hits: list[Hit] = []
            for it in d.items:
                hits.extend(self.hits_for(d.declaration_id, it.line, it.hs_code, assessments[k]))
                k += 1
            out.append(hits)
        return out

    def hits_for(
        self, declaration_id: str, line: int, hs_code: str, a: GoodsAssessment
    ) -> list[Hit]:
        """The hits one assessed goods line produces (possibly none)."""
        hits: list[Hit] = []
        top = [c for c in a.candidates if not c.watch_only][:TOP_ENTRIES]
        base = {"item_line": line, "hs_code": hs_code}
        extra: dict[str, Any] = {}
        if a.hs_status == "hs2017_only":
            extra = {"hs_status": "hs2017_only", "hs2022_successors": a.hs_successors}
        if a.strategic and top:
            best = top[0]
            hits.append(
                Hit(
                    check=CHECK_NAME,
                    code="GOODS_STRATEGIC",
                    severity=_sev(best.severity),
                    score=min(1.0, a.confidence),
                    message=(
                        f"Line {line}: potentially strategic goods, best match {best.entry} "
                        f"({best.title}, {'/'.join(best.regimes)})"
                    ),
                    evidence={**base, **_evidence(top, a.confidence), **extra},
                    declaration_id=declaration_id,
                )
            )
        if a.chemicals:
            entries = sorted({e for c in a.chemicals for e in c.entries})
            chem = a.chemicals[0]
            hits.append(
                Hit(
                    check=CHECK_NAME,
                    code="GOODS_CAS_SCHEDULED",
                    severity=_cas_severity(entries),
                    score=min(1.0, a.confidence) if a.confidence else 0.9,
                    message=(
                        f"Line {line}: {chem.name} (CAS {chem.cas}) is a scheduled chemical or "
                        f"precursor ({', '.join(entries)})"
                    ),
                    evidence={
                        **base,
                        "cas": [c.cas for c in a.chemicals],
                        "chemicals": [c.name for c in a.chemicals],
                        "matched_by": [c.how for c in a.chemicals],
                        "control_entries": entries,
                        "regimes": sorted({r for e in entries for r in self._regimes(e)}),
                        "confidence": a.confidence,
                    },
                    declaration_id=declaration_id,
                )
            )
        if a.hs_watchlist and not a.strategic:
            watch = [c for c in a.candidates if any(x.kind.startswith("hs_") for x in c.evidence)]
            sev = Severity.LOW
            if any(c.severity in ("critical", "high") and not c.watch_only for c in watch):
                sev = Severity.MEDIUM
            hits.append(
                Hit(
                    check=CHECK_NAME,
                    code="GOODS_HS_WATCHLIST",
                    severity=sev,
                    score=max((c.score for c in watch), default=0.2),
                    message=(
                        f"Line {line}: HS {hs_code[:6]} is on the strategic watch list "
                        f"({', '.join(c.entry for c in watch[:4])})"
                    ),
                    evidence={**base, **_evidence(watch[:TOP_ENTRIES], a.confidence), **extra},
                    declaration_id=declaration_id,
                )
            )
        for w in a.warnings:
            if w.code == "misclassified":
                hits.append(
                    Hit(
                        check=CHECK_NAME,
                        code="GOODS_MISCLASSIFIED",
                        severity=Severity.HIGH,
                        score=min(1.0, a.confidence),
                        message=f"Line {line}: {w.message}",
                        evidence={
                            **base,
                            "control_entries": w.entries,
                            "regimes": sorted({r for e in w.entries for r in self._regimes(e)}),
                            "confidence": a.confidence,
                            "reasons": [w.message],
                        },
                        declaration_id=declaration_id,
                    )
                )
            elif w.code == "vague_description":
                hits.append(
                    Hit(
                        check=CHECK_NAME,
                        code="GOODS_VAGUE_DESCRIPTION",
                        severity=Severity.MEDIUM,
                        score=0.5,
                        message=f"Line {line}: {w.message}",
                        evidence={
                            **base,
                            "control_entries": w.entries[:10],
                            "regimes": sorted({r for e in w.entries for r in self._regimes(e)}),
                            "confidence": a.confidence,
                            "reasons": [w.message],
                        },
                        declaration_id=declaration_id,
                    )
                )
        return hits

    def _regimes(self, entry_id: str) -> list[str]:
        e = self.identifier.kb.entries.get(entry_id)
        return [r.value for r in e.regimes] if e else []


def _evidence(cands: list[Candidate], confidence: float) -> dict[str, Any]:
    return {
        "control_entries": [c.entry for c in cands],
        "regimes": sorted({r for c in cands for r in c.regimes}),
        "confidence": confidence,
        "reasons": [r for c in cands[:1] for r in c.reasons()],
        "candidates": [{"entry": c.entry, "score": c.score, "reasons": c.reasons()} for c in cands],
    }


def build_check(context: ScreeningContext, kb: KnowledgeBase | None = None) -> GoodsCheck:
    """The goods check for a screening run: the packaged knowledge base plus the run's HS
    nomenclature (for HS 2017 codes and unknown codes), if the context has one."""
    check = GoodsCheck(GoodsIdentifier(kb=kb, hs=context.hs))
    context.versions.setdefault("goods_kb", check.identifier.version)
    return check
