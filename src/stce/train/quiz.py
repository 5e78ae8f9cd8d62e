"""Multiple-choice quizzes generated from the goods knowledge base, the HS nomenclature and the red
flags: which HS code, which control entry, which CAS number, which red flag. Each question carries
its answer, an explanation and the public source, so a trainer can check every item.

Deterministic for a given seed; kinds are interleaved so a short quiz still mixes them.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from stce.train.profiles import CommodityProfile, SourceLine, Topic, profiles
from stce.train.redflags import RedFlag, red_flags

OPTIONS = 4
LETTERS = "ABCD"


@dataclass(frozen=True)
class QuizQuestion:
    kind: str
    subject: str
    prompt: str
    options: tuple[str, ...]
    answer: int
    explanation: str
    sources: tuple[SourceLine, ...] = ()

    @property
    def answer_letter(self) -> str:
        return LETTERS[self.answer]

    @property
    def answer_text(self) -> str:
        return self.options[self.answer]


@dataclass
class Quiz:
    topic: Topic
    seed: int
    questions: list[QuizQuestion] = field(default_factory=list)


class QuizError(ValueError):
    """The topic cannot yield the requested quiz."""


def _choices(
    rng: random.Random, correct: str, pool: list[str], k: int = OPTIONS - 1
) -> tuple[tuple[str, ...], int] | None:
    others = sorted({p for p in pool if p != correct})
    if len(others) < k:
        return None
    options = [correct, *rng.sample(others, k)]
    rng.shuffle(options)
    return tuple(options), options.index(correct)


def _hs_label(code: str) -> str:
    return f"{code[:4]}.{code[4:]}"


def _hs_for_entry(ps: list[CommodityProfile], rng: random.Random) -> Iterator[QuizQuestion]:
    all_codes = sorted({h.code for p in ps for h in p.hs})
    for p in ps:
        if not p.hs:
            continue
        line = rng.choice(p.hs)
        own = {h.code for h in p.hs}
        picked = _choices(
            rng, _hs_label(line.code), [_hs_label(c) for c in all_codes if c not in own]
        )
        if picked is None:
            continue
        options, answer = picked
        described = f" ({line.description})" if line.description else ""
        yield QuizQuestion(
            kind="hs_for_entry",
            subject=p.entry_id,
            prompt=f"Which HS 2022 subheading is correlated with “{p.title}” ({p.list_ref})?",
            options=options,
            answer=answer,
            explanation=(
                f"{_hs_label(line.code)}{described} is {'an' if line.match == 'exact' else 'a'} "
                f"{line.match} correlation of {p.entry_id}. "
                "An HS hit starts commodity identification; it is not a control decision: "
                "check the technical parameters against the list text."
            ),
            sources=p.sources,
        )


def _entry_label(p: CommodityProfile) -> str:
    return f"{p.list_ref}: {p.title}"


def _entry_for_chemical(ps: list[CommodityProfile], rng: random.Random) -> Iterator[QuizQuestion]:
    labels = {p.entry_id: _entry_label(p) for p in ps}
    for p in ps:
        for chem in p.chemicals:
            owners = {q.entry_id for q in ps if any(c.cas == chem.cas for c in q.chemicals)}
            pool = [label for eid, label in labels.items() if eid not in owners]
            picked = _choices(rng, labels[p.entry_id], pool)
            if picked is None:
                continue
            shown = chem.synonyms[0] if chem.synonyms else chem.name
            also = sorted(owners - {p.entry_id})
            yield QuizQuestion(
                kind="entry_for_chemical",
                subject=f"{chem.cas}:{p.entry_id}",
                prompt=f"A declaration names “{shown}” (CAS {chem.cas}). Which entry controls it?",
                options=picked[0],
                answer=picked[1],
                explanation=(
                    f"{chem.name} (CAS {chem.cas}) is covered by {p.list_ref}"
                    + (f" and also by {', '.join(also)}" if also else "")
                    + f". {p.why_controlled}".rstrip(". ")
                    + "."
                ),
                sources=p.sources,
            )


def _cas_for_chemical(ps: list[CommodityProfile], rng: random.Random) -> Iterator[QuizQuestion]:
    chems = {c.cas: c for p in ps for c in p.chemicals}
    owner = {c.cas: p for p in ps for c in p.chemicals}
    for cas, chem in chems.items():
        picked = _choices(rng, cas, list(chems))
        if picked is None:
            continue
        names = ", ".join(chem.synonyms[:2])
        yield QuizQuestion(
            kind="cas_for_chemical",
            subject=cas,
            prompt=f"Which CAS Registry Number identifies {chem.name}?",
            options=picked[0],
            answer=picked[1],
            explanation=(
                f"{chem.name}{' (' + names + ')' if names else ''} is CAS {cas}, controlled under "
                f"{owner[cas].list_ref}. The CAS number is the surest identifier on documents: "
                "trade names vary, the number does not."
            ),
            sources=owner[cas].sources,
        )


def _entry_for_description(
    ps: list[CommodityProfile], rng: random.Random
) -> Iterator[QuizQuestion]:
    titles = {p.entry_id: p.title for p in ps}
    for p in ps:
        picked = _choices(rng, p.title, [t for k, t in titles.items() if k != p.entry_id])
        if picked is None:
            continue
        yield QuizQuestion(
            kind="entry_for_description",
            subject=p.entry_id,
            prompt=f"Which control entry matches this description? “{p.description}”",
            options=picked[0],
            answer=picked[1],
            explanation=(
                f"This is {p.list_ref} ({', '.join(p.regimes)}). {p.why_controlled}".strip()
            ),
            sources=p.sources,
        )


def _hs_text(ps: list[CommodityProfile], rng: random.Random) -> Iterator[QuizQuestion]:
    described = {h.code: h.description for p in ps for h in p.hs if h.description}
    by_code = {h.code: p for p in ps for h in p.hs}
    for code, text in described.items():
        picked = _choices(rng, text, [t for c, t in described.items() if c != code])
        if picked is None:
            continue
        yield QuizQuestion(
            kind="hs_text",
            subject=code,
            prompt=f"What does HS 2022 subheading {_hs_label(code)} cover?",
            options=picked[0],
            answer=picked[1],
            explanation=(
                f"{_hs_label(code)}: {text} (HS 2022 nomenclature). Strategic goods here include "
                f"{by_code[code].title} ({by_code[code].list_ref})."
            ),
            sources=(SourceLine("HS Nomenclature 2022 (WCO)", "https://www.wcoomd.org/"),),
        )


def _red_flag(flags: tuple[RedFlag, ...], rng: random.Random) -> Iterator[QuizQuestion]:
    names = [f.name for f in flags]
    for flag in flags:
        picked = _choices(rng, flag.name, names)
        if picked is None:
            continue
        yield QuizQuestion(
            kind="red_flag",
            subject=flag.id,
            prompt=f"Which red flag does this show? {flag.scenario}",
            options=picked[0],
            answer=picked[1],
            explanation=(
                f"{flag.name} ({flag.group}). One red flag is a reason to look closer, "
                "not proof: combine it with the goods, parties and route."
            ),
            sources=flag.sources,
        )


Generator = Callable[[list[CommodityProfile], random.Random], Iterator[QuizQuestion]]
GENERATORS: dict[str, Generator] = {
    "hs_for_entry": _hs_for_entry,
    "entry_for_chemical": _entry_for_chemical,
    "cas_for_chemical": _cas_for_chemical,
    "entry_for_description": _entry_for_description,
    "hs_text": _hs_text,
}


def make_quiz(
    topic: Topic,
    n: int,
    seed: int = 1540,
    source: list[CommodityProfile] | None = None,
    flags: tuple[RedFlag, ...] | None = None,
) -> Quiz:
    """`n` distinct questions on `topic`, kinds interleaved; QuizError if the topic has fewer."""
    if n < 1:
        raise QuizError("n must be at least 1")
    rng = random.Random(seed)
    ps = source if source is not None else profiles(topic)
    pools: list[list[QuizQuestion]] = []
    for make in GENERATORS.values():
        pool = list(make(ps, rng))
        rng.shuffle(pool)
        if pool:
            pools.append(pool)
    flag_pool = list(_red_flag(flags if flags is not None else red_flags(), rng))
    rng.shuffle(flag_pool)
    pools.append(flag_pool)
    quiz = Quiz(topic=topic, seed=seed)
    seen: set[tuple[str, str]] = set()
    while len(quiz.questions) < n and any(pools):
        for pool in pools:
            while pool:
                q = pool.pop()
                if (q.kind, q.subject) not in seen:
                    seen.add((q.kind, q.subject))
                    quiz.questions.append(q)
                    break
            if len(quiz.questions) == n:
                break
    if len(quiz.questions) < n:
        raise QuizError(
            f"topic {topic.value} yields only {len(quiz.questions)} distinct questions; ask fewer"
        )
    return quiz


def render_text(quiz: Quiz, answers: bool = True) -> str:
    """Questions, then the answer key with explanations (for print or e-mail)."""
    lines = [f"Quiz: {quiz.topic.heading} ({len(quiz.questions)} questions, seed {quiz.seed})", ""]
    for i, q in enumerate(quiz.questions, start=1):
        lines.append(f"{i}. {q.prompt}")
        lines.extend(f"   {LETTERS[j]}) {opt}" for j, opt in enumerate(q.options))
        lines.append("")
    if answers:
        lines.append("Answers")
        for i, q in enumerate(quiz.questions, start=1):
            src = "; ".join(s.title for s in q.sources[:2])
            lines.append(f"{i}. {q.answer_letter}) {q.answer_text} — {q.explanation} [{src}]")
    return "\n".join(lines) + "\n"


def to_dict(quiz: Quiz) -> dict[str, object]:
    return {
        "topic": quiz.topic.value,
        "seed": quiz.seed,
        "questions": [
            {
                "kind": q.kind,
                "prompt": q.prompt,
                "options": list(q.options),
                "answer": q.answer_letter,
                "answer_text": q.answer_text,
                "explanation": q.explanation,
                "sources": [{"title": s.title, "url": s.url} for s in q.sources],
            }
            for q in quiz.questions
        ],
    }


def render_html(quiz: Quiz, answers: bool = True) -> str:
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(
        loader=PackageLoader("stce.train", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template("quiz.html.j2").render(quiz=quiz, answers=answers)
