"""The fast paths of identification give the answers of the plain computation: line shapes,
shared readings and scorings, the ASCII tokeniser and the quantity pattern."""

from __future__ import annotations

import importlib
import json
import random
import re
from pathlib import Path

import pytest

from stce.goods import quantities
from stce.goods.identify import GoodsIdentifier, GoodsQuery
from stce.goods.index import INERT_NUMBER, INERT_WORD, MatcherIndex
from stce.goods.text import RAW_TOKEN
from stce.refdata.hs import HsNomenclature

LABELLED = Path(__file__).parent / "data" / "labelled_goods.jsonl"


def _shape(ident: GoodsIdentifier, text: str) -> tuple[str, ...]:
    return ident.index.shape(ident.index.raw_tokens(text))


def test_words_the_knowledge_base_cannot_use_are_collapsed(ident: GoodsIdentifier) -> None:
    a = _shape(ident, "maraging steel bars, 12 cartons, model 1234567")
    b = _shape(ident, "maraging steel bars, 480 pallets, model 7654321")
    assert a == b
    assert INERT_WORD in a and INERT_NUMBER in a
    assert a[0] == "maraging"


def test_negation_exclusion_and_vague_words_are_kept(ident: GoodsIdentifier) -> None:
    assert _shape(ident, "not maraging steel")[0] == "not"
    assert _shape(ident, "free of beryllium")[:2] == ("free", "of")
    assert _shape(ident, "thermal underwear")[1] == "underwear"  # an exclusion word
    assert _shape(ident, "spare parts")[:2] == ("spare", "parts")
    quiet = ident.identify(GoodsQuery("not maraging steel bars, 12 cartons", "722830"))
    loud = ident.identify(GoodsQuery("maraging steel bars, 12 cartons", "722830"))
    assert loud.strategic and not quiet.strategic


def test_lines_with_one_reading_share_one_assessment(ident: GoodsIdentifier) -> None:
    a = ident.identify(GoodsQuery("Triggered spark gaps, 12 boxes, model 4711", "853540"))
    b = ident.identify(GoodsQuery("Triggered spark gaps, 30 boxes, model 815", "853540"))
    assert a.strategic and a is b
    c = ident.identify(GoodsQuery("Triggered spark gaps, 30 boxes, model 815", "853690"))
    assert c is not a and c.candidates[0].entry == a.candidates[0].entry


def test_vague_warning_quotes_each_line(ident: GoodsIdentifier) -> None:
    a = ident.identify(GoodsQuery("spare parts", "902620"))
    b = ident.identify(GoodsQuery("parts", "902620"))
    assert [w.message for w in a.warnings if w.code == "vague_description"] == [
        "description 'spare parts' is too vague for watch-listed HS 902620"
    ]
    assert [w.message for w in b.warnings if w.code == "vague_description"] == [
        "description 'parts' is too vague for watch-listed HS 902620"
    ]
    assert a.candidates == b.candidates


def _lines(hs: HsNomenclature) -> list[GoodsQuery]:
    rows = [json.loads(x) for x in LABELLED.read_text(encoding="utf-8").splitlines() if x]
    rng = random.Random(1540)
    codes = sorted(hs.hs2022)
    out: list[GoodsQuery] = []
    for r in rows:
        d = r["description"]
        for extra in ("", ", 12 cartons, model 77", ", navy, 3 drums", " (not for export)"):
            out.append(GoodsQuery(d + extra, r["hs_code"], r["cas"]))
        out.append(GoodsQuery(d + ", 5 kg", rng.choice(codes)))
        out.append(GoodsQuery("other than " + d, r["hs_code"]))
    return out


def test_memoised_answers_equal_fresh_ones(ident: GoodsIdentifier, hs: HsNomenclature) -> None:
    """A warm identifier (readings and scorings shared across lines) answers every line as a
    new identifier does when that line is the first it sees."""
    lines = _lines(hs)
    warm = [a.to_dict() for a in ident.identify_many(lines)]
    fresh = GoodsIdentifier(kb=ident.kb, hs=hs)
    for q, got in zip(lines, warm, strict=True):
        fresh.forget()
        assert fresh.identify(q).to_dict() == got, q


def test_ascii_tokeniser_matches_the_pattern() -> None:
    rng = random.Random(7)
    alphabet = "aZ09 _-,./%()'\"\t\n;:µ"
    for _ in range(3000):
        n = rng.randint(0, 25)
        text = "".join(
            rng.choice(alphabet[:-1] if rng.random() < 0.9 else alphabet) for _ in range(n)
        )
        assert MatcherIndex.raw_tokens(text) == RAW_TOKEN.findall(text.lower()), text


@pytest.mark.parametrize(
    ("text", "dims"),
    [
        ("20 m/s", [("speed", 20.0)]),
        ("20 m", [("length", 20.0)]),
        ("3 deg c", [("temperature", 276.15)]),
        ("5 to 10 kg", [("mass", 5.0), ("mass", 10.0)]),
        ("model 12345, 312 cartons", []),
        ("10.5GHz", [("frequency", 10.5e9)]),
        ("5 mmx", []),
    ],
)
def test_quantity_pattern_takes_the_longest_unit(text: str, dims: list[tuple[str, float]]) -> None:
    got = quantities.parse_quantities(text)
    assert [q.dimension for q in got] == [d for d, _ in dims]
    assert [q.value for q in got] == pytest.approx([v for _, v in dims])


def test_quantity_pattern_matches_a_longest_first_alternation() -> None:
    """The unit trie and the atomic groups find what the straightforward pattern finds."""
    units = {*quantities._UNITS, *quantities._CASED}
    alt = "|".join(re.escape(u) for u in sorted(units, key=len, reverse=True))
    num = r"\d+(?:[.,]\d+)?"
    plain = re.compile(
        rf"(?<![\w.])(?P<a>{num})(?:\s*(?:-|–|to|\.\.\.?|…)\s*(?P<b>{num}))?\s*"
        rf"(?:-\s*)?(?P<unit>{alt})(?![^\W_])",
        re.IGNORECASE,
    )
    atoms = ["1", "350", "99.9", "1,500", " ", "-", "to", "...", ".", "x", "mm", "µ", "/", "deg"]
    atoms += sorted(units) + [u.upper() for u in sorted(units)]
    rng = random.Random(11)
    for _ in range(5000):
        text = "".join(rng.choice(atoms) for _ in range(rng.randint(1, 8)))
        want = [m.groups() for m in plain.finditer(text)]
        assert [m.groups() for m in quantities._QTY.finditer(text)] == want, text


def test_memos_starting_afresh_change_no_answer(
    ident: GoodsIdentifier, hs: HsNomenclature, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = importlib.import_module("stce.goods.identify")  # the package exports a function
    lines = _lines(hs)
    want = [a.to_dict() for a in ident.identify_many(lines)]
    monkeypatch.setattr(module, "READINGS_MAX", 3)
    monkeypatch.setattr(module, "SCORED_MEMO_MAX", 2)
    small = GoodsIdentifier(kb=ident.kb, hs=hs)
    assert [a.to_dict() for a in small.identify_many(lines)] == want
    assert len(small._readings) <= 3 and len(small._scored) <= 2
