"""Turn an assessment's next-level gaps into assistance requests (one per area).

Modality follows the kind of gap: a level-2 gap in a legal area calls for legislative assistance;
detection gaps at level 3 for equipment; the rest for training or workshops. Urgency follows the
area's level: level 1 is high, level 2 medium, higher levels low.
"""

from __future__ import annotations

from datetime import date

from stce.assess.model import Assessment
from stce.assess.scoring import AreaScore, score
from stce.assist.model import Modality, Request, Urgency

LEGAL_AREAS = {"legal_basis", "catch_all", "brokering_services", "investigation", "licensing"}
WORKSHOP_AREAS = {"cooperation", "control_lists"}
EQUIPMENT_QUESTIONS = {"BE2"}


def modality_for(area: AreaScore) -> Modality:
    ids = {g.question_id for g in area.next_gaps}
    if ids & EQUIPMENT_QUESTIONS:
        return Modality.EQUIPMENT
    if area.area_id in LEGAL_AREAS and area.level == 1:
        return Modality.LEGAL_ASSISTANCE
    if area.area_id in WORKSHOP_AREAS:
        return Modality.WORKSHOP
    return Modality.TRAINING


def urgency_for(area: AreaScore) -> Urgency:
    return Urgency.HIGH if area.level == 1 else Urgency.MEDIUM if area.level == 2 else Urgency.LOW


def requests_from_assessment(
    assessment: Assessment,
    created: date | None = None,
    max_areas: int | None = None,
    skip_areas: set[str] | None = None,
    taken_ids: set[str] | None = None,
) -> list[Request]:
    """One request per area with next-level gaps, lowest areas first; ids avoid `taken_ids`."""
    profile = score(assessment)
    day = created or date.today()
    language = assessment.languages[0] if assessment.languages else "en"
    areas = [a for a in profile.areas if a.next_gaps and a.area_id not in (skip_areas or set())]
    areas.sort(key=lambda a: a.level)
    out = []
    for area in areas[:max_areas]:
        actions = "; ".join(g.action for g in area.next_gaps)
        rid = base = f"{assessment.state}-{area.area_id}-{day:%Y%m%d}"
        n = 1
        while rid in (taken_ids or set()):
            n += 1
            rid = f"{base}-{n}"
        out.append(
            Request(
                id=rid,
                state=assessment.state,
                region=assessment.region,
                area=area.area_id,
                language=language,
                modality=modality_for(area),
                urgency=urgency_for(area),
                description=f"{area.title}: level {area.level} to {area.level + 1}. {actions}",
                origin=f"assessment:{assessment.state}:{assessment.questionnaire_version}",
                gap_questions=[g.question_id for g in area.next_gaps],
                created=day,
            )
        )
    return out
