from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from stce.assess.indicators import IndicatorStatus, IndicatorValue
from stce.assess.model import Assessment
from stce.assess.note import AssistanceItem, chart_svg, priority_actions, render_note
from stce.assess.pdf import html_to_pdf, page_ink, pdf_to_png
from stce.assess.scoring import score

DAY = date(2026, 11, 27)


def _levels(html: str) -> dict[str, int]:
    return {m[0]: int(m[1]) for m in re.findall(r'data-area="(\w+)" data-level="(\d)"', html)}


def test_two_states_get_visibly_different_notes(
    ruritania: Assessment, freedonia: Assessment
) -> None:
    low, high = render_note(ruritania, today=DAY), render_note(freedonia, today=DAY)
    assert "stage 1: Initial" in low and "stage 4: Integrated" in high
    assert "Republic of Ruritania" in low and "Republic of Freedonia" in high
    # the chart carries each state's own levels
    assert _levels(low) == {a.area_id: a.level for a in score(ruritania).areas}
    assert _levels(high) == {a.area_id: a.level for a in score(freedonia).areas}
    # foundations for the weak state, refinements for the strong one
    assert "Adopt a national control list" in low.split('id="profile"')[0]
    assert "Adopt a national control list" not in high
    assert "Reconcile free-zone statistics" in high.split('id="profile"')[0]


def test_note_is_self_contained_and_cites(ruritania: Assessment) -> None:
    html = render_note(ruritania, today=DAY)
    assert not re.search(r"<(script|link|img)\b", html)
    assert "<svg" in html
    for anchor in (
        "topic-free_zones",
        "topic-transshipment",
        "topic-ecommerce",
        "topic-proliferation_finance",
    ):
        assert f'id="{anchor}"' in html
    assert "UN Security Council resolution 1540 (2004), OP3(d)" in html
    assert "FATF Recommendations 1" in html


def test_priority_actions_start_with_the_lowest_levels(ruritania: Assessment) -> None:
    actions = priority_actions(score(ruritania))
    assert actions and [g.level for g in actions] == sorted(g.level for g in actions)
    assert all(g.priority == 1 for g in actions)


def test_topic_met_text_when_state_reports_all_measures(freedonia: Assessment) -> None:
    html = render_note(freedonia, today=DAY)
    section = html.split('id="topic-transshipment"')[1].split('class="topic"')[0]
    assert "reports every measure on this issue in place" in section


def test_measured_indicators_show_unavailable_explicitly(ruritania: Assessment) -> None:
    measured = [
        IndicatorValue(
            id="x",
            label="Share screened",
            status=IndicatorStatus.AVAILABLE,
            value=97.5,
            unit="%",
            source="screening_runs",
        ),
        IndicatorValue(
            id="y",
            label="FTZ coverage",
            status=IndicatorStatus.UNAVAILABLE,
            reason="ledger not landed",
        ),
    ]
    html = render_note(ruritania, measured=measured, today=DAY)
    assert "97.5 %" in html and "unavailable" in html and "ledger not landed" in html


def test_chart_escapes_titles(ruritania: Assessment) -> None:
    profile = score(ruritania)
    profile.areas[0].title = "A & B <c>"
    assert "A &amp; B &lt;c&gt;" in chart_svg(profile)


needs_print = pytest.mark.skipif(
    not (Path("/usr/bin/chromium").exists() and shutil.which("pdftoppm")),
    reason="needs /usr/bin/chromium and poppler-utils (pdftoppm)",
)


@pytest.mark.browser
@needs_print
def test_pdf_pages_render(ruritania: Assessment, freedonia: Assessment, tmp_path: Path) -> None:
    counts = {}
    for a in (ruritania, freedonia):
        html = tmp_path / f"{a.state}.html"
        html.write_text(render_note(a, today=DAY), encoding="utf-8")
        pdf = html_to_pdf(html, tmp_path / f"{a.state}.pdf")
        pngs = pdf_to_png(pdf, tmp_path / "png")
        ink = page_ink(pdf)
        assert len(pngs) == len(ink) >= 2
        assert all(p.stat().st_size > 1000 for p in pngs)
        assert min(ink) > 0.005, f"{a.state}: a blank page"
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        assert a.display_name in text and "Executive summary" in text
        counts[a.state] = len(pngs)
    # the weak state has more gaps to explain than the strong one
    assert counts["RUR"] > counts["FRE"]


def test_note_shows_indicators_per_area_and_assistance(ruritania: Assessment) -> None:
    measured = [
        IndicatorValue(
            id="screening_coverage",
            label="Share screened",
            status=IndicatorStatus.AVAILABLE,
            value=88.0,
            unit="%",
            source="runs",
        ),
    ]
    help_ = [
        AssistanceItem(
            area_id="free_zones",
            request_id="RUR-free_zones-1",
            status="matched",
            provider="UNODC and WCO",
            programme="CCP",
            score=0.92,
            reasons=("covers free_zones", "global programme"),
        ),
    ]
    html = render_note(ruritania, measured=measured, today=DAY, assistance=help_)
    risk = html.split('id="area-risk_targeting"')[1].split('class="area"')[0]
    assert "Measured: Share screened" in risk and "88.0 %" in risk
    fz = html.split('id="area-free_zones"')[1].split('class="area"')[0]
    assert "RUR-free_zones-1" in fz and "UNODC and WCO" in fz
    assert 'id="assistance"' in html and "score 0.92" in html
    assert 'id="assistance"' not in render_note(ruritania, today=DAY)
