"""Every claim module can fail: fed a wrong ground truth or a wrong algorithm, it reports a
violation (a check that cannot fail protects nothing). Also: error / time-out results are skipped."""

from __future__ import annotations

from dataclasses import replace

import pytest

from partialload_opt import Status, solve
from partialload_opt.partialloading.claims import gaps, thm5
from partialload_opt.partialloading.claims.context import SKIPPED, VIOLATED, Context
from partialload_opt.partialloading.claims.thm4 import CAUSES
from partialload_opt.partialloading.instance import load_instance
from partialload_opt.partialloading.schedule import Schedule
from partialload_opt.verify import claim_modules

from conftest import INSTANCES, handmade

REVISIT = INSTANCES / "regression" / "slotted-revisit-beats-theorem2-form.json"


def bls_instance():
    """The first shipped small BLS instance (K <= 7) where someone is served in slotted time."""
    for path in sorted((INSTANCES / "small").glob("bls-*.json")):
        inst = load_instance(path)
        if inst.K <= 7 and solve(inst, "dp-exact", semantics="slotted").served >= 2:
            return inst
    raise AssertionError("no shipped BLS instance serves anyone")


class InflatedFree(Context):
    """A wrong theorem-free ground truth: one more user than the truth."""

    def free(self, semantics):
        value, how, batches = super().free(semantics)
        return value + 1, "inflated", batches


class WrongResults(Context):
    """Replace chosen solver results by a wrong one (an empty schedule, or more users served)."""

    def __init__(self, inst, fake: dict):
        super().__init__(inst)
        self.fake = fake

    def result(self, solver, semantics, **kw):
        key = (solver, kw.get("method"))
        if key in self.fake:
            return self.fake[key](super().result(solver, semantics, **kw))
        return super().result(solver, semantics, **kw)

    def timed(self, solver, semantics, **kw):
        r, secs = super().timed(solver, semantics, **kw)
        return (self.fake[(solver, None)](r) if (solver, None) in self.fake else r), secs


def empty(r):
    return replace(r, served=0, schedule=Schedule((), "optimal", r.schedule.instance))


def plus_one(r):
    return replace(r, served=r.served + 1)


@pytest.mark.parametrize("claim", ["thm2_1", "thm2_2", "thm3"])
@pytest.mark.parametrize("semantics", ["continuous", "slotted"])
def test_structural_claims_report_a_violation_against_a_wrong_ground_truth(claim, semantics):
    c = claim_modules("partialload")[claim].check(
        InflatedFree(bls_instance()), "without-loss", semantics
    )
    assert c.status == VIOLATED, c.reason


def test_cor1_reports_a_violation_when_another_order_is_better():
    ctx = WrongResults(bls_instance(), {("dp-exact", "subsets"): plus_one})
    for semantics in ("continuous", "slotted"):
        assert (
            claim_modules("partialload")["cor1"].check(ctx, "without-loss", semantics).status
            == VIOLATED
        )


def test_cor1_compares_with_every_order_not_with_the_ascending_chain():
    ctx = Context(bls_instance())
    c = claim_modules("partialload")["cor1"].check(ctx, "without-loss", "continuous")
    assert "subset DP" in c.ground_truth or "exhaustive" in c.ground_truth


def test_thm4_reports_a_wrong_algorithm_with_one_cause():
    ctx = WrongResults(bls_instance(), {("dp-paper", None): empty})
    for semantics in ("slotted", "continuous"):
        c = claim_modules("partialload")["thm4"].check(ctx, "without-loss", semantics)
        assert c.status == VIOLATED and c.values["cause"] in CAUSES, c.values


def test_remark4_reports_a_wrong_algorithm():
    ctx = WrongResults(bls_instance(), {("independent", None): empty})
    assert (
        claim_modules("partialload")["remark4"].check(ctx, "without-loss", "slotted").status
        == VIOLATED
    )


def test_thm1_reports_p1_above_p2():
    pytest.importorskip("pyscipopt", reason="needs the [scip] extra")
    inst = handmade("h3-abc")
    ctx = WrongResults(inst, {("p1-scip", None): plus_one})
    assert (
        claim_modules("partialload")["thm1"].check(ctx, "without-loss", "continuous").status
        == VIOLATED
    )


def test_prop1_reports_a_wrong_closed_form(monkeypatch):
    from partialload_opt.partialloading import bandwidth as bw

    inst = handmade("h3-abc")
    ctx = Context(inst)
    ctx.form = lambda semantics: (None, "", None)
    real = bw.optimal_upload_time
    monkeypatch.setattr(bw, "optimal_upload_time", lambda p, B: 2 * real(p, B))
    assert claim_modules("partialload")["prop1"].check(ctx, "must", "continuous").status == VIOLATED


def test_thm5_verdict_is_violated_for_a_quadratic_algorithm():
    rows = [{"K": k, "I": 3, "T": 10, "seconds": 1e-6 * k * k} for k in range(5, 60, 4)]
    assert thm5.measure(rows)["verdict"] == "violated"
    rows = [{"K": k, "I": 3, "T": 10, "seconds": 1e-6 * k} for k in range(5, 60, 4)]
    assert thm5.measure(rows)["verdict"] == "held"


def test_gaps_verdict_is_violated_for_a_wrong_algorithm():
    ctx = WrongResults(bls_instance(), {("greedy-paper", None): empty})
    c = claim_modules("partialload")["gaps"].check(ctx, "measured", "slotted")
    assert c.values["greedy-paper_gap"] == 1.0
    assert gaps.measure([c.values] * 20)["verdict"] == "violated"
    assert gaps.measure([dict(c.values, **{"greedy-paper_gap": 0.0})] * 20)["verdict"] == "held"


@pytest.mark.parametrize("status", [Status.ERROR, Status.TIMEOUT])
def test_an_error_or_time_out_is_skipped_never_a_violation(status):
    broken = lambda r: replace(empty(r), status=status, message="boom")  # noqa: E731
    ctx = WrongResults(
        bls_instance(),
        {("dp-paper", None): broken, ("greedy-paper", None): broken, ("independent", None): broken},
    )
    mods = claim_modules("partialload")
    for cid, reading, sem in (
        ("thm4", "without-loss", "slotted"),
        ("remark4", "without-loss", "slotted"),
    ):
        c = mods[cid].check(ctx, reading, sem)
        assert c.status == SKIPPED and status.value in c.reason
    g = mods["gaps"].check(ctx, "measured", "slotted")
    assert "greedy-paper_gap" not in g.values and "greedy-paper_skipped" in g.values


def test_the_revisit_instance_violates_theorem_2_1_in_slotted_time_only():
    ctx = Context(load_instance(REVISIT))
    mod = claim_modules("partialload")["thm2_1"]
    assert mod.check(ctx, "without-loss", "slotted").status == VIOLATED
    assert mod.check(ctx, "without-loss", "continuous").status != VIOLATED
    assert not ctx.bugs


def test_verify_refutes_a_solver_whose_bound_is_below_a_verified_schedule():
    """A solver that 'proves' one user fewer than the optimum, with an honest schedule: the verify
    context holds the theorem-free optimum's schedule, so the proof is refuted (an error, a solver
    bug), not a gap of one user."""
    from partialload_opt import register_solver
    from partialload_opt.partialloading.claims.solver_check import SolverClaim
    from partialload_opt.partialloading.results import Outcome

    inst = bls_instance()

    @register_solver("short-prover", problem="partialload", semantics=("slotted",), exact=True)
    def short(instance, *, semantics, time_limit=None, **options):
        best = solve(instance, "dp-exact", semantics=semantics)
        # drop one user from the last batch: a verified schedule, "proved" optimal
        batches = list(best.schedule.batches)
        last = batches.pop()
        if len(last.users) > 1:
            batches.append(replace(last, users=last.users[:-1]))
        sched = replace(best.schedule, batches=tuple(batches))
        n = best.served - 1
        return Outcome(sched, Status.OPTIMAL, claimed=n, bound=n)

    ctx = Context(inst)
    check = SolverClaim("short-prover").check(ctx, "optimal", "slotted")
    assert check.status == VIOLATED and check.values["cause"] == "error", check
    assert "refuted by a verified schedule" in check.reason
    assert any("short-prover (slotted): bound" in b for b in ctx.bugs), ctx.bugs
