"""Render a screening run as one HTML page with no external assets (inline CSS and SVG), so it
can be mailed, archived with the case file, or opened on an air-gapped workstation."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
from jinja2 import Environment, PackageLoader, select_autoescape

if TYPE_CHECKING:
    from stce.pipeline.runner import RunSummary

LANE_ORDER = ("red", "yellow", "blue", "green")
LANE_COLOURS = {"red": "#c62828", "yellow": "#f9a825", "blue": "#1565c0", "green": "#2e7d32"}
LANE_ACTIONS = {
    "red": "physical examination",
    "yellow": "documentary check",
    "blue": "post-clearance audit",
    "green": "release",
}

_env = Environment(
    loader=PackageLoader("stce.report", "templates"),
    autoescape=select_autoescape(["html", "j2"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def _bars(items: list[tuple[str, int, str]], width: int = 640, bar_h: int = 22) -> dict[str, Any]:
    """Geometry of a horizontal bar chart: label, value, colour per bar."""
    top = max((v for _, v, _ in items), default=0) or 1
    label_w = 310
    rows = []
    for i, (label, value, colour) in enumerate(items):
        w = int((width - label_w - 70) * value / top)
        rows.append(
            {"label": label, "value": value, "colour": colour, "y": i * (bar_h + 6), "w": max(w, 1)}
        )
    return {
        "rows": rows,
        "width": width,
        "height": max(len(items), 1) * (bar_h + 6),
        "bar_h": bar_h,
        "label_w": label_w,
    }


def render_report(summary: RunSummary) -> str:
    lanes = [(lane, summary.lanes.get(lane, 0), LANE_COLOURS[lane]) for lane in LANE_ORDER]
    hit_types = [(k, v, "#455a64") for k, v in summary.hit_types.most_common(15)]
    screened = max(summary.accepted, 1)
    template = _env.get_template("report.html.j2")
    return template.render(
        s=summary,
        lanes=lanes,
        lane_actions=LANE_ACTIONS,
        lane_colours=LANE_COLOURS,
        lane_chart=_bars([(f"{k} ({LANE_ACTIONS[k]})", v, c) for k, v, c in lanes]),
        hit_chart=_bars(hit_types),
        share={k: 100.0 * v / screened for k, v, _ in lanes},
        versions_json=orjson.dumps(summary.versions, option=orjson.OPT_INDENT_2).decode(),
    )


def write_report(summary: RunSummary, path: Path) -> Path:
    path.write_text(render_report(summary), encoding="utf-8")
    return path
