"""partialload_opt/partialloading/segments.py: the segment tables the solvers share agree with the one
evaluator, exactly, and the Theorem-2 rule says where the form is proved."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

from partialload_opt import Schedule, evaluate, load_instance
from partialload_opt.partialloading.segments import (
    SegmentCosts,
    max_users_within,
    prefix_slots,
    private_blocks,
    private_load,
    theorem2_form_unproved,
)

from conftest import INSTANCES, SMALL, handmade


@pytest.mark.parametrize("path", SMALL[:6], ids=lambda p: p.stem)
def test_a_first_segment_ends_in_the_slot_the_evaluator_counts(path):
    inst = load_instance(path)
    costs = SegmentCosts.of(inst)
    for i in inst.requested_models:
        slots = costs.segment_slots(-1, i)
        for k in range(1, len(inst.users_of[i]) + 1):
            exact = costs.segment_time_exact(-1, i, k)
            assert slots[k] == math.ceil(exact / inst.exact.slot)
            sched = Schedule.from_indices(inst, costs.schedule_batches([(i, k)]))
            ev = evaluate(inst, sched, semantics="slotted")
            assert ev.batches[-1].slot_end == slots[k]


def test_batches_respect_the_cap_and_cover_the_prefix():
    inst = handmade("h1-batching")
    costs = SegmentCosts.of(inst)
    for i in inst.requested_models:
        n = len(inst.users_of[i])
        got = costs.batches(i, n)
        assert all(len(b) <= costs.cap[i] for b in got)
        assert sorted(u for b in got for u in b) == sorted(inst.users_of[i].tolist())
        assert costs.batch_count(i, n) == len(got)


def test_private_load_is_the_blocks_no_other_requested_model_holds():
    inst = handmade("h3-abc")
    size = {b.id: Fraction(str(b.size_bytes)) for b in inst.blocks}
    rate = 1 / Fraction(str(inst.load.disk_Bps)) + 1 / Fraction(str(inst.load.pcie_Bps))
    for i in inst.requested_models:
        others = {b for j in inst.requested_models if j != i for b in inst.models[j].blocks}
        mine = sum((size[b] for b in inst.models[i].blocks if b not in others), Fraction(0))
        assert private_load(inst, i) == mine * rate  # eq. (8), V = S/disk + S/pcie, exactly
    n = len(inst.users_of[0])
    slots = prefix_slots(inst, 0, private_blocks(inst, 0))
    assert slots[0] == 0 and list(slots) == sorted(slots) and len(slots) == n + 1
    assert max_users_within(slots, slots[-1]) == n and max_users_within(slots, -1) == -1


def test_theorem2_form_is_proved_where_sharing_is_nested_or_time_continuous():
    assert theorem2_form_unproved(handmade("h3-abc"), "slotted") is None
    revisit = load_instance(INSTANCES / "regression" / "slotted-revisit-beats-theorem2-form.json")
    assert theorem2_form_unproved(revisit, "continuous") is None
    assert "theorem2-form.md" in theorem2_form_unproved(revisit, "slotted")


def test_fig9_general_realizations_are_nested_so_their_slotted_form_optimum_is_proved():
    """Issue 19 section 4: on every one of Fig. 9's 1,000 general realizations (K = 20, I = 5) the
    requested models' shared blocks are nested, so the exhaustive / dp-exact slotted optimum the
    figure compares with is a proved optimum, and no revisit can pay there."""
    from partialload_opt.partialloading.experiments.figures import figure
    from partialload_opt.partialloading.generate import generate

    (general,) = [p for p in figure("fig9") if p.case == "general"]
    for seed in range(1000):
        inst = generate(general.config(general.values[0], seed))
        assert theorem2_form_unproved(inst, "slotted") is None, inst.name
