"""The `stce` command line: one sub-command group per concern, registered in `app.py`."""

from stce.cli.app import app, main

__all__ = ["app", "main"]
