"""One verification run, end to end: check every instance (resumable), shrink and save each kind of
violation, write report.json and report.md. The CLI's ``verify`` parses options and calls ``verify``."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import cast

from partialload_opt import problem as problems
from partialload_opt.errors import InputError
from partialload_opt.fileio import atomic_write_json, atomic_write_text
from partialload_opt.parallel import process_pool, run_each
from partialload_opt.verify import SOLVER_PREFIX, claim_modules, runner, shrink
from partialload_opt.verify import report as rep


def choose_claims(
    claims: list[str] | None, solvers: list[str] | None = None, problem: str = "partialload"
) -> list[str]:
    """Claim ids to check: the given ones (default: every registered claim of ``problem``, unless
    solvers are given alone) plus ``solver:NAME`` for each solver; an unknown id or solver is an
    InputError."""
    from partialload_opt.registry import solver_info

    table = claim_modules(problems.get(problem).name)
    if claims is None:
        chosen = [] if solvers else list(table)
    else:
        chosen = claims
    for c in chosen:
        if c not in table:
            raise InputError("--claims", c, f"is not a claim ({', '.join(table)})")
    for name in solvers or ():
        if solver_info(name, "--solver").problem != problem:
            raise InputError("--solver", name, f"is not a {problem} solver (--problem chooses)")
        chosen.append(SOLVER_PREFIX + name)
    return list(dict.fromkeys(chosen))


def _worst_first(claim: str, found: list[dict]) -> list[dict]:
    """Shrink order: smallest instances first for the paper's claims, largest gap first for a solver."""
    if claim.startswith(SOLVER_PREFIX):

        def gap(row):
            c = next(c for c in row["checks"] if c["claim"] == claim and c["status"] == "violated")
            return -c["values"].get("gap_relative", 0.0), row["K"]

        return sorted(found, key=gap)
    return sorted(found, key=lambda r: (r["K"], r["I"]))


def _counterexample(
    n, doc, name, claim, reading, sem, cause, first, folder: Path, report_dir: Path, steps=None
) -> dict:
    """Shrink one violation (``steps``: at most that many candidates; 0: keep the instance as
    found), save it (instance, note, chart) and, for a solver's largest gap, draw the report's chart;
    runs in a worker. A failure is returned, not raised."""
    out = {"n": n, "instance": name, "claim": claim, "reading": reading, "semantics": sem}
    inst = problems.of(doc).load(doc, name)
    try:
        kw = {} if steps is None else {"max_steps": steps}
        small, check = shrink.shrink(inst, claim, reading, sem, cause=cause, **kw)
    except Exception as e:  # reported, and the other counterexamples still saved
        return out | {"error": f"shrinking failed: {type(e).__name__}: {e}"}
    path = shrink.save_counterexample(small, check, folder, claim_modules()[claim].CLAIM.quote)
    png = None
    if claim.startswith(SOLVER_PREFIX) and first and cause == "gap":
        chart = report_dir / f"{shrink.counterexample_name(small, claim, reading, sem)}.png"
        png = chart.name if problems.of(small).draw(small, check, chart) else None
    return out | {"error": None, "path": str(path), "png": png}


def verify(
    instances: list,
    claims: list[str],
    report_dir: Path,
    *,
    workers: int = 1,
    time_limit: float = 60.0,
    shrink_per_entry: int = 2,
    counterexamples: Path | None = None,
    seed=None,
    progress: Callable[[int, int], None] | None = None,
    budget: float | None = None,
    shrink_steps: int | None = None,
) -> dict:
    """Check, shrink, save, report; returns report.json's document (``budget``: seconds of exact
    solves per instance, runner.run; ``shrink_steps``: 0 saves each violation on the instance as
    found). One worker pool serves the checks and the counterexamples."""
    folder = counterexamples or report_dir / "counterexamples"
    with process_pool(workers) if workers > 1 else contextlib.nullcontext() as pool:
        rows = runner.run(
            instances, claims, report_dir, workers, time_limit, progress, budget, pool
        )
        folder.mkdir(parents=True, exist_ok=True)
        violations: dict[tuple, list[dict]] = {}  # per cause (Theorem 4's, a solver's gap, ...)
        for row in rows:
            for c in row["checks"]:
                if c["status"] == "violated":
                    key = (c["claim"], c["reading"], c["semantics"], c["values"].get("cause"))
                    violations.setdefault(key, []).append(row)
        chosen = [
            (claim, reading, sem, cause, rank == 0, row)
            for (claim, reading, sem, cause), found in violations.items()
            for rank, row in enumerate(_worst_first(claim, found)[:shrink_per_entry])
        ]
        tasks = [  # shrink, save and draw each in the worker pool (its checks are done)
            (
                n,
                row["doc"],
                row["instance"],
                claim,
                reading,
                sem,
                cause,
                first,
                folder,
                report_dir,
                shrink_steps,
            )  # fmt: skip
            for n, (claim, reading, sem, cause, first, row) in enumerate(chosen)
        ]
        done = [cast(dict, out) for _, out in run_each(_counterexample, tasks, workers, pool)]
    saved: dict[tuple, list[str]] = {}
    worst: dict[tuple, str] = {}
    shrink_errors: list[dict] = []
    for out in sorted(done, key=lambda o: o["n"]):  # in the tasks' order, whatever finished first
        entry = (out["claim"], out["reading"], out["semantics"])
        if out["error"]:
            where = {k: out[k] for k in ("instance", "claim", "reading", "semantics")}
            shrink_errors.append(where | {"reason": out["error"]})
            continue
        if out["path"] not in saved.setdefault(entry, []):
            saved[entry].append(out["path"])
        if out["png"]:
            worst[entry] = out["png"]
    doc = rep.build(rows, seed, saved, worst)
    doc["internal_errors"] += shrink_errors
    atomic_write_json(report_dir / "report.json", doc)
    atomic_write_text(report_dir / "report.md", rep.markdown(doc))
    return doc
