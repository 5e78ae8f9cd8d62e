"""Print a self-contained HTML page to PDF with headless Chromium (no PDF library to maintain).

The browser is `STCE_CHROMIUM` or /usr/bin/chromium. Each call uses its own throw-away profile so
that concurrent runs do not fight over a profile lock.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

TIMEOUT_S = 120


class PdfError(RuntimeError):
    """Chromium is missing or failed to print."""


def chromium_path() -> str:
    path = os.environ.get("STCE_CHROMIUM", "/usr/bin/chromium")
    if not (Path(path).is_file() or shutil.which(path)):
        raise PdfError(f"Chromium not found at {path!r} (set STCE_CHROMIUM)")
    return path


def html_to_pdf(html: Path, pdf: Path) -> Path:
    """Print `html` to `pdf` (A4, backgrounds, no header or footer); returns `pdf`."""
    pdf.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="stce-chromium-") as profile:
        cmd = [
            chromium_path(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-dev-shm-usage",
            f"--user-data-dir={profile}",
            "--no-pdf-header-footer",
            "--print-to-pdf-no-header",
            f"--print-to-pdf={pdf.resolve()}",
            html.resolve().as_uri(),
        ]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired as exc:
            raise PdfError(f"Chromium did not finish printing {html} in {TIMEOUT_S} s") from exc
    if proc.returncode != 0 or not pdf.is_file() or pdf.stat().st_size == 0:
        raise PdfError(f"Chromium failed to print {html}: {proc.stderr.strip()[-500:]}")
    return pdf


def write_page(html: str, out: Path | None, pdf: Path | None, name: str) -> list[Path]:
    """Write a rendered page as HTML (`out`) and/or PDF (`pdf`); returns the files written.

    Without `out` the HTML goes to a temporary file that only the PDF printer reads.
    """
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        html_path = out or Path(tmp) / name
        html_path.parent.mkdir(parents=True, exist_ok=True)
        html_path.write_text(html, encoding="utf-8")
        if out:
            written.append(out)
        if pdf:
            written.append(html_to_pdf(html_path, pdf))
    return written


def pdf_to_png(pdf: Path, out_dir: Path, dpi: int = 60) -> list[Path]:
    """Render every page of `pdf` to PNG with poppler's pdftoppm (to look at or test pages)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    prefix = out_dir / pdf.stem
    _pdftoppm(["-png", "-r", str(dpi), str(pdf), str(prefix)])
    return sorted(out_dir.glob(f"{pdf.stem}-*.png"))


def page_ink(pdf: Path, dpi: int = 30) -> list[float]:
    """Share of non-white pixels per page (0 = blank page), from greyscale renders."""
    with tempfile.TemporaryDirectory(prefix="stce-pages-") as tmp:
        prefix = Path(tmp) / "p"
        _pdftoppm(["-gray", "-r", str(dpi), str(pdf), str(prefix)])
        return [_pgm_ink(p.read_bytes()) for p in sorted(Path(tmp).glob("p-*.pgm"))]


def _pgm_ink(data: bytes) -> float:
    """Ink share of a binary greyscale PGM (P5, 8-bit) image."""
    fields: list[bytes] = []
    pos = 0
    while len(fields) < 4:
        while data[pos : pos + 1].isspace():
            pos += 1
        end = pos
        while not data[end : end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    if fields[0] != b"P5":
        raise PdfError("pdftoppm did not produce a binary PGM")
    width, height = int(fields[1]), int(fields[2])
    pixels = data[pos + 1 : pos + 1 + width * height]
    return sum(1 for v in pixels if v < 200) / max(1, len(pixels))


def _pdftoppm(args: list[str]) -> None:
    tool = shutil.which("pdftoppm")
    if tool is None:
        raise PdfError("pdftoppm not found (install poppler-utils)")
    proc = subprocess.run([tool, *args], capture_output=True, text=True, timeout=TIMEOUT_S)
    if proc.returncode != 0:
        raise PdfError(f"pdftoppm failed: {proc.stderr.strip()[-300:]}")
