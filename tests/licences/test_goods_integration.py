"""The licence and movement checks with the real goods identifier (stce.goods) deciding what
is strategic: the planted truth holds, and the factories work from the run context alone."""

from __future__ import annotations

import random
from datetime import date

from stce.config import get_settings
from stce.licences import build_check as build_licence_check
from stce.licences.model import Licence, LicenceState
from stce.licences.registry import LicenceRegistry
from stce.licences.scenarios import generate_licence_scenarios, truth_codes
from stce.model import Declaration
from stce.movements import build_check as build_movement_check
from stce.movements.rules import MovementRules
from stce.movements.scenarios import MOVEMENT_CODES, generate_movement_scenarios
from stce.pipeline.context import ScreeningContext


def test_factories_with_the_goods_identifier_reproduce_the_truth() -> None:
    context = ScreeningContext(settings=get_settings(), as_of=date(2026, 11, 1))
    sc = generate_licence_scenarios(random.Random(40), clean=4, repeats=2)
    registry = LicenceRegistry(
        [LicenceState(licence=Licence.model_validate(x)) for x in sc.licences]
    )
    licences = build_licence_check(context, registry=registry)
    decls = [Declaration.model_validate(d) for d in sc.declarations]
    truth = {t["declaration_id"]: truth_codes(t) for t in sc.truth}
    for d, hits in zip(decls, licences.check(decls), strict=True):
        assert {h.code for h in hits} == truth.get(d.declaration_id, set()), d.declaration_id
    assert "licences" in context.versions

    ms = generate_movement_scenarios(random.Random(41), clean=3)
    movements = build_movement_check(context, rules=MovementRules(home_country=ms.home))
    mdecls = [Declaration.model_validate(d) for d in ms.declarations]
    got = {
        d.declaration_id: {h.code for h in hits}
        for d, hits in zip(mdecls, movements.check(mdecls), strict=True)
    }
    for h in movements.overdue(ms.as_of):
        got.setdefault(h.declaration_id, set()).add(h.code)
    mtruth = {t["declaration_id"]: truth_codes(t) & set(MOVEMENT_CODES) for t in ms.truth}
    for did in {d.declaration_id for d in mdecls}:
        assert got.get(did, set()) == mtruth.get(did, set()), did
