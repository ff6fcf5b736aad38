"""Counterexample minimisation (greedy delta debugging) and the saved, replayable counterexample.

A candidate is kept when the claim's check still says 'violated' for the same reading and
semantics. The candidates are the problem's (``Problem.shrink_candidates``: PartialLoading drops a
user, a model, a block, zeroes mu/beta and rounds numbers; QPART drops a layer or a bit-width and
rounds), tried until none applies."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from partialload_opt import problem as problems
from partialload_opt.fileio import atomic_write_json
from partialload_opt.verify import claim_modules
from partialload_opt.verify.checks import VIOLATED, Check


def violation(
    inst: Any,
    claim: str,
    reading: str,
    semantics: str,
    time_limit: float = 60.0,
    cause: str | None = None,
) -> Check | None:
    """The check if it reports a violation (with this ``cause``, when one is given), else None."""
    ctx = problems.of(inst).context(inst, time_limit, None, None, audit=False)
    c = claim_modules()[claim].check(ctx, reading, semantics)
    if c.status != VIOLATED or (cause is not None and c.values.get("cause") != cause):
        return None
    return c


def shrink(
    inst: Any,
    claim: str,
    reading: str,
    semantics: str,
    max_steps: int = 400,
    cause: str | None = None,
) -> tuple[Any, Check]:
    """A smaller instance with the same violation (the input if nothing smaller violates); with
    ``cause``, one whose violation keeps that cause (Theorem 4's)."""
    current, problem = inst, problems.of(inst)
    found = violation(inst, claim, reading, semantics, cause=cause)
    if found is None:
        raise ValueError(f"{inst.name} does not violate {claim} ({reading}, {semantics})")
    steps = 0
    changed = True
    while changed and steps < max_steps:
        changed = False
        doc = current.to_dict()
        for cand in problem.shrink_candidates(doc):
            steps += 1
            smaller = problem.shrink_valid(cand)
            if smaller is None:
                continue
            c = violation(smaller, claim, reading, semantics, cause=cause)
            if c is not None:
                current, found, changed = smaller, c, True
                break
            if steps >= max_steps:
                break
    return current, found


def counterexample_name(inst: Any, claim: str, reading: str, semantics: str) -> str:
    doc = inst.to_dict()
    doc.pop("meta", None)
    doc.pop("name", None)
    h = hashlib.sha256((json.dumps(doc, sort_keys=True) + reading).encode()).hexdigest()[:8]
    middle = "" if semantics == "-" else f"-{semantics}"  # QPART has no time semantics
    return f"{claim.replace(':', '-')}{middle}-{h}"


def save_counterexample(inst: Any, check: Check, folder: Path, quote: str) -> Path:
    """FOLDER/<claim>-<semantics>-<hash>.json, and the problem's note (and charts) beside it."""
    problem = problems.of(inst)
    name = counterexample_name(inst, check.claim, check.reading, check.semantics)
    doc = inst.to_dict()
    doc["name"] = name
    kept = doc.get("meta", {}) if problem.keep_meta else {}
    doc["meta"] = {
        **{k: v for k, v in kept.items() if k != "counterexample"},
        "counterexample": {
            "claim": check.claim,
            "reading": check.reading,
            "semantics": check.semantics,
            "values": check.values,
            "reason": check.reason,
        },
    }
    path = folder / f"{name}.json"
    atomic_write_json(path, doc)
    problem.note(problem.load(doc, str(path)), check, folder, name, quote)
    return path
