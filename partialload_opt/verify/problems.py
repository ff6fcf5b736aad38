"""What the verification layer needs to know about each problem: how to read an instance document,
the ground-truth context of an instance, its summary fields, and how to shrink one. PartialLoading's
and QPART's claims then run through the same runner, shrinker and report."""

from __future__ import annotations

import copy
import math


def is_qpart(obj) -> bool:
    """A QPART instance or instance document."""
    if isinstance(obj, dict):
        return obj.get("format") == "qpart-instance/1"
    return type(obj).__name__ == "QInstance"


def load(doc: dict, source: str):
    if is_qpart(doc):
        from partialload_opt.qpart.instance import qinstance_from_dict

        return qinstance_from_dict(doc, source)
    from partialload_opt.instance import instance_from_dict

    return instance_from_dict(doc, source)


def context(inst, time_limit: float, threads: int | None = None, budget: float | None = None):
    if is_qpart(inst):
        from partialload_opt.verify.qpart.context import QContext

        return QContext(inst, time_limit)
    from partialload_opt.verify.claims import Context

    return Context(inst, time_limit, threads, budget)


def summary(inst) -> dict:
    """The size fields of a result row (K and I for PartialLoading; layers and partitions for QPART)."""
    if is_qpart(inst):
        return {"K": inst.L, "I": len(inst.partitions), "case": inst.network_name}
    return {"K": inst.K, "I": inst.I, "case": "bls" if inst.is_bls else "general"}


def _round(x: float, digits: int) -> float:
    if x == 0 or not math.isfinite(x):
        return x
    return float(f"{x:.{digits}g}")


def qpart_candidates(doc: dict):
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
