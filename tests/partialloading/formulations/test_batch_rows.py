"""The batch-position rows are one description: milp-batch (Pyomo), cpsat-batch (CP-SAT) and p1-scip
(SCIP) hold the same families, with the same rows, under the names formulations/milp-batch.md uses."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from partialload_opt import load_instance
from partialload_opt.partialloading.formulations.batch_rows import FAMILIES, position_rows
from partialload_opt.partialloading.formulations.milp_batch import block_groups, identical_pairs

from conftest import INSTANCES, ROOT

INST = INSTANCES / "handmade" / "h3-abc.json"


def expected() -> Counter:
    inst = load_instance(INST)
    models = list(inst.requested_models)
    cap = {i: int(inst.b_max[i]) for i in models}
    rows = position_rows(
        inst, models, block_groups(inst, models), inst.K, cap, identical_pairs(inst)
    )
    return Counter(r.family for r in rows)


def test_the_written_model_names_every_family_with_its_label():
    text = (ROOT / "formulations" / "milp-batch.md").read_text(encoding="utf-8")
    for family, label in FAMILIES.items():
        assert re.search(rf"`{family}` \{label[:-1]}[),]", text), (family, label)


def test_milp_batch_holds_the_shared_rows():
    from partialload_opt.partialloading.formulations.milp_batch import build_milp_batch

    m = build_milp_batch(load_instance(INST))
    got = Counter({f: len(getattr(m, f)) for f in FAMILIES if len(getattr(m, f))})
    assert got == expected()
    assert {f: getattr(m, f).doc for f in FAMILIES} == FAMILIES


def test_cpsat_batch_holds_the_shared_rows():
    from partialload_opt.partialloading.formulations.cpsat_batch import BatchCpSat

    model = BatchCpSat(load_instance(INST), "continuous", "optimal", False).m.proto
    got = Counter(c.name.split("[")[0] for c in model.constraints if c.name)
    assert got == expected()


def test_p1_scip_holds_the_shared_rows_and_its_own():
    pytest.importorskip("pyscipopt", reason="needs the [scip] extra")
    from partialload_opt.partialloading.formulations.p1_scip import build_p1

    m, _ = build_p1(load_instance(INST))
    names = Counter(c.name.split("[")[0] for c in m.getConss())
    assert Counter({f: names[f] for f in FAMILIES if names[f]}) == expected()
    assert {"band", "band_only_if_scheduled", "upload_cone", "deadline"} <= set(names)
