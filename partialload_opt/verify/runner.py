"""Run claim checks over many instances: in worker processes or on a Dask cluster, with each
instance's result written by this process as it finishes (DIR/results.jsonl, one JSON line per
instance), so a run can be interrupted, or lose a worker, and be resumed."""

from __future__ import annotations

import hashlib
import json
import os
import traceback
from collections.abc import Callable, Iterable
from concurrent.futures import Executor
from dataclasses import replace
from pathlib import Path
from typing import Any, cast

from partialload_opt import problem as problems
from partialload_opt.parallel import Lost, run_each
from partialload_opt.verify import claim_modules
from partialload_opt.verify.checks import ERROR, Check, VerifyRow


def instance_hash(inst: Any) -> str:
    doc = inst.to_dict()
    doc.pop("meta", None)
    doc.pop("name", None)
    return hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()[:12]


def check_instance(
    inst: Any,
    claims: Iterable[str],
    time_limit: float = 60.0,
    threads: int | None = None,
    budget: float | None = None,
) -> VerifyRow:
    """Every (reading, semantics) of every claim on one instance; internal errors are recorded.
    ``threads``: CP-SAT workers per ground-truth solve; ``budget``: seconds for all of the instance's
    solves (a solve cut by it times out, and the checks that needed it are skipped)."""
    mods = claim_modules()
    problem = problems.of(inst)
    ctx = problem.context(inst, time_limit, threads, budget)
    checks = []
    for cid in claims:
        for reading, semantics in mods[cid].CLAIM.checks:
            try:
                c = mods[cid].check(ctx, reading, semantics)
            except Exception as e:  # reported as an internal error of the layer
                c = Check(
                    cid,
                    reading,
                    semantics,
                    ERROR,
                    reason=f"{type(e).__name__}: {e}",
                    values={"traceback": traceback.format_exc(limit=4)},
                )
            checks.append(c)
    return _row(inst, tuple(checks), tuple(ctx.bugs))


def _row(inst: Any, checks: tuple[Check, ...], bugs: tuple[str, ...]) -> VerifyRow:
    size = problems.of(inst).summary(inst)
    return VerifyRow(
        instance=inst.name,
        hash=instance_hash(inst),
        K=size["K"],
        I=size["I"],
        case=size.get("case"),
        checks=checks,
        bugs=bugs,
    )


def _work(doc: dict, claims: list[str], time_limit: float, threads=None, budget=None) -> VerifyRow:
    inst = problems.of(doc).load(doc, doc.get("name", "<instance>"))
    return replace(check_instance(inst, claims, time_limit, threads, budget), doc=doc)


def load_done(path: Path) -> dict[str, VerifyRow]:
    """Results already on disk (a torn last line from a kill is ignored)."""
    done = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                row = VerifyRow.from_dict(json.loads(line))
            except (json.JSONDecodeError, KeyError, TypeError):
                continue
            done[row.hash] = row
    return done


def _torn(path: Path) -> bool:
    """Whether ``path`` ends inside a line (its last write was cut)."""
    with open(path, "rb") as f:
        if f.seek(0, os.SEEK_END) == 0:
            return False
        f.seek(-1, os.SEEK_END)
        return f.read(1) != b"\n"


def _lost_row(doc: dict, claims: list[str], lost: Lost) -> VerifyRow:
    """A row for an instance whose check was lost with its workers: every check an internal error.
    It goes into the report, never into results.jsonl, so a resumed run checks the instance again."""
    inst = problems.of(doc).load(doc, doc.get("name", "<instance>"))
    mods = claim_modules()
    reason = f"not checked: {lost.reason}"
    checks = tuple(
        Check(cid, reading, semantics, ERROR, reason=reason)
        for cid in claims
        for reading, semantics in mods[cid].CLAIM.checks
    )
    return _row(inst, checks, ())


def run(
    instances: list,
    claims: list[str],
    out_dir: Path,
    workers: int = 1,
    time_limit: float = 60.0,
    progress: Callable[[int, int], None] | None = None,
    budget: float | None = None,
    pool: Executor | None = None,
) -> list[VerifyRow]:
    """Check every instance not already in out_dir/results.jsonl; append each result when it ends
    (in this process, whatever ``pool`` computes it on). Instances are keyed by ``instance_hash``:
    one checked (now or in an earlier run) is not checked again. In worker processes (``workers`` >
    1 or a ``pool``) each CP-SAT ground-truth solve runs one thread (the processes fill the cores);
    ``budget`` bounds the seconds of one instance's solves. The rows come back in the order of
    ``instances``, whatever order they finished in, so the report does not depend on it."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "results.jsonl"
    done = load_done(path)
    todo = list({instance_hash(i): i for i in instances if instance_hash(i) not in done}.values())
    wanted = list(dict.fromkeys(instance_hash(i) for i in instances))
    finished = len(wanted) - len(todo)
    threads = 1 if workers > 1 or pool is not None else None
    if progress:
        progress(finished, len(wanted))
    lost: dict[str, VerifyRow] = {}
    with open(path, "a", encoding="utf-8") as f:
        if _torn(path):  # a kill mid-write: the next row starts a line of its own
            f.write("\n")
        for task, row in run_each(
            _work,
            [(inst.to_dict(), claims, time_limit, threads, budget) for inst in todo],
            workers,
            pool,
        ):
            if isinstance(row, Lost):
                lost_row = _lost_row(task[0], claims, row)
                lost[lost_row.hash] = lost_row
            else:
                got = cast(VerifyRow, row)
                f.write(json.dumps(got.to_dict()) + "\n")
                f.flush()
                os.fsync(f.fileno())
                done[got.hash] = got
            finished += 1
            if progress:
                progress(finished, len(wanted))
    return [done.get(h) or lost[h] for h in wanted]
