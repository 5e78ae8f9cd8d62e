"""Red flags taught in the handbook and asked in quizzes, each with its public source."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from stce.train.profiles import SourceLine


@dataclass(frozen=True)
class RedFlag:
    id: str
    group: str
    name: str
    scenario: str
    audiences: tuple[str, ...]
    sources: tuple[SourceLine, ...]


@cache
def red_flags() -> tuple[RedFlag, ...]:
    text = resources.files("stce.train").joinpath("data/red_flags.yaml").read_text("utf-8")
    raw = yaml.safe_load(text)
    sources = {k: SourceLine(v["title"], v["url"]) for k, v in raw["sources"].items()}
    flags = []
    for item in raw["flags"]:
        missing = [s for s in item["sources"] if s not in sources]
        if missing:
            raise ValueError(f"red_flags.yaml: flag {item['id']}: unknown sources {missing}")
        flags.append(
            RedFlag(
                id=item["id"],
                group=item["group"],
                name=item["name"],
                scenario=item["scenario"],
                audiences=tuple(item["audiences"]),
                sources=tuple(sources[s] for s in item["sources"]),
            )
        )
    return tuple(flags)
