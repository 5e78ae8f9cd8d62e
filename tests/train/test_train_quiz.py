from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stce.cli.app import app
from stce.goods.kb import knowledge_base
from stce.goods.profile import profile as goods_profile
from stce.train.profiles import Topic, profiles
from stce.train.quiz import QuizError, make_quiz, render_text
from stce.train.redflags import red_flags

runner = CliRunner()


def test_chemicals_quiz_has_n_distinct_mixed_questions() -> None:
    quiz = make_quiz(Topic.CHEMICALS, 20, seed=7)
    assert len(quiz.questions) == 20
    assert len({(q.kind, q.subject) for q in quiz.questions}) == 20
    kinds = Counter(q.kind for q in quiz.questions)
    assert {"hs_for_entry", "entry_for_chemical", "cas_for_chemical", "red_flag"} <= set(kinds)
    for q in quiz.questions:
        assert len(q.options) == 4 and len(set(q.options)) == 4
        assert q.explanation and q.sources


def test_answers_are_right_and_distractors_wrong() -> None:
    kb = knowledge_base()
    quiz = make_quiz(Topic.CHEMICALS, 40, seed=3)
    for q in quiz.questions:
        if q.kind == "hs_for_entry":
            g = goods_profile(q.subject)
            own = {f"{c[:4]}.{c[4:]}" for c in g.hs_exact + g.hs_partial}
            assert q.answer_text in own
            assert not (set(q.options) - {q.answer_text}) & own
        elif q.kind == "cas_for_chemical":
            assert q.answer_text == q.subject
            assert kb.chemicals[q.subject].name in q.prompt
        elif q.kind == "entry_for_chemical":
            cas, entry_id = q.subject.split(":")
            assert entry_id in kb.chemicals[cas].entries
            assert q.answer_text.startswith(kb.entry(entry_id).list_ref)
        elif q.kind == "red_flag":
            flag = next(f for f in red_flags() if f.id == q.subject)
            assert q.answer_text == flag.name and flag.scenario in q.prompt


def test_same_seed_same_quiz_other_seed_other_quiz() -> None:
    a, b = make_quiz(Topic.NUCLEAR, 10, seed=1), make_quiz(Topic.NUCLEAR, 10, seed=1)
    assert render_text(a) == render_text(b)
    assert render_text(a) != render_text(make_quiz(Topic.NUCLEAR, 10, seed=2))


def test_topic_too_small_says_so() -> None:
    with pytest.raises(QuizError, match="yields only"):
        make_quiz(Topic.BIOLOGICAL, 10_000)


def test_topics_partition_the_knowledge_base() -> None:
    everything = profiles(Topic.ALL, hs_text={})
    per_topic = sum(len(profiles(t, hs_text={})) for t in Topic if t is not Topic.ALL)
    assert per_topic == len(everything) == len(knowledge_base().entries)
    assert all(p.topic is Topic.MISSILES for p in profiles(Topic.MISSILES, hs_text={}))


def test_quiz_cli(tmp_path: Path) -> None:
    r = runner.invoke(app, ["train", "quiz", "--topic", "chemicals", "--n", "20"])
    assert r.exit_code == 0, r.output
    assert "20." in r.stdout and "Answers" in r.stdout
    out = tmp_path / "q.json"
    r = runner.invoke(
        app,
        ["train", "quiz", "--topic", "missiles", "--n", "5", "--format", "json", "--out", str(out)],
    )
    assert r.exit_code == 0, r.output
    data = json.loads(out.read_text())
    assert len(data["questions"]) == 5 and all(q["answer"] in "ABCD" for q in data["questions"])
    r = runner.invoke(app, ["train", "quiz", "--topic", "biological", "--n", "5000"])
    assert r.exit_code == 1 and "yields only" in r.output
