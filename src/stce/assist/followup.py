"""Follow-up: the Committee checks on requests a year after they were made."""

from __future__ import annotations

from datetime import date

from stce.assist.model import Request


def overdue_requests(requests: list[Request], as_of: date) -> list[tuple[Request, int]]:
    """Open requests (no feedback yet) whose follow-up date has passed, most overdue first."""
    late = [
        (r, (as_of - r.follow_up).days)
        for r in requests
        if r.open and r.follow_up is not None and r.follow_up < as_of
    ]
    return sorted(late, key=lambda x: (-x[1], x[0].id))
