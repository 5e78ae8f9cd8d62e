"""The operator transparency report of a free zone: HTML (self-contained) and CSV.

What Customs shares with the zone authority and, where agreed, partner administrations: stock
flows per operator and HS subheading, reconciliation gaps, strategic goods held, and flags.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from jinja2 import Environment, select_autoescape

from stce.model import Hit
from stce.movements.ledger import FlowKind, Reconciliation


def _template() -> str:
    path = resources.files("stce.movements").joinpath("templates/ftz_report.html.j2")
    return path.read_text("utf-8")


def render_html(rec: Reconciliation, flags: Sequence[Hit] = ()) -> str:
    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    flagged = {(f.operator_id, f.hs6) for f in rec.findings if f.hs6}
    return env.from_string(_template()).render(
        r=rec,
        lines=[(ln, (ln.operator_id, ln.hs6) in flagged) for ln in rec.lines],
        kinds=[k.value for k in FlowKind],
        gaps=len(rec.findings),
        flags=list(flags),
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    )


def write_report(rec: Reconciliation, out_dir: Path, flags: Sequence[Hit] = ()) -> list[Path]:
    """Write `<zone>-<period>[-<operator>].html`, `...-stock.csv` and `...-findings.csv`.

    `flags` are the movement-check hits of the zone's declarations in the period (declaration
    id set); they are listed with the reconciliation findings.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"ftz-{_safe(rec.zone_id)}-{rec.period.label}"
    if rec.operator_id:
        stem += f"-{_safe(rec.operator_id)}"
    html = out_dir / f"{stem}.html"
    html.write_text(render_html(rec, flags), encoding="utf-8")
    stock = out_dir / f"{stem}-stock.csv"
    kinds = [k.value for k in FlowKind]
    with stock.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(
            [
                *("zone_id", "period", "operator_id", "hs6", "unit", "strategic", "opening"),
                *kinds,
                *("expected", "reported", "gap"),
            ]
        )
        for ln in rec.lines:
            w.writerow(
                [rec.zone_id, rec.period.label, ln.operator_id, ln.hs6, ln.unit, ln.strategic]
                + [_num(ln.opening)]
                + [_num(ln.flows[k]) for k in kinds]
                + [_num(ln.expected), _num(ln.reported), _num(ln.gap)]
            )
    findings = out_dir / f"{stem}-findings.csv"
    with findings.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(
            [
                "zone_id",
                "period",
                "finding",
                "operator_id",
                "hs6",
                "declaration_id",
                "quantity",
                "unit",
                "message",
            ]
        )
        for f in rec.findings:
            w.writerow(
                [
                    rec.zone_id,
                    rec.period.label,
                    f.kind.value,
                    f.operator_id,
                    f.hs6 or "",
                    f.declaration_id or "",
                    _num(f.quantity),
                    f.unit or "",
                    f.message,
                ]
            )
    with findings.open("a", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        for h in flags:
            w.writerow(
                [
                    rec.zone_id,
                    rec.period.label,
                    h.code,
                    "",
                    h.evidence.get("hs_code", ""),
                    h.declaration_id,
                    "",
                    "",
                    h.message,
                ]
            )
    return [html, stock, findings]


def _num(v: float | None) -> str:
    return "" if v is None else f"{v:.6g}"


def _safe(text: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in text)
