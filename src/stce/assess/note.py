"""The Implementation Assistance Note: a self-contained HTML page generated from an assessment.

Tailored to the state's maturity: the summary, the order of actions and the topic sections follow
from the scored profile, so two states at different levels get different notes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import yaml
from jinja2 import Environment, PackageLoader, select_autoescape

from stce.assess.indicators import IndicatorStatus, IndicatorValue
from stce.assess.model import Assessment
from stce.assess.questionnaire import TOPICS, Citation, Questionnaire, load_questionnaire
from stce.assess.scoring import MAX_LEVEL, Gap, Profile, score

LEVEL_COLOURS = {1: "#c0392b", 2: "#e67e22", 3: "#f1c40f", 4: "#27ae60", 5: "#1f618d"}
TOP_ACTIONS = 8

STAGE_TEXT = {
    1: (
        "The administration is at an early stage: the priority is the legal basis and designated "
        "authorities, without which Customs cannot hold or seize strategic goods."
    ),
    2: (
        "The legal foundations are largely in place; the priority is to make them operable: "
        "written procedures, licence data reaching Customs, commodity identification and training."
    ),
    3: (
        "Procedures are established; the priority is integration: electronic licence write-off, "
        "risk-based targeting on advance data, fast technical reach-back and inter-agency referral."
    ),
    4: (
        "Controls are integrated and risk-based; the priority is measurement and feedback: "
        "indicators, reviews of outcomes and sharing practice with partners."
    ),
    5: (
        "Controls are measured and reviewed; the administration is in a position to offer "
        "assistance and peer review to others, as resolution 2663 encourages."
    ),
}


@dataclass(frozen=True)
class AssistanceItem:
    """An assistance request of the state and its match, as the note shows it (filled by the
    caller from `stce.assist`, which depends on this package and not the other way round)."""

    area_id: str
    request_id: str
    status: str
    provider: str = ""
    programme: str = ""
    score: float | None = None
    reasons: tuple[str, ...] = ()


@dataclass
class TopicSection:
    id: str
    title: str
    intro: str
    citations: list[Citation]
    met: list[str]
    gaps: list[Gap]


@cache
def _topics() -> dict[str, Any]:
    text = resources.files("stce.assess").joinpath("data/note-topics.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def topic_sections(profile: Profile, q: Questionnaire) -> list[TopicSection]:
    sections = []
    met_ids = {m for a in profile.areas for m in a.met}
    for topic in TOPICS:
        spec = _topics()[topic]
        related = [question.id for _, question in q.questions() if topic in question.topics]
        sections.append(
            TopicSection(
                id=topic,
                title=spec["title"],
                intro=spec["intro"],
                citations=[q.cite(r) for r in spec["refs"]],
                met=[i for i in related if i in met_ids],
                gaps=sorted(profile.gaps_by_topic(topic), key=lambda g: (g.level, g.question_id)),
            )
        )
    return sections


def priority_actions(profile: Profile, limit: int = TOP_ACTIONS) -> list[Gap]:
    """Actions that move an area to its next level, lowest levels first (foundations before
    refinements), then by questionnaire order."""
    order = {a.area_id: i for i, a in enumerate(profile.areas)}
    gaps = [g for a in profile.areas for g in a.next_gaps]
    gaps.sort(key=lambda g: (g.level, order[g.area_id], g.question_id))
    return gaps[:limit]


def chart_svg(profile: Profile) -> str:
    """Horizontal bar chart of the maturity level per area (inline SVG, no script)."""
    row, label_w, bar_w, top = 26, 330, 300, 30
    height = top + row * len(profile.areas) + 30
    width = label_w + bar_w + 100
    step = bar_w / MAX_LEVEL
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="100%" style="max-width: {width}px" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="Maturity profile" '
        'font-family="Helvetica, Arial, sans-serif" font-size="12">'
    ]
    for lvl in range(1, MAX_LEVEL + 1):
        x = label_w + step * lvl
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 8}" x2="{x:.1f}" y2="{height - 24}" stroke="#ccc"/>'
            f'<text x="{x:.1f}" y="{top - 12}" text-anchor="middle" fill="#555">{lvl}</text>'
        )
    for i, area in enumerate(profile.areas):
        y = top + i * row
        length = step * area.level
        title = _xml(area.title if len(area.title) <= 52 else area.title[:50] + "…")
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end" fill="#222">{title}</text>'
            f'<rect x="{label_w}" y="{y + 4}" width="{length:.1f}" height="{row - 8}" '
            f'fill="{LEVEL_COLOURS[area.level]}" data-area="{area.area_id}" '
            f'data-level="{area.level}"/>'
            f'<text x="{label_w + length + 6:.1f}" y="{y + 16}" fill="#222">'
            f"{area.level} {_xml(area.level_name)}</text>"
        )
    parts.append(
        f'<text x="{label_w + bar_w / 2}" y="{height - 6}" text-anchor="middle" fill="#555">'
        "maturity level (1 Initial … 5 Optimising)</text></svg>"
    )
    return "".join(parts)


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _env() -> Environment:
    return Environment(
        loader=PackageLoader("stce.assess", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_note(
    assessment: Assessment,
    measured: list[IndicatorValue] | None = None,
    today: date | None = None,
    assistance: list[AssistanceItem] | None = None,
) -> str:
    """The note as one self-contained HTML page (inline CSS and SVG; no external resource)."""
    q = load_questionnaire(assessment.questionnaire_version)
    profile = score(assessment, q)
    stage = min(MAX_LEVEL, max(1, int(profile.average)))
    strongest = sorted(profile.areas, key=lambda a: (-a.level, a.title))[:3]
    weakest = sorted(profile.areas, key=lambda a: (a.level, a.title))[:3]
    unevidenced = [g for a in profile.areas for g in a.gaps if g.unevidenced]
    values = measured if measured is not None else assessment.measured
    by_id = {m.id: m for m in values}
    area_measures = {
        area.id: [
            by_id[i]
            for i in dict.fromkeys(x.indicator for x in area.questions if x.indicator)
            if i in by_id
        ]
        for area in q.areas
    }
    help_by_area: dict[str, list[AssistanceItem]] = {}
    for item in assistance or []:
        help_by_area.setdefault(item.area_id, []).append(item)
    cited: dict[str, Citation] = {}
    for area in profile.areas:
        for gap in area.gaps:
            for c in gap.citations:
                cited.setdefault(c.ref.id, Citation(ref=c.ref))
    return (
        _env()
        .get_template("note.html.j2")
        .render(
            a=assessment,
            q=q,
            profile=profile,
            stage=stage,
            stage_text=STAGE_TEXT[stage],
            strongest=strongest,
            weakest=weakest,
            actions=priority_actions(profile),
            unevidenced=unevidenced,
            topics=topic_sections(profile, q),
            chart=chart_svg(profile),
            colours=LEVEL_COLOURS,
            measured=values,
            area_measures=area_measures,
            assistance=assistance or [],
            help_by_area=help_by_area,
            available=IndicatorStatus.AVAILABLE,
            references=sorted(cited.values(), key=lambda c: c.ref.title),
            today=today or date.today(),
            max_level=MAX_LEVEL,
        )
    )
