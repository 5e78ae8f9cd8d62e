"""The synthetic sample is realistic enough to demo and to measure on."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from stce.ingest import Accepted, validated_declarations
from stce.refdata import load_hs
from stce.sample.generator import catalogue


def test_catalogue_codes_are_hs2022(mirror: Path) -> None:
    hs = load_hs(mirror)
    ordinary, strategic, misdeclared = catalogue()
    for g in [*ordinary, *strategic, *misdeclared]:
        assert g.hs in hs.hs2022, g.hs


def test_every_declaration_validates(sample_jsonl: tuple[Path, Path], mirror: Path) -> None:
    path, _ = sample_jsonl
    recs = list(validated_declarations(path, load_hs(mirror)))
    assert all(isinstance(r, Accepted) for r in recs)
    decls = [r.declaration for r in recs if isinstance(r, Accepted)]
    channels = Counter(d.channel.value for d in decls)
    assert channels.most_common(1)[0][0] == "ecommerce"
    procedures = Counter(d.procedure.value for d in decls)
    assert set(procedures) == {
        "export", "import", "transit", "transshipment", "ftz_entry", "ftz_exit", "reexport"
    }  # fmt: skip


def test_truth_lists_planted_scenarios(sample_jsonl: tuple[Path, Path], mirror: Path) -> None:
    path, truth_path = sample_jsonl
    ids = {json.loads(x)["declaration_id"] for x in path.read_text().splitlines()}
    truth = [json.loads(x) for x in truth_path.read_text().splitlines()]
    assert 20 <= len(truth) <= 120  # about 3 % of 2 000
    kinds = Counter(s["type"] for t in truth for s in t["scenarios"])
    assert {"listed_party", "controlled_goods", "diversion", "embargoed_destination"} <= set(kinds)
    for t in truth:
        assert t["declaration_id"] in ids
        for s in t["scenarios"]:
            if s["type"] == "listed_party":
                assert s["entry_id"].startswith("un-sc:") and s["declared_name"]
