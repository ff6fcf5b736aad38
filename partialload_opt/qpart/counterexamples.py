"""QPART's counterexamples: the shrinker's candidates (drop the last layer, drop a bit-width, round the
numbers) and a saved counterexample's note."""

from __future__ import annotations

import copy
import math
from collections.abc import Iterator
from pathlib import Path

from partialload_opt.errors import InputError
from partialload_opt.fileio import atomic_write_text
from partialload_opt.qpart.evaluate import Decision, evaluate
from partialload_opt.qpart.instance import QInstance, qinstance_from_dict
from partialload_opt.verify.checks import Check


def _round(x: float, digits: int) -> float:
    if x == 0 or not math.isfinite(x):
        return x
    return float(f"{x:.{digits}g}")


def shrink_candidates(doc: dict) -> Iterator[dict]:
    """Smaller QPART documents: drop the last layer, drop a bit-width, round the numbers."""
    layers = doc["network"]["layers"]
    if len(layers) > 1:
        d = copy.deepcopy(doc)
        d["network"]["layers"] = layers[:-1]
        for key in ("weights", "activations"):
            d["sensitivity"][key] = d["sensitivity"][key][:-1]
        yield d
    for n in range(len(doc["bits"])) if len(doc["bits"]) > 1 else ():
        d = copy.deepcopy(doc)
        del d["bits"][n]
        yield d
    for digits in (1, 2):
        d = copy.deepcopy(doc)
        sens = d["sensitivity"]
        sens["weights"] = [_round(x, digits) for x in sens["weights"]]
        sens["activations"] = [_round(x, digits) for x in sens["activations"]]
        sens["input"] = _round(sens["input"], digits)
        d["accuracy_budget"] = _round(d["accuracy_budget"], digits)
        if d != doc:
            yield d


def shrink_valid(doc: dict) -> QInstance | None:
    try:
        return qinstance_from_dict(doc, "shrink")
    except InputError:
        return None


def note(inst: QInstance, check: Check, folder: Path, name: str, quote: str) -> None:
    """FOLDER/NAME.md: the claim, what was found, and each decision re-scored."""
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
    atomic_write_text(folder / f"{name}.md", "\n".join(lines) + "\n")
