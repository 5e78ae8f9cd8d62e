"""`stce parties screen` end to end: names per second through the CLI, start-up apart.

    STCE_MIRROR=/work/shared/data python bench/parties_cli.py [--names 20000] [--runs 2]

Writes a CSV of distinct party names generated from the mirror's lists (half variants of
list names, half clean names; `stce.parties.evalsets`, seeded), then runs the CLI on it and
on a one-name file, alternately, in fresh processes. The difference of their CPU times is
what screening the names costs with the CSV read and the JSON Lines written; the one-name
run is the start-up (imports, index load, kernel tables). `bench/parties.py` measures the
screening alone, per stage, and accuracy.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from stce.config import get_settings
from stce.parties.evalsets import clean, positives
from stce.parties.sources import iter_list_files, mirror_list_files

sys.path.insert(0, str(Path(__file__).parent))
from parties import hs_words

# the `stce` command of this interpreter (as installed: `stce = "stce.cli:main"`)
STCE = [sys.executable, "-c", "import sys; from stce.cli import main; sys.exit(main())"]


def write_names(path: Path, n: int, seed: int) -> int:
    """A CSV of up to n distinct names (`id,name`); returns how many were written."""
    settings = get_settings()
    assert settings.mirror is not None
    entries = list(iter_list_files(mirror_list_files(settings)))
    queries = positives(entries, n // 2, seed) + clean(
        entries, n - n // 2, seed + 1, hs_words(settings.mirror)
    )
    random.Random(seed).shuffle(queries)
    seen: set[str] = set()
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["id", "name"])
        for q in queries:
            if q.text not in seen:
                seen.add(q.text)
                out.writerow([len(seen), q.text])
    return len(seen)


def cli_cpu_seconds(file: Path, out: Path) -> float:
    """User + system CPU seconds of one `stce parties screen` process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(
        [*STCE, "parties", "screen", str(file), "--out", str(out)],
        check=True,
        stdout=subprocess.DEVNULL,
        env=os.environ.copy(),
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--names", type=int, default=20000)
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    if get_settings().mirror is None:
        print("no list files: set STCE_MIRROR", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="stce-bench-cli-") as tmp:
        work = Path(tmp)
        names = work / "parties.csv"
        n = write_names(names, args.names, args.seed)
        one = work / "one.csv"
        one.write_text("id,name\n1,Acme Trading Ltd\n", encoding="utf-8")
        cli_cpu_seconds(one, work / "one.jsonl")  # the index cache is built on first use
        starts, fulls = [], []
        for _ in range(args.runs):
            starts.append(cli_cpu_seconds(one, work / "one.jsonl"))
            fulls.append(cli_cpu_seconds(names, work / "all.jsonl"))
        lines = sum(1 for _ in (work / "all.jsonl").open(encoding="utf-8"))
        assert lines == n, f"{lines} output lines for {n} names"
        per_run = [n / (f - s) for f, s in zip(fulls, starts, strict=True) if f > s]
        print(
            f"stce parties screen: {n} distinct names; start-up "
            f"{statistics.median(starts):.2f} s CPU (one name), whole file "
            f"{statistics.median(fulls):.2f} s CPU; screening, CSV and JSON Lines: "
            f"{statistics.median(per_run):,.0f} names/s of CPU "
            f"(runs: {', '.join(f'{r:,.0f}' for r in per_run)})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
