"""partialload_opt/solving.py: one solve for every problem -- options validated before anything runs,
the warm start computed by solve and counted in the one time budget, the answer re-scored by the
problem."""

from __future__ import annotations

import types

import pytest

from partialload_opt import InputError, Schedule, Status, Unsupported, options, solve
from partialload_opt.partialloading import problem as pl_problem
from partialload_opt.partialloading.formulations import cpsat_compact
from partialload_opt.qpart import QResult, load_qinstance

from conftest import INSTANCES, handmade


def test_options_are_rejected_before_the_solver_runs():
    inst = handmade("h3-abc")
    with pytest.raises(InputError, match="thraeds is not an option of cpsat"):
        solve(inst, "cpsat", thraeds=4)
    with pytest.raises(InputError, match="method of dp-exact must be one of"):
        solve(inst, "dp-exact", method="chian")
    with pytest.raises(InputError, match="warm_start is not an option of dp-exact"):
        solve(inst, "dp-exact", warm_start="greedy-paper")


def test_a_qpart_instance_is_solved_by_the_same_solve():
    q = load_qinstance(INSTANCES / "qpart" / "tiny-handmade.json")
    r = solve(q)  # its problem's default solver
    assert isinstance(r, QResult) and r.solver == "qpart-pareto" and r.status is Status.OPTIMAL
    with pytest.raises(InputError, match="rounding of closed-form must be one of"):
        solve(q, "closed-form", rounding="down")
    with pytest.raises(Unsupported, match="is a partialload solver, not a qpart one"):
        solve(q, "dp-exact")


def test_a_given_start_reaches_the_model_and_is_reported():
    inst = handmade("h4-ascending-l")
    start = solve(inst, "greedy-paper").schedule
    r = solve(inst, "cpsat", semantics="slotted", start=start)
    assert r.status is Status.OPTIMAL and r.stats["warm_start"] == "auto"
    assert solve(inst, "cpsat", semantics="slotted", warm_start=None).stats["warm_start"] is None
    with pytest.raises(Unsupported, match="start must be a Schedule"):
        solve(inst, "cpsat", start="not a schedule")
    assert isinstance(start, Schedule)


def test_the_warm_start_spends_the_runs_one_budget(monkeypatch):
    """A clock that the warm start moves by 4 s: the model is left 6 of the 10 s."""
    now = [1000.0]
    monkeypatch.setattr(options, "time", types.SimpleNamespace(monotonic=lambda: now[0]))
    real_start, real_solver = pl_problem.PROBLEM.start, cpsat_compact.cpsat_solver
    given = []

    def slow_start(info, inst, opts):
        got = real_start(info, inst, opts)
        now[0] += 4.0
        return got

    def recording_solver(time_limit, *args):
        given.append(time_limit)
        return real_solver(time_limit, *args)

    monkeypatch.setattr(pl_problem.PROBLEM, "start", slow_start)
    monkeypatch.setattr(cpsat_compact, "cpsat_solver", recording_solver)
    r = solve(handmade("h3-abc"), "cpsat", semantics="slotted", time_limit=10)
    assert r.status is Status.OPTIMAL
    assert given and all(t == pytest.approx(6.0) for t in given)


def test_a_solver_that_raises_is_an_error_result_without_a_bound(monkeypatch):
    def boom(inst, opts):
        raise RuntimeError("boom")

    monkeypatch.setattr(
        "partialload_opt.partialloading.algorithms.greedy_paper.solve_greedy_paper", boom
    )
    r = solve(handmade("h3-abc"), "greedy-paper")
    assert r.status is Status.ERROR and r.bound is None and "RuntimeError: boom" in r.message
