"""Throughput of the `licences` and `movements` checks on generated scenarios.

    STCE_MIRROR=../shared/data python bench/licences_movements.py [N]

Prints declarations per second for each check, on one core, in one run (noisy machine: compare
ratios measured side by side, not absolute figures across runs).
"""

from __future__ import annotations

import random
import sys
import time

from stce.licences.check import LicenceCheck
from stce.licences.model import Licence, LicenceState
from stce.licences.registry import LicenceRegistry
from stce.licences.rules import load_rules
from stce.licences.scenarios import generate_licence_scenarios, scenario_determiner
from stce.model import Declaration
from stce.movements.chains import ChainIndex
from stce.movements.check import MovementCheck
from stce.movements.rules import MovementRules
from stce.movements.scenarios import generate_movement_scenarios


def main(n: int) -> None:
    rng = random.Random(1540)
    lic_decls: list[Declaration] = []
    licences: list[Licence] = []
    mov_decls: list[Declaration] = []
    k = 0
    while len(lic_decls) < n:
        k += 1
        sc = generate_licence_scenarios(rng, clean=20, prefix=f"L{k}")
        lic_decls += [Declaration.model_validate(d) for d in sc.declarations]
        licences += [Licence.model_validate(x) for x in sc.licences]
    k = 0
    while len(mov_decls) < n:
        k += 1
        ms = generate_movement_scenarios(rng, clean=20, prefix=f"M{k}")
        mov_decls += [Declaration.model_validate(d) for d in ms.declarations]
    det = scenario_determiner()
    check = LicenceCheck(
        LicenceRegistry([LicenceState(licence=x) for x in licences]), load_rules(), det
    )
    t = time.perf_counter()
    hits = check.check(lic_decls)
    dt = time.perf_counter() - t
    print(
        f"licences: {len(lic_decls)} declarations, {len(licences)} licences, "
        f"{sum(map(len, hits))} hits, {len(lic_decls) / dt:,.0f} decl/s"
    )
    rules = MovementRules(home_country="AE")
    mcheck = MovementCheck(ChainIndex(rules), det, rules)
    t = time.perf_counter()
    mhits = mcheck.check(mov_decls)
    dt = time.perf_counter() - t
    print(
        f"movements: {len(mov_decls)} declarations, {len(mcheck.index)} legs kept, "
        f"{sum(map(len, mhits))} hits, {len(mov_decls) / dt:,.0f} decl/s"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20000)
