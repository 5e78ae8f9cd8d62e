"""Risk: scoring hits into a score and a lane, with an explanation."""

from stce.risk.engine import Assessment, RiskEngine

__all__ = ["Assessment", "RiskEngine"]
