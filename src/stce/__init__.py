"""stce: Strategic Trade Control Enforcement for Customs administrations (UNSCR 1540)."""

__version__ = "0.1.0"
