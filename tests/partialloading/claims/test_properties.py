"""The schedule properties the theorems assert, on hand-built batch lists (h3-abc, h4)."""

from __future__ import annotations

from partialload_opt.partialloading.claims.properties import (
    contiguous,
    cor1_holds,
    thm2_1_holds,
    thm2_2_holds,
    thm3_holds,
)

from conftest import handmade


def test_contiguous():
    assert contiguous("AABBC") and not contiguous("ABA") and contiguous("")


def test_thm2_1_needs_contiguity_and_lowest_p_first():
    inst = handmade("h1-batching")  # one model M, users u1 (1 ms), u2 (2 ms), u3 (3 ms)
    u1, u2, u3 = (inst.user_index[u] for u in ("u1", "u2", "u3"))
    assert thm2_1_holds(inst, [(0, (u1, u2)), (0, (u3,))])
    assert not thm2_1_holds(inst, [(0, (u3,)), (0, (u1, u2))])  # the slowest first
    assert not thm2_1_holds(inst, [(0, (u2,))])  # u1 (faster) left unserved


def test_thm2_2_all_but_the_last_batch_full():
    inst = handmade("h1-batching")  # b_max = 2
    u1, u2, u3 = (inst.user_index[u] for u in ("u1", "u2", "u3"))
    assert thm2_2_holds(inst, [(0, (u1, u2)), (0, (u3,))])
    assert not thm2_2_holds(inst, [(0, (u1,)), (0, (u2, u3))])


def test_thm3_and_cor1_on_h4():
    inst = handmade("h4-ascending-l")  # one cluster: X (l=1), Y, Z (l=2)
    X, Y, Z = (inst.model_index[m] for m in "XYZ")
    ux, uy, uz = (inst.user_index[u] for u in ("uX", "uY", "uZ"))
    assert cor1_holds(inst, [(X, (ux,)), (Y, (uy,)), (Z, (uz,))])
    assert not cor1_holds(inst, [(Y, (uy,)), (X, (ux,)), (Z, (uz,))])
    abc = handmade("h3-abc")  # clusters {A, B}, {C}
    A, B, C = (abc.model_index[m] for m in "ABC")
    assert thm3_holds(abc, [(A, (0,)), (B, (1,)), (C, (2,))])
    assert not thm3_holds(abc, [(A, (0,)), (C, (2,)), (B, (1,))])
