"""Counterexample minimisation (greedy delta debugging) and the saved, replayable counterexample.

A candidate is kept when the claim's check still says 'violated' for the same reading and
semantics. Steps, repeated until none applies: drop a user; drop a model with its users; drop a
block from a model (keeping one); zero mu/beta; round numbers to one or two significant digits."""

from __future__ import annotations

import copy
import hashlib
import json
import math
import warnings
from pathlib import Path

from partialload_opt.errors import InputError
from partialload_opt.fileio import atomic_write_json, atomic_write_text
from partialload_opt.instance import Instance, InstanceWarning, instance_from_dict
from partialload_opt.schedule import Schedule, evaluate
from partialload_opt.verify import claim_modules, problems
from partialload_opt.verify.claims import VIOLATED, Check


def violation(
    inst: Instance,
    claim: str,
    reading: str,
    semantics: str,
    time_limit: float = 60.0,
    cause: str | None = None,
) -> Check | None:
    """The check if it reports a violation (with this ``cause``, when one is given), else None."""
    c = claim_modules()[claim].check(problems.context(inst, time_limit), reading, semantics)
    if c.status != VIOLATED or (cause is not None and c.values.get("cause") != cause):
        return None
    return c


def _valid(doc: dict):
    if problems.is_qpart(doc):
        try:
            return problems.load(doc, "shrink")
        except InputError:
            return None
    used = {b for m in doc["models"] for b in m["blocks"]}
    doc["blocks"] = [b for b in doc["blocks"] if b["id"] in used]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", InstanceWarning)
            return instance_from_dict(doc, "shrink")
    except InputError:
        return None


def _round(x: float, digits: int) -> float:
    if x == 0 or not math.isfinite(x):
        return x
    return float(f"{x:.{digits}g}")


def _candidates(doc: dict):
    for k in range(len(doc["users"])):
        d = copy.deepcopy(doc)
        del d["users"][k]
        yield d
    if len(doc["models"]) > 1:
        for i, m in enumerate(doc["models"]):
            d = copy.deepcopy(doc)
            del d["models"][i]
            d["users"] = [u for u in d["users"] if u["model"] != m["id"]]
            yield d
    for i, m in enumerate(doc["models"]):
        for t in range(len(m["blocks"])) if len(m["blocks"]) > 1 else ():
            d = copy.deepcopy(doc)
            del d["models"][i]["blocks"][t]
            yield d
    for f in ("mu_s", "beta_s"):
        if any(m[f] for m in doc["models"]):
            d = copy.deepcopy(doc)
            for m in d["models"]:
                m[f] = 0.0
            yield d
    for digits in (1, 2):
        d = copy.deepcopy(doc)
        for u in d["users"]:
            u["data_bits"] = _round(u["data_bits"], digits)
            u["spectral_efficiency"] = _round(u["spectral_efficiency"], digits)
        for b in d["blocks"]:
            b["size_bytes"] = _round(b["size_bytes"], digits)
        for m in d["models"]:
            m["mu_s"], m["beta_s"] = _round(m["mu_s"], digits), _round(m["beta_s"], digits)
        if d != doc:
            yield d


def shrink(
    inst: Instance,
    claim: str,
    reading: str,
    semantics: str,
    max_steps: int = 400,
    cause: str | None = None,
) -> tuple[Instance, Check]:
    """A smaller instance with the same violation (the input if nothing smaller violates); with
    ``cause``, one whose violation keeps that cause (Theorem 4's)."""
    current = inst
    found = violation(inst, claim, reading, semantics, cause=cause)
    if found is None:
        raise ValueError(f"{inst.name} does not violate {claim} ({reading}, {semantics})")
    steps = 0
    changed = True
    while changed and steps < max_steps:
        changed = False
        doc = current.to_dict()
        for cand in problems.qpart_candidates(doc) if problems.is_qpart(doc) else _candidates(doc):
            steps += 1
            smaller = _valid(cand)
            if smaller is None:
                continue
            c = violation(smaller, claim, reading, semantics, cause=cause)
            if c is not None:
                current, found, changed = smaller, c, True
                break
            if steps >= max_steps:
                break
    return current, found


def counterexample_name(inst: Instance, claim: str, reading: str, semantics: str) -> str:
    doc = inst.to_dict()
    doc.pop("meta", None)
    doc.pop("name", None)
    h = hashlib.sha256((json.dumps(doc, sort_keys=True) + reading).encode()).hexdigest()[:8]
    middle = "" if semantics == "-" else f"-{semantics}"  # QPART has no time semantics
    return f"{claim.replace(':', '-')}{middle}-{h}"


def save_counterexample(inst: Instance, check: Check, folder: Path, quote: str) -> Path:
    """instances/counterexamples/<claim>-<semantics>-<hash>.json, a Markdown note and Gantt PNGs."""
    name = counterexample_name(inst, check.claim, check.reading, check.semantics)
    doc = inst.to_dict()
    doc["name"] = name
    doc["meta"] = {
        **(
            {k: v for k, v in doc.get("meta", {}).items() if k != "counterexample"}
            if problems.is_qpart(doc)
            else {}
        ),
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
    if problems.is_qpart(doc):
        _qpart_note(problems.load(doc, str(path)), check, folder / f"{name}.md", name, quote)
        return path
    saved = instance_from_dict(doc, str(path))
    lines = [
        f"# {name}",
        "",
        f'Claim `{check.claim}` ({check.reading}, {check.semantics} time): "{quote}"',
        "",
        f"**Found:** {check.reason}. Ground truth: {check.ground_truth}.",
        "",
        *(
            [f"**Cause:** `{check.values['cause']}` — {check.values.get('cause_detail', '')}", ""]
            if "cause" in check.values
            else []
        ),
        "Values: "
        + ", ".join(f"`{k}` = {v}" for k, v in check.values.items() if k != "cause_detail"),
        "",
        f"Instance: K = {saved.K}, I = {saved.I}, Tbar = {saved.deadline_s * 1e3:g} ms, slot = "
        f"{saved.slot_s * 1e3:g} ms, {'BLS' if saved.is_bls else 'general'}.",
        "",
    ]
    for label, sdoc in check.schedules.items():
        sched = Schedule.from_dict(dict(sdoc, instance=name), label)
        ev = evaluate(saved, sched, semantics=check.semantics)
        lines += [
            f"## Schedule `{label}`: served {ev.served}" + ("" if ev.feasible else " (infeasible)"),
            "",
            "| batch | model | users | start ms | upload | load | compute | end ms | slot end |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for b in ev.batches:
            lines.append(
                f"| {b.index} | {b.model} | {', '.join(b.users)} | {b.start_s * 1e3:.4g} | "
                f"{b.upload_s * 1e3:.4g} | {b.load_s * 1e3:.4g} | {b.compute_s * 1e3:.4g} | "
                f"{b.end_s * 1e3:.4g} | {b.slot_end if b.slot_end is not None else '-'} |"
            )
        png = folder / f"{name}-{label.split()[0]}.png"
        try:
            from partialload_opt.gantt import save_gantt

            save_gantt(ev, png, title=f"{label}: served {ev.served}")
            lines += ["", f"![{label}]({png.name})"]
        except Exception:  # the note stands without its picture
            pass
        lines.append("")
    atomic_write_text(folder / f"{name}.md", "\n".join(lines) + "\n")
    return path


def _qpart_note(inst, check: Check, path: Path, name: str, quote: str) -> None:
    """A QPART counterexample's note: the claim, what was found, and each decision re-scored."""
    from partialload_opt.qpart.evaluate import Decision, evaluate

    lines = [
        f"# {name}",
        "",
        f'Claim `{check.claim}` ({check.reading}): "{quote}"',
        "",
        f"**Found:** {check.reason}. Ground truth: {check.ground_truth}.",
        "",
        "Values: " + ", ".join(f"`{k}` = {v}" for k, v in check.values.items()),
        "",
        f"Instance: {inst.network_name}, L = {inst.L}, partitions {list(inst.partitions)}, bits "
        f"{list(inst.bits)}, C_A = {inst.budget:.6g}, readings {inst.readings}.",
        "",
    ]
    for label, doc in check.schedules.items():
        ev = evaluate(inst, Decision.from_dict(doc, label))
        lines += [
            f"## Decision `{label}`: partition {ev.partition}, bits {list(ev.bits)}, sent at {ev.sent_bits}",
            "",
            f"objective {ev.objective:.6g}, payload {ev.payload:.6g} bits, budget used "
            f"{ev.accuracy_used:.6g}"
            + ("" if ev.feasible else f", violations: {'; '.join(ev.violations)}"),
            "",
        ]
    atomic_write_text(path, "\n".join(lines) + "\n")
