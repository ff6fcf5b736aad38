"""Timing suite for the exact models (cpsat, milp-compact, milp-batch); writes
benchmarks/results-exact.md. Each solve runs in this process with the solver's own time limit.

Run: python benchmarks/run_exact.py [--seeds 10] [--sections fig9,full,k1000,milp,batch,free]"""

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

from partialload_opt import solve
from partialload_opt.partialloading.formulations.cpsat_compact import DEFAULT_WORKERS
from partialload_opt.partialloading.generate import GeneratorConfig, generate
from partialload_opt.partialloading.instance import load_instance

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def _status(r) -> str:
    """The status, and what an optimum is over when it is not the problem's (Theorem 2's form)."""
    return (
        "feasible (optimal over Theorem 2's form)"
        if r.optimal_over == "theorem-2 form"
        else r.status.value
    )


def run(inst, name, semantics, limit, **kw):
    t = time.perf_counter()
    r = solve(inst, name, semantics=semantics, time_limit=limit, **kw)
    return r, time.perf_counter() - t


def fig9() -> list[str]:
    rows = ["| instance | solver | semantics | status | served | s |", "|---|---|---|---|---|---|"]
    for path in sorted((ROOT / "instances" / "paper").glob("fig9-*.json")):
        inst = load_instance(path)
        for name in ("cpsat", "milp-compact"):
            for sem in ("continuous", "slotted"):
                run(inst, name, sem, 60)  # warm-up: imports, first model build
                r, t = run(inst, name, sem, 60)
                rows.append(
                    f"| {path.stem} | {name} | {sem} | {r.status.value} | {r.served} | {t:.3f} |"
                )
    return rows


def full(seeds: int) -> list[str]:
    rows = [
        "| case | I | Tbar | semantics | proved | median s | worst s | statuses |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for case, I in (("bls", 50), ("general", 25)):
        for T in (500, 700, 900):
            insts = [
                generate(GeneratorConfig(case=case, users=100, models=I, deadline_ms=T, seed=s))
                for s in range(seeds)
            ]
            for sem in ("continuous", "slotted"):
                times, statuses = [], []
                for inst in insts:
                    r, t = run(inst, "cpsat", sem, 60)
                    times.append(t)
                    statuses.append(_status(r))
                proved = sum(s == "optimal" for s in statuses)
                rows.append(
                    f"| {case} | {I} | {T} | {sem} | {proved}/{len(insts)} | "
                    f"{statistics.median(times):.2f} | {max(times):.2f} | "
                    f"{', '.join(sorted(set(statuses)))} |"
                )
                print(rows[-1], flush=True)
    return rows


def k1000() -> list[str]:
    rows = ["| K | I | case | semantics | status | served | s |", "|---|---|---|---|---|---|---|"]
    for seed in range(3):
        inst = generate(
            GeneratorConfig(case="bls", users=1000, models=50, deadline_ms=900, seed=seed)
        )
        for sem in ("continuous", "slotted"):
            r, t = run(inst, "cpsat", sem, 60)
            rows.append(
                f"| 1000 | 50 | bls s{seed} | {sem} | {r.status.value} | {r.served} | {t:.2f} |"
            )
            print(rows[-1], flush=True)
    return rows


def milp(seeds: int) -> list[str]:
    rows = [
        "| case | K | I | Tbar | semantics | seed | status | served | bound | s |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for case in ("general", "bls"):  # our general instances serve everyone (easy); BLS ones do not
        for seed in range(seeds):
            inst = generate(
                GeneratorConfig(case=case, users=100, models=25, deadline_ms=700, seed=seed)
            )
            for sem in ("continuous", "slotted"):
                r, t = run(inst, "milp-compact", sem, 60)
                rows.append(
                    f"| {case} | 100 | 25 | 700 | {sem} | {seed} | {_status(r)} | {r.served} | "
                    f"{r.bound} | {t:.2f} |"
                )
                print(rows[-1], flush=True)
    return rows


def batch() -> list[str]:
    """Tbar = 200 ms serves every user (the bound K is trivially tight); 100 ms binds (optimum < K)."""
    rows = [
        "| K | I | Tbar ms | seed | symmetry | optimum (dp-exact) | status | served | bound | s |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for T, Ks in ((200, (6, 9, 12, 15, 20)), (100, (9, 12, 15))):
        for K in Ks:
            for seed in range(2):
                inst = generate(
                    GeneratorConfig(case="bls", users=K, models=5, deadline_ms=T, seed=seed)
                )
                best = solve(inst, "dp-exact").served
                for sym in (False, True):
                    r, t = run(inst, "milp-batch", "continuous", 60, symmetry=sym)
                    rows.append(
                        f"| {K} | 5 | {T} | {seed} | {sym} | {best} | {r.status.value} | {r.served} | "
                        f"{r.bound} | {t:.2f} |"
                    )
                    print(rows[-1], flush=True)
    return rows


def theorem_free(seeds: int) -> list[str]:
    """Issue 11's targets: slotted, I = 5, K = 12 proved within 60 s on 8 of 10 seeds (milp-batch and
    its CP-SAT twin; BLS, where Theorem 2's form is also proved, and general, where the theorem-free
    model is the only proof), and continuous K = 20 as before. Tbar = 100 ms (10 slots of 10 ms) binds."""
    rows = [
        "| case | semantics | K | seed | solver | status | served | bound | Theorem-2 form (status) | s |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for case, sem, K in (
        ("bls", "slotted", 12),
        ("general", "slotted", 12),
        ("bls", "continuous", 20),
    ):
        for seed in range(seeds):
            inst = generate(
                GeneratorConfig(case=case, users=K, models=5, deadline_ms=100, seed=seed)
            )
            form = solve(inst, "dp-exact", semantics=sem)
            for name in ("cpsat-batch", "milp-batch"):
                r, t = run(inst, name, sem, 60)
                rows.append(
                    f"| {case} | {sem} | {K} | {seed} | {name} | {r.status.value} | {r.served} | {r.bound} | "
                    f"{form.served} ({form.status.value}) | {t:.2f} |"
                )
                print(rows[-1], flush=True)
    return rows


def _read_sections(path: Path) -> dict[str, list[str]]:
    """The file's '## title' sections (so a run replaces only the sections it ran)."""
    sections: dict[str, list[str]] = {}
    current = None
    text = path.read_text().splitlines()
    old_date = (
        text[0].split("—")[-1].strip() if text and "—" in text[0] else None
    )  # the one-date layout
    for line in text:
        if line.startswith("## "):
            current = line[3:].strip()
            sections[current] = [line, ""] + ([f"Run {old_date}."] if old_date else [])
            continue
        if current is not None:
            sections[current].append(line)
    return sections


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--sections", default="fig9,full,k1000,milp,batch,free")
    ap.add_argument("--out", default=str(HERE / "results-exact.md"))
    args = ap.parse_args()
    head = [
        "# Exact-model timings (each section says when it was run)",
        f"Machine: {os.cpu_count()} cores, {platform.machine()}, Python {sys.version.split()[0]}, "
        f"numpy {np.__version__}; time limit 60 s per solve; cpsat with {DEFAULT_WORKERS} workers "
        "(its default); warm start 'auto' (the default).",
        "",
    ]
    parts = {
        "fig9": ("Fig. 9 size (K=20, I=5)", fig9),
        "full": ("Paper full scale, cpsat (K=100)", lambda: full(args.seeds)),
        "k1000": ("Beyond the paper: K=1000, I=50, cpsat", k1000),
        "milp": ("milp-compact on HiGHS, K=100, I=25", lambda: milp(args.seeds)),
        "batch": ("milp-batch (theorem-free) at I=5", batch),
        "free": (
            "Theorem-free models (milp-batch, cpsat-batch), I=5: slotted K=12, continuous K=20",
            lambda: theorem_free(args.seeds),
        ),
    }
    out = Path(args.out)
    sections = _read_sections(out) if out.exists() else {}
    for key in args.sections.split(","):
        title, fn = parts[key]
        print(f"running: {title}", flush=True)
        sections[title] = [f"## {title}", "", f"Run {date.today().isoformat()}.", "", *fn(), ""]
        ordered = [t for _, (t, _) in parts.items() if t in sections] + [
            t for t in sections if t not in {t for t, _ in parts.values()}
        ]
        out.write_text("\n".join(head + [line for t in ordered for line in sections[t]]) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
