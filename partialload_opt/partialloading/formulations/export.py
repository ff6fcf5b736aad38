"""Write milp-batch / milp-compact / milp-segment as MPS or LP for any MILP solver, with a variable-name map, and
turn a solver's solution file back into a schedule."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pyomo.environ as pyo
from pyomo.core.base.var import VarData

from partialload_opt.errors import InputError
from partialload_opt.fileio import atomic_write_json
from partialload_opt.partialloading.bandwidth import parse_bandwidth
from partialload_opt.partialloading.formulations import milp_batch, milp_compact
from partialload_opt.partialloading.formulations.compact import CompactData
from partialload_opt.partialloading.instance import Instance
from partialload_opt.partialloading.schedule import Schedule

MODELS = ("milp-batch", "milp-compact", "milp-segment")


def build(inst: Instance, model: str, semantics: str, bandwidth="optimal") -> pyo.ConcreteModel:
    """The conservative model (costs rounded up to time units), as ``solve`` runs it first."""
    if model == "milp-batch":
        return milp_batch.build_milp_batch(inst, semantics, bandwidth)
    if model == "milp-compact":
        return milp_compact.build_milp_compact(
            inst, semantics, bandwidth, CompactData(inst, bandwidth)
        )
    if model == "milp-segment":  # slotted time, Proposition 1's split: the whole P2 within T slots
        from partialload_opt.partialloading.formulations import milp_segment

        if semantics != "slotted":
            raise InputError("--semantics", semantics, "milp-segment is a slotted model")
        return milp_segment.build_milp_segment(milp_segment.whole_model(inst))
    raise InputError("--model", model, f"must be one of {', '.join(MODELS)}")


def export_model(
    inst: Instance, model: str, semantics: str, fmt: str, out: str | Path, bandwidth="optimal"
) -> Path:
    """Write ``out`` (mps|lp) and ``out.names.json`` ({file label: Pyomo name} and the context)."""
    if fmt not in ("mps", "lp"):
        raise InputError("--format", fmt, "must be mps or lp")
    m = build(inst, model, semantics, bandwidth)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix="tmp-export-", suffix=f".{fmt}", dir=out.parent)
    os.close(fd)
    try:
        _, smap_id = m.write(tmp, format=fmt, io_options={"symbolic_solver_labels": True})
        smap = m.solutions.symbol_map[smap_id]
        names = {
            label: obj.name for label, obj in smap.bySymbol.items() if isinstance(obj, VarData)
        }
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    atomic_write_json(
        names_path(out),
        {
            "model": model,
            "semantics": semantics,
            "instance": inst.name,
            "bandwidth": parse_bandwidth(bandwidth),
            "objective_sense": "max",
            "variables": names,
        },
    )
    return out


def names_path(out: str | Path) -> Path:
    return Path(f"{out}.names.json")


def read_solution(path: str | Path, labels: set[str]) -> dict[str, float]:
    """Variable values from a solution file: HiGHS (raw or pretty), Gurobi/CBC/SCIP-style lines
    ``name value`` or ``index name value ...``; lines that name no known variable are ignored."""
    values: dict[str, float] = {}
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError as e:
        raise InputError(str(path), "", f"cannot be read ({e.__class__.__name__})") from None
    for line in text.splitlines():
        tok = line.split()
        for pos in range(min(len(tok) - 1, 2)):
            if tok[pos] in labels:
                try:
                    values[tok[pos]] = float(tok[pos + 1])
                except ValueError:
                    continue
                break
    if not values:
        raise InputError(str(path), "", "names no variable of the exported model")
    return values


def import_solution(
    inst: Instance,
    model: str,
    solution: str | Path,
    names: str | Path | None = None,
    semantics: str | None = None,
) -> Schedule:
    """A solver's solution of an exported model -> the schedule it encodes."""
    names = Path(names) if names else None
    meta = json.loads(names.read_text()) if names and names.exists() else None
    semantics = semantics or (meta or {}).get("semantics", "continuous")
    bandwidth = (meta or {}).get("bandwidth", "optimal")
    m = build(inst, model, semantics, bandwidth)
    by_name = {v.name: v for v in m.component_data_objects(pyo.Var)}
    label_to_name = (meta or {}).get("variables") or {n: n for n in by_name}
    vals = read_solution(solution, set(label_to_name))
    for label, value in vals.items():
        var = by_name.get(label_to_name[label])
        if var is not None:
            var.set_value(value, skip_validation=True)
    if model == "milp-batch":
        batches = milp_batch.batches_of(m)
        return Schedule.from_indices(inst, batches, m.rule, {"solver": f"{model} (imported)"})
    if model == "milp-segment":
        from partialload_opt.partialloading.formulations import milp_segment

        batches = [
            (i, ks[a : a + int(inst.b_max[i])])
            for c in range(len(m.data.comps))
            for i, ks in milp_segment.segments_of(m, c)
            for a in range(0, len(ks), int(inst.b_max[i]))
        ]
        return Schedule.from_indices(inst, batches, bandwidth, {"solver": f"{model} (imported)"})
    segs = milp_compact.segments_of(m)
    d: CompactData = m.data
    return Schedule.from_indices(
        inst, d.costs.schedule_batches(segs), bandwidth, {"solver": f"{model} (imported)"}
    )
