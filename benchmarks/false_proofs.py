"""Every exact solver against the theorem-free search on fresh near-boundary instances: how many false
proofs (``optimal`` at a count that is not the optimum), bounds below the optimum, errors, and honest
``feasible`` answers; writes benchmarks/results-false-proofs.md (and a .jsonl of the rows beside it;
the repository keeps it gzipped, results-false-proofs.jsonl.gz, which --report-only also reads).

Instances: ``generate.near_boundary_instance(seed, case)`` for seeds ``--first``.. and the cases bls,
nested and general in turn (K = 4..7; one Theorem-2 segment, or a planted visiting order, within
1e-12..1e-6 slot of a boundary; slots from 1 us to 1,000 s; zero-size blocks; ties). Each in both
semantics, with every registered exact PartialLoading solver that takes it (one CP-SAT / HiGHS
thread per solve: the worker processes fill the cores). The truth is ``claims.search.best`` (no
theorem assumed).

Run: python benchmarks/false_proofs.py --instances 20000 --workers 2 [--resume] [--limit 30]
(--resume keeps the rows of an interrupted run's .jsonl and solves only the rest; --report-only rewrites the
report from those rows; target of issue 27:
0 false proofs and 0 bounds below the optimum, the rate of honest ``feasible`` reported.)"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import time
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

from rich.progress import Progress

from partialload_opt import solve
from partialload_opt.parallel import run_each
from partialload_opt.partialloading.claims import search
from partialload_opt.partialloading.generate import NEAR_BOUNDARY_CASES, near_boundary_instance
from partialload_opt.registry import solvers
from partialload_opt.results import Status, Unsupported

HERE = Path(__file__).resolve().parent
SEMANTICS = ("slotted", "continuous")


def exact_solvers() -> list[str]:
    return sorted(
        name
        for name, info in solvers().items()
        if info.problem == "partialload" and info.exact and not info.user
    )


def check(seed: int, case: str, limit: float, p1: bool = True) -> list[dict]:
    """One instance: every exact solver in both semantics against the theorem-free search (p1-scip
    only when ``p1``: SCIP's continuous P1 takes most of the time)."""
    inst = near_boundary_instance(seed, case)
    rows = []
    for sem in SEMANTICS:
        truth = search.best(inst, sem)[0]
        for name in exact_solvers():
            if name == "p1-scip" and not p1:
                continue
            t = time.perf_counter()
            try:
                r = solve(inst, name, semantics=sem, time_limit=limit, threads=1)
            except Unsupported:
                continue
            except ImportError:  # an extra (pyscipopt) not installed
                continue
            rows.append(
                {
                    "seed": seed,
                    "case": case,
                    "sharing": inst.meta.get("sharing"),
                    "K": inst.K,
                    "solver": name,
                    "semantics": sem,
                    "status": r.status.value,
                    "served": r.served,
                    "bound": r.bound,
                    "truth": truth,
                    "false_proof": r.status is Status.OPTIMAL and r.served != truth,
                    "low_bound": r.bound is not None and r.bound < truth,
                    "refuted": "refuted by a verified schedule" in r.message,
                    "seconds": round(time.perf_counter() - t, 4),
                    "message": r.message[:200],
                }
            )
    return rows


def tasks(first: int, n: int):
    """(seed, case) for n instances: the cases in turn, seeds first, first + 1, ..."""
    for t in range(n):
        yield (
            first + t // len(NEAR_BOUNDARY_CASES),
            NEAR_BOUNDARY_CASES[t % len(NEAR_BOUNDARY_CASES)],
        )


def table(rows: list[dict]) -> list[str]:
    by = defaultdict(Counter)
    for r in rows:
        key = (r["solver"], r["semantics"])
        c = by[key]
        c["runs"] += 1
        c[r["status"]] += 1
        c["false proofs"] += r["false_proof"]
        c["bounds below"] += r["low_bound"]
        c["refuted"] += r["refuted"]
    cols = [
        "runs",
        "optimal",
        "feasible",
        "timeout",
        "error",
        "refuted",
        "false proofs",
        "bounds below",
    ]
    out = [
        "| solver | semantics | " + " | ".join(cols) + " | honest feasible |",
        "|---" * (len(cols) + 3) + "|",
    ]
    for (name, sem), c in sorted(by.items()):
        rate = f"{100 * c['feasible'] / c['runs']:.2f} %" if c["runs"] else "-"
        out.append(f"| {name} | {sem} | " + " | ".join(str(c[k]) for k in cols) + f" | {rate} |")
    return out


def report(rows: list[dict], args, wall: float, carried: int = 0) -> str:
    """The Markdown report; ``wall`` is this run's time, ``carried`` the instances a resumed run
    took over from earlier runs (their time is not in ``wall``)."""
    instances = {(r["seed"], r["case"]) for r in rows}
    fresh = len(instances) - carried
    timed = f"{wall / 60:.1f} min for the {fresh:,} instances of this run" if fresh else ""
    if carried:
        timed += (", " if fresh else "") + (
            f"{carried:,} instances from earlier runs (their time not counted here)"
        )
    bad = [r for r in rows if r["false_proof"] or r["low_bound"]]
    errors = [r for r in rows if r["status"] == "error"]
    sharing = Counter(s for _, s in {((r["seed"], r["case"]), r["sharing"]) for r in rows})
    lines = [
        "# False proofs: every exact solver against the theorem-free search near slot boundaries",
        "",
        f"`python benchmarks/false_proofs.py --instances {args.instances} --first {args.first} "
        f"--workers {args.workers} --limit {args.limit:g} --p1-every {args.p1_every}`, "
        f"{date.today()}, "
        f"{platform.machine()} {platform.processor() or ''} ({os.cpu_count()} cores), "
        f"Python {platform.python_version()}, {timed}.",
        "",
        f"**{len(instances):,} instances** (sharing as drawn: "
        + ", ".join(f"{k} {v:,}" for k, v in sorted(sharing.items()))
        + f"), {len(rows):,} solver runs: **{sum(r['false_proof'] for r in rows)} false proofs, "
        f"{sum(r['low_bound'] for r in rows)} bounds below the optimum**, {len(errors)} errors.",
        "",
        "A false proof is `optimal` at a count other than the theorem-free optimum; a bound below is a",
        "reported bound under it. `refuted`: errors that `solve` made of a bound below a verified schedule",
        "(each would otherwise have been a false proof). `honest feasible`: the share of runs that stopped",
        "short of a proof and said so (Theorem 2's form where it is not proved to lose nothing, a",
        "rounding that may matter, HiGHS disagreeing with itself across tolerances).",
        "",
        *table(rows),
        "",
    ]
    if bad or errors:
        lines += [
            "## Runs to look at",
            "",
            "| seed | case | solver | semantics | status | served | bound | truth | message |",
            "|---" * 9 + "|",
        ]
        for r in (bad + errors)[:60]:
            lines.append(
                f"| {r['seed']} | {r['case']} | {r['solver']} | {r['semantics']} | {r['status']} | "
                f"{r['served']} | {r['bound']} | {r['truth']} | {r['message'][:100]} |"
            )
        lines.append("")
    lines.append(
        "Replay one: `near_boundary_instance(seed, case)` in `partialload_opt.partialloading.generate`."
    )
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--instances", type=int, default=20000)
    ap.add_argument("--first", type=int, default=0, help="first seed")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--limit", type=float, default=30.0, help="seconds per solve")
    ap.add_argument(
        "--p1-every", type=int, default=10, help="p1-scip on every N-th instance (1: all)"
    )
    ap.add_argument("--resume", action="store_true")
    ap.add_argument(
        "--report-only",
        action="store_true",
        help="rewrite the report from the stored rows, solve nothing",
    )
    ap.add_argument("--out", type=Path, default=HERE / "results-false-proofs.md")
    args = ap.parse_args()
    store = args.out.with_suffix(".jsonl")
    rows: list[dict] = []
    packed = store.with_suffix(".jsonl.gz")  # the committed copy (the rows run to tens of MB)
    if args.report_only and not store.exists() and packed.exists():
        with gzip.open(packed, "rt") as rows_in:
            rows = [json.loads(line) for line in rows_in if line.strip()]
    elif (args.resume or args.report_only) and store.exists():
        rows = [json.loads(line) for line in store.read_text().splitlines() if line.strip()]
    elif store.exists():
        store.unlink()
    done = {(r["seed"], r["case"]) for r in rows}
    if args.report_only:
        args.out.write_text(report(rows, args, 0.0, carried=len(done)))
        print(f"wrote {args.out}")
        return
    todo = [
        (s, c, args.limit, n % args.p1_every == 0)
        for n, (s, c) in enumerate(tasks(args.first, args.instances))
        if (s, c) not in done
    ]
    t0 = time.perf_counter()
    with Progress() as bar, store.open("a") as sink:
        job = bar.add_task("near-boundary instances", total=args.instances, completed=len(done))
        for _, got in run_each(check, todo, args.workers):
            for row in got:
                sink.write(json.dumps(row) + "\n")
            sink.flush()
            rows += got
            bar.advance(job)
    args.out.write_text(report(rows, args, time.perf_counter() - t0, carried=len(done)))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
