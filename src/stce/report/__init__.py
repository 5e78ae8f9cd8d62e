"""The self-contained HTML report of a screening run."""

from stce.report.html import render_report, write_report

__all__ = ["render_report", "write_report"]
