"""partialload_opt/partialloading/solving.py: every answer re-scored, every bound tested against the
verified schedules the run holds (its own answer, its start, greedy-paper's, the other rows of a
multi-solver run), one bound per run and semantics."""

from __future__ import annotations

import pytest

from partialload_opt import Schedule, Status, register_solver, solve
from partialload_opt.partialloading.bounds import Witness, cheap_witness
from partialload_opt.partialloading.results import Outcome
from partialload_opt.partialloading.solving import refute, solve_many
from partialload_opt.registry import solver_info

from conftest import INSTANCES, handmade

SMALL = INSTANCES / "small"


def _liar(name: str, served_by: str, bound_offset: int = 0, status=Status.OPTIMAL):
    """A solver returning ``served_by``'s schedule with a bound ``bound_offset`` below its count."""

    @register_solver(name, problem="partialload", semantics=("slotted", "continuous"), exact=True)
    def lie(instance, *, semantics, time_limit=None, **options):
        got = solve(instance, served_by, semantics=semantics)
        return Outcome(got.schedule, status, claimed=got.served, bound=got.served - bound_offset)

    return lie


def test_a_bound_below_the_solvers_own_schedule_is_refuted():
    from partialload_opt.partialloading.instance import load_instance

    inst = load_instance(SMALL / "bls-012.json")
    _liar("own-liar", "dp-exact", bound_offset=1, status=Status.TIMEOUT)
    r = solve(inst, "own-liar", semantics="slotted")
    assert r.status is Status.ERROR and r.bound is None and r.served == 11
    assert "bound 10 refuted by a verified schedule serving 11 (its own schedule)" in r.message


def test_a_proof_below_greedy_papers_schedule_is_refuted():
    inst = handmade("h3-abc")

    @register_solver("empty-prover", problem="partialload", semantics=("slotted",), exact=True)
    def empty(instance, *, semantics, time_limit=None, **options):
        return Outcome(Schedule(), Status.OPTIMAL, claimed=0, bound=0)

    greedy = cheap_witness(inst, "slotted", "optimal")
    assert greedy is not None and greedy.served > 0
    r = solve(inst, "empty-prover", semantics="slotted")
    assert r.status is Status.ERROR and r.bound is None and r.gap is None
    assert r.message == (
        f"bound 0 refuted by a verified schedule serving {greedy.served} (greedy-paper)"
    )


def test_a_proof_below_another_rows_schedule_is_an_error_row_not_a_negative_gap():
    from partialload_opt.partialloading.instance import load_instance

    inst = load_instance(SMALL / "bls-012.json")  # greedy-paper serves 8, the optimum is 11
    _liar("greedy-liar", "greedy-paper")  # greedy's schedule, "proved" optimal at 8
    alone = solve(inst, "greedy-liar", semantics="slotted")
    assert alone.status is Status.OPTIMAL and alone.served == 8  # nothing in its run refutes it
    solved = solve_many(inst, ["greedy-liar", "dp-exact", "greedy-paper"], "slotted")
    rows = {r.solver: r for r in solved.results}
    liar = rows["greedy-liar"]
    assert liar.status is Status.ERROR and liar.bound is None
    assert liar.message == "bound 8 refuted by a verified schedule serving 11 (dp-exact's schedule)"
    assert rows["dp-exact"].status is Status.OPTIMAL and rows["dp-exact"].bound == 11
    assert all(r.gap is None or r.gap >= 0 for r in solved.results)


def test_a_multi_solver_run_shares_its_best_bound_and_says_whose_it_is():
    """Fig. 9's BLS seed 0: dp-paper and greedy-paper serve the optimum 17, which their cheap bound
    (20) cannot prove; dp-exact's proof does, in the same run (issue 30's contradictory table)."""
    from partialload_opt.partialloading.instance import load_instance

    inst = load_instance(INSTANCES / "paper" / "fig9-bls-seed0.json")
    assert solve(inst, "dp-paper").status is Status.FEASIBLE
    solved = solve_many(inst, ["greedy-paper", "dp-paper", "dp-exact"], "slotted")
    rows = {r.solver: r for r in solved.results}
    assert rows["dp-exact"].status is Status.OPTIMAL and rows["dp-exact"].bound == 17
    for name in ("greedy-paper", "dp-paper"):  # bound and gap from the same, best, bound
        r = rows[name]
        assert r.served == 17 and r.bound == 17 and r.gap == 0
        assert r.status is Status.OPTIMAL and r.proved_by == "bound: dp-exact"
        assert r.bound_source == "dp-exact's bound"
        assert r.to_dict()["gap"] == 0


def test_refute_leaves_a_bound_at_or_above_the_witness_alone():
    inst = handmade("h3-abc")
    r = solve(inst, "dp-exact", semantics="slotted")
    assert refute(r, Witness(r.served, "test")) is r
    assert refute(r, None) is r
    wrong = refute(r, Witness(r.served + 1, "test"))
    assert wrong.status is Status.ERROR and wrong.refuted_bound == r.served


@pytest.mark.parametrize("name", ["false-optimal-bls-1", "false-optimal-bls-2"])
def test_the_false_milp_compact_optima_of_issue_27(name):
    """HiGHS proved 2 (1) where 3 (2) are served; the warm start alone refutes such a proof."""
    from partialload_opt.partialloading.instance import load_instance

    inst = load_instance(INSTANCES / "regression" / f"{name}.json")
    truth = {"false-optimal-bls-1": 3, "false-optimal-bls-2": 2}[name]
    for solver in ("milp-compact", "milp-batch", "cpsat", "cpsat-batch", "dp-exact"):
        r = solve(inst, solver, semantics="slotted")
        assert r.status is not Status.ERROR, (solver, r.message)
        assert r.served == truth and r.bound == truth, (solver, r.status, r.served, r.bound)
    assert solver_info("milp-compact").exact
