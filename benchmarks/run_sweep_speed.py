"""Fig. 6 sweep throughput with the paper's three algorithms (dp-paper, greedy-paper, independent):
wall time for R realizations per point with 1 and 2 local workers, and the projection to the
paper's 1,000 realizations (21 points x 1,000 = 21,000 tasks). Writes benchmarks/results-sweep.md.

Run: python benchmarks/run_sweep_speed.py [--realizations 20]"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

from partialload_opt.partialloading.experiments.figures import figure
from partialload_opt.partialloading.experiments.sweep import run_sweep

HERE = Path(__file__).resolve().parent
KEEP = {"dp-paper", "greedy-paper", "independent"}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--realizations", type=int, default=20)
    args = ap.parse_args()
    panels = [replace(p, runs=tuple(r for r in p.runs if r.solver in KEEP)) for p in figure("fig6")]
    tasks = sum(len(p.values) for p in panels) * args.realizations
    lines = [
        f"# Fig. 6 sweep throughput — {date.today().isoformat()}",
        f"Machine: {os.cpu_count()} cores, {platform.machine()}, Python {sys.version.split()[0]}. "
        f"Fig. 6, all four panels (21 points), {args.realizations} realizations per point = {tasks} tasks, "
        "solvers dp-paper, greedy-paper, independent (each task also generates its instance).",
        "",
        "| workers | wall s | tasks/s | projected s for 1,000 realizations (21,000 tasks) |",
        "|---|---|---|---|",
    ]
    base = None
    for workers in (1, 2):
        out = Path(tempfile.mkdtemp())
        t = time.perf_counter()
        run_sweep(panels, out, args.realizations, workers=workers).close()
        wall = time.perf_counter() - t
        shutil.rmtree(out)
        base = base or wall
        lines.append(
            f"| {workers} | {wall:.1f} | {tasks / wall:.1f} | {21000 / (tasks / wall):.0f} |"
        )
        print(lines[-1], flush=True)
    lines += ["", f"Speed-up 1 -> 2 workers: {base / wall:.2f}x."]
    (HERE / "results-sweep.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
