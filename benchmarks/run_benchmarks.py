"""Timing suite for the solvers; writes benchmarks/results-solvers.md (a table per section).

Run: python benchmarks/run_benchmarks.py [--quick]
Times are of the registered solver function alone (the evaluator's re-scoring is not included):
'warm' = the instance's derived data (p_k, loads, clusters) already computed, as it is after loading
in a sweep; 'cold' = a freshly loaded instance. Median of repeats; machine and date in the header."""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np

from partialload_opt import Unsupported, solvers
from partialload_opt.partialloading.generate import GeneratorConfig, generate
from partialload_opt.partialloading.instance import instance_from_dict, load_instance

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def timed(fn, inst, repeats: int, cold: bool, **kw) -> tuple[float, object]:
    doc = inst.to_dict()
    times, out = [], None
    for _ in range(repeats):
        target = instance_from_dict(doc) if cold else inst
        t = time.perf_counter()
        try:
            out = fn(target, **kw)
        except Unsupported as e:
            return float("nan"), Refused(e.rule)
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


class Refused:
    """A solver that refused the instance (its guard); printed instead of a count."""

    def __init__(self, why: str):
        self.claimed = f"refused: {why}"


def warm(inst):
    inst.load_time, inst.users_of, inst.clusters, inst.is_bls, inst.b_max  # noqa: B018
    return inst


def fig9(repeats: int) -> list[str]:
    table = solvers()
    rows = [
        "| instance | solver | semantics | served | warm ms | cold ms |",
        "|---|---|---|---|---|---|",
    ]
    for path in sorted((ROOT / "instances" / "paper").glob("fig9-*.json")):
        inst = warm(load_instance(path))
        for name, sem in [
            ("dp-paper", "slotted"),
            ("greedy-paper", "slotted"),
            ("dp-exact", "continuous"),
            ("dp-exact", "slotted"),
            ("exhaustive", "continuous"),
            ("exhaustive", "slotted"),
        ]:
            if name == "dp-paper" and not inst.is_bls:
                continue
            fn = table[name].func
            w, out = timed(fn, inst, repeats, False, semantics=sem)
            c, _ = timed(fn, inst, max(3, repeats // 4), True, semantics=sem)
            rows.append(
                f"| {path.stem} | {name} | {sem} | {out.claimed} | {w * 1e3:.3f} | {c * 1e3:.3f} |"
            )
    return rows


def full_scale(repeats: int) -> list[str]:
    table = solvers()
    rows = [
        "| case | K | I | Tbar ms | solver | semantics | served | warm ms |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for case, I in (("bls", 50), ("general", 25)):
        for seed in range(3):
            inst = warm(
                generate(
                    GeneratorConfig(case=case, users=100, models=I, deadline_ms=900, seed=seed)
                )
            )
            runs = [
                ("greedy-paper", "slotted"),
                ("independent", "slotted"),
                ("dp-exact", "continuous"),
                ("dp-exact", "slotted"),
            ]
            if inst.is_bls:
                runs.insert(0, ("dp-paper", "slotted"))
            for name, sem in runs:
                reps = repeats if not (name == "dp-exact" and sem == "slotted") else 1
                w, out = timed(table[name].func, inst, reps, False, semantics=sem)
                rows.append(
                    f"| {case} s{seed} | 100 | {I} | 900 | {name} | {sem} | {out.claimed} | {w * 1e3:.1f} |"
                )
    return rows


def slope(xs, ys) -> float:
    return float(np.polyfit(np.log(xs), np.log(ys), 1)[0])


def growth(repeats: int) -> list[str]:
    table = solvers()
    runs = [("dp-paper", "slotted"), ("greedy-paper", "slotted"), ("dp-exact", "continuous")]
    axes = {
        "K": ([50, 100, 200, 400, 800], lambda v: GeneratorConfig(users=v, deadline_ms=900)),
        "I": ([10, 20, 40, 80], lambda v: GeneratorConfig(users=100, models=v, deadline_ms=900)),
        "T (slots)": ([30, 60, 120, 240], lambda v: GeneratorConfig(users=100, deadline_ms=10 * v)),
    }
    rows = [
        "| axis | values | solver | ms at each value | log-log slope |",
        "|---|---|---|---|---|",
    ]
    for axis, (values, make) in axes.items():
        insts = [warm(generate(make(v))) for v in values]
        for name, sem in runs:
            ts = [timed(table[name].func, inst, repeats, False, semantics=sem)[0] for inst in insts]
            rows.append(
                f"| {axis} | {values} | {name} | {', '.join(f'{t * 1e3:.2f}' for t in ts)} | "
                f"{slope(values, ts):.2f} |"
            )
    return rows


def subset_dp(repeats: int) -> list[str]:
    """dp-exact's subset DP on one cluster of I models (general case, ResNet-18 only)."""
    table = solvers()
    rows = ["| I (one cluster) | K | semantics | served | s |", "|---|---|---|---|---|"]
    for I in (10, 12, 15):
        inst = warm(
            generate(
                GeneratorConfig(
                    case="general",
                    users=80,
                    models=I,
                    deadline_ms=700,
                    architectures=("resnet18",),
                    seed=0,
                )
            )
        )
        assert len(inst.clusters) == 1
        for sem in ("continuous", "slotted"):
            t, out = timed(table["dp-exact"].func, inst, 1, False, semantics=sem)
            rows.append(f"| {I} | 80 | {sem} | {out.claimed} | {t:.2f} |")
    return rows


def speedup(repeats: int) -> list[str]:
    """dp-exact against our exhaustive search as the library grows (K = 4 I, Tbar = 200 ms, BLS):
    the exhaustive search is exponential in I, dp-exact polynomial; the ratio is what Fig. 9 shows."""
    table = solvers()
    rows = [
        "| I | K | semantics | candidates | exhaustive s | dp-exact ms | ratio |",
        "|---|---|---|---|---|---|---|",
    ]
    for I in (4, 5, 6, 7, 8):
        inst = warm(
            generate(GeneratorConfig(case="bls", users=4 * I, models=I, deadline_ms=200, seed=0))
        )
        for sem in ("continuous", "slotted"):
            ex, out = timed(
                table["exhaustive"].func, inst, 1, False, semantics=sem, max_candidates=1e10
            )
            dp, _ = timed(table["dp-exact"].func, inst, repeats, False, semantics=sem)
            rows.append(
                f"| {I} | {4 * I} | {sem} | {out.stats['candidates']:.3g} | {ex:.3f} | {dp * 1e3:.3f} | "
                f"{ex / dp:,.0f}x |"
            )
            print(rows[-1], flush=True)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="fewer repeats")
    ap.add_argument("--out", default=str(HERE / "results-solvers.md"))
    ap.add_argument("--sections", default="fig9,full,growth,subset,speedup")
    args = ap.parse_args()
    reps = 5 if args.quick else 21
    cpu = platform.processor() or platform.machine()
    head = [
        f"# Solver timings — {date.today().isoformat()}",
        f"Machine: {os.cpu_count()} cores, {cpu}, Python {sys.version.split()[0]}, "
        f"numpy {np.__version__}; median of {reps} runs unless said.",
        "",
    ]
    parts = {
        "fig9": ("Fig. 9 size (K=20, I=5, Tbar=200 ms)", fig9),
        "full": ("Paper full scale", full_scale),
        "growth": ("Growth", growth),
        "subset": ("dp-exact subset DP, one cluster", subset_dp),
        "speedup": ("dp-exact vs exhaustive as I grows", speedup),
    }
    lines = head
    for title, fn in (parts[k] for k in args.sections.split(",")):
        print(f"running: {title}", flush=True)
        lines += [f"## {title}", "", *fn(reps), ""]
        Path(args.out).write_text("\n".join(lines) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
