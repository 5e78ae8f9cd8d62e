"""Synthetic declarations with planted risky scenarios and a truth file (`stce sample`)."""

from stce.sample.generator import SampleGenerator, generate
from stce.sample.writer import write_sample

__all__ = ["SampleGenerator", "generate", "write_sample"]
