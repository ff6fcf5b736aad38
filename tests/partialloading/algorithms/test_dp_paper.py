"""dp-paper against tables of eqs. (15)-(20) worked by hand (instances/handmade, slot 1 ms)."""

from __future__ import annotations

import numpy as np

from partialload_opt import solve
from partialload_opt.partialloading.algorithms.dp_paper import dp_paper_tables
from partialload_opt.partialloading.segments import SegmentCosts

from conftest import handmade


def _steps(T, *at):
    """Integer step function on 0..T: value v from slot s on, for (s, v) pairs."""
    out = np.zeros(T + 1, dtype=int)
    for s, v in at:
        out[s:] = v
    return out


def test_h3_abc_tables():
    """Cluster 1 = (A, B) (l = 1, 1; ties by id), cluster 2 = (C). T = 17 slots of 1 ms.
    Phi(0,A,1) = 1 + 5 + 1 = 7 ms; Phi(0,B,1) = 1 + 7 + 1 = 9; Phi(A,B,1) = 1 + 3 + 1 = 5;
    Phi(0,C,1) = 1 + 3 + 1 = 5 (eq. (16) with the sum upload).
    g(A, t) = 1 from t = 7; g(B, t) = 1 from 7 (A alone), 2 from 12 (A in 7, then B in 5);
    g(C, t) = 1 from 5; f(2, 17) = g(B, 12) + g(C, 5) = 3."""
    inst = handmade("h3-abc")
    (c1, c2), f = dp_paper_tables(inst, SegmentCosts(inst))
    T = 17
    assert [inst.models[i].id for i in c1.order] == ["A", "B"]
    assert (c1.q[0, 1] == _steps(T, (7, 1))).all()  # q(0, A, tau)
    assert (c1.q[0, 2] == _steps(T, (9, 1))).all()  # q(0, B, tau)
    assert (c1.q[1, 2] == _steps(T, (5, 1))).all()  # q(A, B, tau)
    assert (c1.g[1] == _steps(T, (7, 1))).all()
    assert (c1.g[2] == _steps(T, (7, 1), (12, 2))).all()
    assert (c2.g[1] == _steps(T, (5, 1))).all()
    assert (f[1] == _steps(T, (7, 1), (12, 2))).all()
    assert f[2, 17] == 3 and f[2, 16] == 2
    r = solve(inst, "dp-paper", semantics="slotted")
    assert r.served == 3 and [b.model for b in r.schedule.batches] == ["A", "B", "C"]


def test_h4_tables_ascending_l():
    """One cluster, order X (l=1), Y, Z (l=2; ties by id). mu = beta = 0, 1 ms uploads, T = 12.
    Phi(0,X,1) = 1+5 = 6; Phi(0,Y,1) = Phi(0,Z,1) = 1+7 = 8; Phi(X,Y,1) = Phi(X,Z,1) = 1+3 = 4;
    Phi(Y,Z,1) = 1+1 = 2. g(Z, 12) = g(Y, 10) + q(Y, Z, 2) = (g(X, 6) + q(X, Y, 4)) + 1 = 3."""
    inst = handmade("h4-ascending-l")
    (c,), f = dp_paper_tables(inst, SegmentCosts(inst))
    T = 12
    assert [inst.models[i].id for i in c.order] == ["X", "Y", "Z"]
    assert (c.q[0, 1] == _steps(T, (6, 1))).all()
    assert (c.q[1, 2] == _steps(T, (4, 1))).all() and (c.q[1, 3] == _steps(T, (4, 1))).all()
    assert (c.q[2, 3] == _steps(T, (2, 1))).all() and (c.q[0, 3] == _steps(T, (8, 1))).all()
    assert (c.g[1] == _steps(T, (6, 1))).all()
    assert (c.g[2] == _steps(T, (6, 1), (10, 2))).all()
    # Z: alone from 8; after Y (g(Y,.) > 0 and != g(X,.)) from 10 + 2 = 12 with three users
    assert (c.g[3] == _steps(T, (6, 1), (10, 2), (12, 3))).all()
    assert f[1, 12] == 3


def test_h1_batching_literal_full_batches_first():
    """b_max = 2: the first k users in ceil(k/2) batches, full first (eq. (17)); 15 ms > 3 slots
    of 4 ms, so the DP serves 2 in one batch (9 ms -> 3 slots)."""
    inst = handmade("h1-batching")
    r = solve(inst, "dp-paper", semantics="slotted")
    assert r.served == 2 and [list(b.users) for b in r.schedule.batches] == [["u1", "u2"]]


def test_fast_gamma_equals_the_literal_double_max(small_instance):
    """_gamma's step-function shortcut gives eq. (19)'s values exactly (every cluster, every i)."""
    from partialload_opt.partialloading.algorithms.dp_paper import _gamma, _gamma_candidates

    inst = small_instance
    if not inst.is_bls:
        return
    tables, _ = dp_paper_tables(inst, SegmentCosts(inst))
    T = inst.T
    for tab in tables:
        for ip in range(2, len(tab.order) + 1):
            literal = _gamma_candidates(tab.q, tab.g, ip, np.arange(T + 1)).max(axis=(0, 2))
            assert (literal == _gamma(tab.q, tab.g, ip, T)).all()
