"""One verification run, end to end: check every instance (resumable), shrink and save each kind of
violation, write report.json and report.md, on local worker processes or a Dask cluster. The CLI's
``verify`` parses options and calls ``verify``."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import cast

from partialload_opt import parallel
from partialload_opt import problem as problems
from partialload_opt.errors import InputError
from partialload_opt.fileio import atomic_write_bytes_via, atomic_write_json, atomic_write_text
from partialload_opt.verify import SOLVER_PREFIX, claim_modules, runner, shrink
from partialload_opt.verify import report as rep
from partialload_opt.verify.checks import VIOLATED, VerifyRow


def choose_claims(
    claims: list[str] | None, solvers: list[str] | None = None, problem: str = "partialload"
) -> list[str]:
    """Claim ids to check: the given ones (default: every registered claim of ``problem``, unless
    solvers are given alone) plus ``solver:NAME`` for each solver; an unknown id or solver is an
    InputError."""
    from partialload_opt.registry import solver_info

    table = claim_modules(problems.get(problem).name)
    chosen = claims if claims is not None else ([] if solvers else list(table))
    for c in chosen:
        if c not in table:
            raise InputError("--claims", c, f"is not a claim ({', '.join(table)})")
    for name in solvers or ():
        if solver_info(name, "--solver").problem != problem:
            raise InputError("--solver", name, f"is not a {problem} solver (--problem chooses)")
        chosen.append(SOLVER_PREFIX + name)
    return list(dict.fromkeys(chosen))


def _worst_first(claim: str, found: list[VerifyRow]) -> list[VerifyRow]:
    """Shrink order: smallest instances first for the paper's claims, largest gap first for a solver."""
    if claim.startswith(SOLVER_PREFIX):

        def gap(row: VerifyRow):
            c = row.violated(claim)
            return -(c.values.get("gap_relative", 0.0) if c else 0.0), row.K

        return sorted(found, key=gap)
    return sorted(found, key=lambda r: (r.K, r.I))


def _counterexample(n, doc, name, claim, reading, sem, cause, first, steps=None) -> dict:
    """Shrink one violation (``steps``: at most that many candidates; 0: keep the instance as
    found) and save it (instance, note, chart) and, for a solver's largest gap, the report's chart,
    into a folder of its own; returns the files' bytes, which the caller writes (a worker on another
    machine shares no disk with it). Runs in a worker; a failure is returned, not raised."""
    out = {"n": n, "instance": name, "claim": claim, "reading": reading, "semantics": sem}
    inst = problems.of(doc).load(doc, name)
    try:
        kw = {} if steps is None else {"max_steps": steps}
        small, check = shrink.shrink(inst, claim, reading, sem, cause=cause, **kw)
    except Exception as e:  # reported, and the other counterexamples still saved
        return out | {"error": f"shrinking failed: {type(e).__name__}: {e}"}
    with tempfile.TemporaryDirectory() as tmp:
        saved, report = Path(tmp) / "saved", Path(tmp) / "report"
        saved.mkdir()
        report.mkdir()
        path = shrink.save_counterexample(small, check, saved, claim_modules()[claim].CLAIM.quote)
        if claim.startswith(SOLVER_PREFIX) and first and cause == "gap":
            chart = report / f"{shrink.counterexample_name(small, claim, reading, sem)}.png"
            problems.of(small).draw(small, check, chart)
        files = {
            "saved": {p.name: p.read_bytes() for p in saved.iterdir()},
            "report": {p.name: p.read_bytes() for p in report.iterdir()},
        }
    return out | {"error": None, "name": path.name, "files": files}


def _write_back(out: dict, folder: Path, report_dir: Path) -> dict:
    """Write a counterexample's files (``_counterexample``) into ``folder`` and ``report_dir``; its
    record now names the saved instance (``path``) and the report's chart (``png``)."""
    for kind, target in (("saved", folder), ("report", report_dir)):
        for fname, data in out["files"][kind].items():
            atomic_write_bytes_via(
                target / fname, lambda tmp, data=data: Path(tmp).write_bytes(data)
            )
    png = next(iter(out["files"]["report"]), None)
    return {k: v for k, v in out.items() if k != "files"} | {
        "path": str(folder / out["name"]),
        "png": png,
    }


def _shrink_tasks(rows: list[VerifyRow], shrink_per_entry: int, shrink_steps: int | None) -> list:
    """One ``_counterexample`` task per violation to save: per (claim, reading, semantics, cause),
    the first ``shrink_per_entry`` in ``_worst_first`` order."""
    violations: dict[tuple, list[VerifyRow]] = {}  # per cause (Theorem 4's, a solver's gap, ...)
    for row in rows:
        for c in row.checks:
            if c.status == VIOLATED:
                key = (c.claim, c.reading, c.semantics, c.values.get("cause"))
                violations.setdefault(key, []).append(row)
    chosen = [
        (claim, reading, sem, cause, rank == 0, row)
        for (claim, reading, sem, cause), found in violations.items()
        for rank, row in enumerate(_worst_first(claim, found)[:shrink_per_entry])
    ]
    return [
        (n, row.doc, row.instance, claim, reading, sem, cause, first, shrink_steps)
        for n, (claim, reading, sem, cause, first, row) in enumerate(chosen)
    ]


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
    engine: str = "local",
    scheduler: str | None = None,
) -> dict:
    """Check, shrink, save, report; returns report.json's document (``budget``: seconds of exact
    solves per instance, runner.run; ``shrink_steps``: 0 saves each violation on the instance as
    found). One pool (``parallel.pool``: ``engine``, ``workers``, ``scheduler``) serves the checks
    and the counterexamples; this process writes every file."""
    folder = counterexamples or report_dir / "counterexamples"
    with parallel.pool(engine, workers, scheduler) as pool:
        rows = runner.run(
            instances, claims, report_dir, workers, time_limit, progress, budget, pool
        )
        folder.mkdir(parents=True, exist_ok=True)
        done = []
        for task, out in parallel.run_each(
            _counterexample, _shrink_tasks(rows, shrink_per_entry, shrink_steps), workers, pool
        ):
            if isinstance(out, parallel.Lost):
                n, _, name, claim, reading, sem = task[:6]
                where = {"instance": name, "claim": claim, "reading": reading, "semantics": sem}
                done.append({"n": n, **where, "error": f"shrinking lost: {out.reason}"})
            else:
                done.append(_write_back(cast(dict, out), folder, report_dir))
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
