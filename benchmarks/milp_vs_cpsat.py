"""The open MILP route against CP-SAT, side by side (issue 22); writes
benchmarks/results-milp-vs-cpsat.md.

Pairs: milp-compact vs cpsat on the Fig. 6 default instances (seeds 0-2) and milp-batch vs
cpsat-batch on the Fig. 9 general instances (seeds 0-2), both semantics. Each pair is solved in this
process in turn (milp, cp-sat, milp, cp-sat, ...: the machine's drift hits both alike), after one
unmeasured warm-up solve of each; the ratio is the median milp wall time over the median cp-sat
wall time. Optional: the throughput of ``partialload verify --generate N --users 3..12 --workers 2``.

Run: python benchmarks/milp_vs_cpsat.py [--repeats 3] [--limit 120] [--verify 300] [--note TEXT]"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from datetime import date
from pathlib import Path

from partialload_opt import solve
from partialload_opt.partialloading.instance import load_instance

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PAIRS = [
    ("fig6-default", "milp-compact", "cpsat"),
    ("fig9-general", "milp-batch", "cpsat-batch"),
]


def timed(inst, solver: str, semantics: str, limit: float):
    t = time.perf_counter()
    r = solve(inst, solver, semantics=semantics, time_limit=limit)
    return r, time.perf_counter() - t


def pairs(repeats: int, limit: float, seeds: list[int]) -> tuple[list[str], list[float]]:
    rows = [
        "| instance | semantics | milp | status, served | cp-sat | status, served | milp s "
        "(median) | cp-sat s (median) | ratio |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    ratios = []
    for stem, milp, cpsat in PAIRS:
        for seed in seeds:
            inst = load_instance(ROOT / "instances" / "paper" / f"{stem}-seed{seed}.json")
            for sem in ("continuous", "slotted"):
                timed(inst, milp, sem, limit)  # warm-up: imports, first build
                timed(inst, cpsat, sem, limit)
                tm, tc = [], []
                for _ in range(repeats):
                    rm, t = timed(inst, milp, sem, limit)
                    tm.append(t)
                    rc, t = timed(inst, cpsat, sem, limit)
                    tc.append(t)
                mm, mc = statistics.median(tm), statistics.median(tc)
                ratios.append(mm / mc)
                rows.append(
                    f"| {stem}-seed{seed} | {sem} | {milp} | {rm.status.value}, {rm.served} | "
                    f"{cpsat} | {rc.status.value}, {rc.served} | {mm:.3f} | {mc:.3f} | "
                    f"{mm / mc:.2f} |"
                )
                print(rows[-1], flush=True)
    return rows, ratios


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--limit", type=float, default=120.0)
    ap.add_argument("--seeds", default="0,1,2")
    ap.add_argument("--verify", type=int, default=0, help="instances for the verify throughput")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--note", default="", help="the machine's state (other work running?)")
    ap.add_argument("--out", default=str(HERE / "results-milp-vs-cpsat.md"))
    ap.add_argument("--date", default=str(date.today()))
    a = ap.parse_args()
    seeds = [int(s) for s in a.seeds.split(",")]
    lines = [
        "# MILP vs CP-SAT, side by side (issue 22)",
        "",
        f"Machine: {os.cpu_count()} cores, {platform.machine()}, Python {sys.version.split()[0]}. "
        f"Date: {a.date}. {a.note}".rstrip(),
        "",
        f"`python benchmarks/milp_vs_cpsat.py --repeats {a.repeats} --limit {a.limit:g}`: each pair "
        "solved in turn in one process (one unmeasured warm-up each), wall seconds of `solve` "
        "(model build, warm start and the rounding proof included); ratio = median milp / median "
        "cp-sat.",
        "",
    ]
    rows, ratios = pairs(a.repeats, a.limit, seeds)
    lines += rows
    lines += [
        "",
        f"Ratios: median **{statistics.median(ratios):.2f}**, worst **{max(ratios):.2f}** "
        f"(target: median <= 3, worst <= 5).",
    ]
    if a.verify:  # benchmarks/verify_rate.py, one run
        from verify_rate import rate_lines

        lines += ["", *rate_lines(a.verify, a.workers, 1, 1, {"this checkout": HERE.parent})]
    text = "\n".join(lines) + "\n"
    print(text)
    Path(a.out).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
