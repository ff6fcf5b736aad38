"""PartialLoading's counterexamples: the shrinker's candidates, and a saved counterexample's note
(the claim, what was found, each schedule's timeline) with its Gantt charts."""

from __future__ import annotations

import copy
import math
import warnings
from collections.abc import Iterator
from pathlib import Path

from partialload_opt.errors import InputError
from partialload_opt.fileio import atomic_write_text
from partialload_opt.partialloading.instance import Instance, InstanceWarning, instance_from_dict
from partialload_opt.partialloading.schedule import Evaluation, Schedule, evaluate
from partialload_opt.verify.checks import Check


def shrink_valid(doc: dict) -> Instance | None:
    """The instance of a candidate (its unused blocks dropped), or None when it is not valid."""
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


def shrink_candidates(doc: dict) -> Iterator[dict]:
    """Drop a user; drop a model with its users; drop a block of a model (keeping one); zero mu or
    beta; round the numbers to one or two significant digits."""
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


def note(inst: Instance, check: Check, folder: Path, name: str, quote: str) -> None:
    """FOLDER/NAME.md: the claim, what was found, and each schedule's timeline and Gantt chart."""
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
        f"Instance: K = {inst.K}, I = {inst.I}, Tbar = {inst.deadline_s * 1e3:g} ms, slot = "
        f"{inst.slot_s * 1e3:g} ms, {'BLS' if inst.is_bls else 'general'}.",
        "",
    ]
    charts: list[tuple[Evaluation, str | None]] = []
    for label, sdoc in check.schedules.items():
        sched = Schedule.from_dict(dict(sdoc, instance=name), label)
        ev = evaluate(inst, sched, semantics=check.semantics)
        charts.append((ev, f"{label}: served {ev.served}"))
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
        lines.append("")
    if charts:  # the schedules on one time axis, in one picture
        png = folder / f"{name}.png"
        try:
            from partialload_opt.partialloading.gantt import save_gantts

            save_gantts(charts, png)
            lines += [f"![schedules]({png.name})", ""]
        except Exception:  # the note stands without its picture
            pass
    atomic_write_text(folder / f"{name}.md", "\n".join(lines) + "\n")


def draw(inst: Instance, check: Check, path: Path) -> bool:
    """The check's schedules on one time axis (a solver's above the optimum)."""
    from partialload_opt.partialloading.gantt import save_gantts

    charts: list[tuple[Evaluation, str | None]] = []
    for label, doc in check.schedules.items():
        ev = evaluate(
            inst,
            Schedule.from_dict(dict(doc, instance=inst.name), label),
            semantics=check.semantics,
        )
        charts.append((ev, f"{label} ({check.semantics}): served {ev.served}"))
    if charts:
        save_gantts(charts, path)
    return bool(charts)
