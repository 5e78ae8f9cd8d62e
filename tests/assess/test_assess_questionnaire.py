from __future__ import annotations

import pytest

from stce.assess.questionnaire import TOPICS, load_questionnaire

ISSUE_AREAS = {
    "legal_basis",
    "licensing",
    "control_lists",
    "catch_all",
    "brokering_services",
    "border_enforcement",
    "risk_targeting",
    "commodity_id",
    "free_zones",
    "ecommerce",
    "investigation",
    "awareness_training",
    "cooperation",
}


def test_questionnaire_covers_every_area_of_the_issue() -> None:
    q = load_questionnaire("1.0")
    assert {a.id for a in q.areas} == ISSUE_AREAS


def test_every_area_has_a_question_at_each_level_and_every_question_cites() -> None:
    q = load_questionnaire()
    for area in q.areas:
        assert {x.level for x in area.questions} == {2, 3, 4, 5}, area.id
        for question in area.questions:
            assert question.refs, question.id
            for raw in question.refs:
                assert q.cite(raw).ref.url.startswith("https://")


def test_each_cross_cutting_topic_has_questions() -> None:
    q = load_questionnaire()
    for topic in TOPICS:
        assert any(topic in x.topics for _, x in q.questions()), topic


def test_resolution_paragraphs_are_cited() -> None:
    q = load_questionnaire()
    cited = [r for _, x in q.questions() for r in x.refs if r.startswith("unscr-1540")]
    assert any("OP3(c)" in r for r in cited) and any("OP3(d)" in r for r in cited)


def test_unknown_version_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match=r"1\.0"):
        load_questionnaire("9.9")
