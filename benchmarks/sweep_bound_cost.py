"""What the bound every answer carries costs a Fig. 7 sweep: each realization's runs (the figure's
solvers, the exact slotted run on every realization) timed with ``solve``'s cheap bound on and off,
side by side in one process (the order alternating, each on a freshly generated instance, so that
neither inherits the other's derived data); writes benchmarks/results-sweep-bound.md.

Run: python benchmarks/sweep_bound_cost.py [--realizations 5] (per grid point; 21 points)
Target of issue 28: the bound costs <= 10 % of the sweep."""

from __future__ import annotations

import argparse
import os
import platform
import time
from datetime import date
from pathlib import Path

from rich.progress import Progress

from partialload_opt import solve
from partialload_opt.partialloading.experiments.figures import figure
from partialload_opt.partialloading.experiments.sweep import EXACT_TIME_LIMIT_S
from partialload_opt.partialloading.generate import generate

HERE = Path(__file__).resolve().parent


def realization(panel, x, seed: int, bound: bool) -> float:
    """Seconds to generate one realization and run every run of the panel on it."""
    t = time.perf_counter()
    inst = generate(panel.config(x, seed))
    for run in panel.runs:
        solve(
            inst,
            run.solver,
            semantics=run.semantics,
            bandwidth=run.bandwidth,
            time_limit=EXACT_TIME_LIMIT_S,
            cheap_bound=bound,
        )
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--realizations", type=int, default=5, help="per grid point")
    ap.add_argument("--figure", default="fig7")
    ap.add_argument("--out", type=Path, default=HERE / "results-sweep-bound.md")
    args = ap.parse_args()
    tasks = [
        (p, x, s) for s in range(args.realizations) for p in figure(args.figure) for x in p.values
    ]
    on = off = 0.0
    with Progress() as bar:
        job = bar.add_task(f"{args.figure} realizations, bound on and off", total=len(tasks))
        for n, (p, x, s) in enumerate(tasks):
            first = n % 2 == 0
            a = realization(p, x, s, first)
            b = realization(p, x, s, not first)
            on += a if first else b
            off += b if first else a
            bar.advance(job)
    share = (on - off) / on if on else 0.0
    lines = [
        f"# The cost of the cheap bound in a {args.figure} sweep",
        "",
        f"`python benchmarks/sweep_bound_cost.py --figure {args.figure} --realizations "
        f"{args.realizations}`, {date.today()}, {platform.machine()} ({os.cpu_count()} cores), Python "
        f"{platform.python_version()}: {len(tasks)} realizations, every run of the figure (the exact",
        "slotted one included) on each, one process, bound on and off alternating.",
        "",
        "| bound | seconds | per realization |",
        "|---|---|---|",
        f"| on | {on:.1f} | {1000 * on / len(tasks):.1f} ms |",
        f"| off | {off:.1f} | {1000 * off / len(tasks):.1f} ms |",
        "",
        f"The bound costs **{100 * share:.1f} %** of the sweep (target of issue 28: <= 10 %).",
    ]
    args.out.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
