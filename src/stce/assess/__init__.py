"""UNSCR 1540 self-assessment: questionnaire, answers with evidence, maturity scoring, the note."""

from stce.assess.model import Answer, AnswerValue, Assessment, Evidence, EvidenceKind
from stce.assess.questionnaire import Questionnaire, load_questionnaire
from stce.assess.scoring import AreaScore, Gap, Profile, score

__all__ = [
    "Answer",
    "AnswerValue",
    "AreaScore",
    "Assessment",
    "Evidence",
    "EvidenceKind",
    "Gap",
    "Profile",
    "Questionnaire",
    "load_questionnaire",
    "score",
]
