from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stce.assess.pdf import page_ink, pdf_to_png
from stce.cli.app import app
from stce.train.handbook import render_handbook
from stce.train.profiles import Topic, profiles

runner = CliRunner()
DAY = date(2026, 11, 27)


def test_handbook_has_every_profile_and_part_two() -> None:
    html = render_handbook(Topic.ALL, today=DAY)
    ids = set(re.findall(r'id="entry-([^"]+)"', html))
    assert ids == {p.entry_id for p in profiles(Topic.ALL, hs_text={})}
    assert 'id="licensing"' in html and "For investigators" in html
    assert "technical parameters to ask the applicant" in html
    assert 'id="red-flags"' in html
    assert not re.search(r"<(script|link|img)\b", html)


def test_chapter_handbook_only_holds_its_topic() -> None:
    html = render_handbook(Topic.CHEMICALS, today=DAY)
    assert 'id="ch-chemicals"' in html and 'id="ch-nuclear"' not in html
    assert "107-44-8" in html  # sarin's CAS number in the chemicals table


@pytest.mark.browser
@pytest.mark.skipif(
    not (Path("/usr/bin/chromium").exists() and shutil.which("pdftoppm")),
    reason="needs /usr/bin/chromium and poppler-utils (pdftoppm)",
)
def test_handbook_pdf_pages_render(tmp_path: Path) -> None:
    html, pdf = tmp_path / "hb.html", tmp_path / "hb.pdf"
    r = runner.invoke(
        app, ["train", "handbook", "--topic", "biological", "--out", str(html), "--pdf", str(pdf)]
    )
    assert r.exit_code == 0, r.output
    pngs = pdf_to_png(pdf, tmp_path / "png")
    ink = page_ink(pdf)
    assert len(pngs) == len(ink) >= 3
    assert min(ink) > 0.005
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "commodity-profile" in text and "Complementary chapter" in text
