"""The commodity-profile handbook: Part I for customs officers (one profile per control entry,
by chapter), Part II the complementary chapter for licensing and investigative staff, and an annex
of red flags. One self-contained HTML page; print it to PDF with `stce.assess.pdf`."""

from __future__ import annotations

from collections import Counter
from datetime import date

from jinja2 import Environment, PackageLoader, select_autoescape

from stce.goods.kb import knowledge_base
from stce.train.profiles import CommodityProfile, Topic, profiles
from stce.train.redflags import RedFlag, red_flags

CHAPTER_ORDER = [
    Topic.NUCLEAR,
    Topic.CHEMICALS,
    Topic.BIOLOGICAL,
    Topic.MISSILES,
    Topic.DUAL_USE,
    Topic.MUNITIONS,
]


def chapters(ps: list[CommodityProfile]) -> list[tuple[Topic, list[CommodityProfile]]]:
    return [
        (t, [p for p in ps if p.topic is t]) for t in CHAPTER_ORDER if any(p.topic is t for p in ps)
    ]


def render_handbook(
    topic: Topic = Topic.ALL,
    source: list[CommodityProfile] | None = None,
    flags: tuple[RedFlag, ...] | None = None,
    today: date | None = None,
) -> str:
    ps = source if source is not None else profiles(topic)
    all_flags = flags if flags is not None else red_flags()
    env = Environment(
        loader=PackageLoader("stce.train", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    groups = sorted({f.group for f in all_flags})
    return env.get_template("handbook.html.j2").render(
        topic=topic,
        chapters=chapters(ps),
        count=len(ps),
        by_regime=Counter(r for p in ps for r in p.regimes),
        flags=all_flags,
        groups=groups,
        cover_names=[p for p in ps if p.misdeclarations],
        kb_version=knowledge_base().version,
        today=today or date.today(),
    )
