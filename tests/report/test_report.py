"""The HTML report is self-contained, explains each declaration needing action, and renders in
a real browser."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from stce.pipeline import screen_file
from tests.conftest import chromium_path


@pytest.fixture(scope="module")
def report(sample_jsonl: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report")
    summary = screen_file(sample_jsonl[0], out, record=False)
    assert summary.report_path is not None
    return summary.report_path


def test_report_is_self_contained(report: Path) -> None:
    html = report.read_text()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "<script" not in html
    assert "<svg" in html
    assert "Declarations that need action" in html
    assert "countries:DESTINATION_EMBARGOED" in html


@pytest.mark.browser
def test_report_renders_in_chromium(report: Path, tmp_path: Path) -> None:
    chromium = chromium_path()
    if chromium is None:
        pytest.skip("Debian chromium not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    shot = tmp_path / "report.png"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(report.as_uri())
        assert "Screening report" in page.title() or "screening report" in page.title()
        lanes = page.locator("svg[aria-label='Declarations per lane'] rect")
        assert lanes.count() == 4
        rows = page.locator("table tbody tr")
        assert rows.count() > 0
        first_why = rows.first.locator("td").nth(5).inner_text()
        assert len(first_why) > 20
        page.screenshot(path=str(shot), full_page=False)
        browser.close()
    assert shot.stat().st_size > 10_000
    keep = Path("/tmp/stce-report-screenshot.png")
    keep.write_bytes(shot.read_bytes())
