from __future__ import annotations

from stce.assess.model import AnswerValue, Assessment, Evidence, EvidenceKind
from stce.assess.questionnaire import load_questionnaire
from stce.assess.scoring import score
from stce.assess.storage import new_assessment, record_answer

LAW = [Evidence(kind=EvidenceKind.LAW, ref="Act 1, s. 2")]


def _answer_area(a: Assessment, area_id: str, up_to: int) -> None:
    for question in load_questionnaire().area(area_id).questions:
        if question.level <= up_to:
            record_answer(a, question.id, AnswerValue.YES, LAW)


def test_empty_assessment_is_level_one_everywhere() -> None:
    profile = score(new_assessment("X"))
    assert {a.level for a in profile.areas} == {1}
    assert profile.completion == 0.0


def test_level_is_the_highest_complete_staircase_step() -> None:
    a = new_assessment("X")
    _answer_area(a, "licensing", 3)
    assert score(a).area("licensing").level == 3
    # a level-5 answer does not count while level 4 is open
    record_answer(a, "LI5", AnswerValue.YES, LAW)
    area = score(a).area("licensing")
    assert area.level == 3
    assert [g.question_id for g in area.next_gaps] == ["LI4"]


def test_yes_without_required_evidence_counts_as_partial() -> None:
    a = new_assessment("X")
    record_answer(a, "LB1", AnswerValue.YES)  # level 2: evidence optional
    record_answer(a, "LB2", AnswerValue.YES)
    record_answer(a, "LB3", AnswerValue.YES)  # level 3: evidence required
    area = score(a).area("legal_basis")
    assert area.level == 2
    gap = area.next_gaps[0]
    assert gap.question_id == "LB3" and gap.unevidenced
    assert gap.answer is AnswerValue.PARTIAL


def test_gap_priorities_follow_the_levels_above_the_current_one() -> None:
    a = new_assessment("X")
    _answer_area(a, "free_zones", 2)
    area = score(a).area("free_zones")
    assert [(g.question_id, g.priority) for g in area.gaps] == [("FZ2", 1), ("FZ3", 2), ("FZ4", 3)]
    assert all(g.citations for g in area.gaps)


def test_examples_are_at_different_maturity(ruritania: Assessment, freedonia: Assessment) -> None:
    low, high = score(ruritania), score(freedonia)
    assert low.average < 2 <= 4 <= high.average
    assert all(lo.level <= hi.level for lo, hi in zip(low.areas, high.areas, strict=True))
