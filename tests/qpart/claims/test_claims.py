"""QPART's claim modules: each one held where its claim is true and shown to fail on a wrong answer
(or on the paper's own claim where it is false)."""

from __future__ import annotations

import dataclasses

from partialload_opt.partialloading.claims.context import HELD, SKIPPED, VIOLATED
from partialload_opt.qpart import load_qinstance
from partialload_opt.qpart.claims import claim_modules
from partialload_opt.qpart.claims.context import QContext
from partialload_opt.qpart.generate import generate

from conftest import INSTANCES

MLP300 = INSTANCES / "qpart" / "mlp-price300-seed1.json"
DIGITS = INSTANCES / "qpart" / "digits-a0.01-price300.json"


def check(cid, inst):
    mod = claim_modules()[cid]
    ((reading, semantics),) = mod.CLAIM.checks
    return mod.check(QContext(inst), reading, semantics)


def test_the_true_claims_hold_on_generated_networks():
    for seed in range(6):
        inst = generate("random", seed, layers=4, price_per_s=100.0)
        for cid in ("qpart-closed-form", "qpart-recursion"):
            assert check(cid, inst).status == HELD, (cid, seed)


def test_closed_form_fails_when_the_widths_are_not_the_optimum(monkeypatch):
    from partialload_opt.qpart.claims import closed_form

    real = closed_form.continuous_widths
    monkeypatch.setattr(
        closed_form,
        "continuous_widths",
        lambda ks, s: None if real(ks, s) is None else real(ks, s) + 0.3,
    )
    assert check("qpart-closed-form", load_qinstance(MLP300)).status == VIOLATED


def test_recursion_fails_when_it_differs_from_the_joint_solution(monkeypatch):
    from partialload_opt.qpart.claims import recursion

    real = recursion.recursion_widths
    monkeypatch.setattr(recursion, "recursion_widths", lambda ks, c, s: real(ks, c, s) + 1e-6)
    assert check("qpart-recursion", load_qinstance(MLP300)).status == VIOLATED


def test_the_rounded_closed_form_and_the_levels_lose_to_the_optimum():
    inst = load_qinstance(MLP300)
    assert check("qpart-rounding", inst).status == VIOLATED
    between = dataclasses.replace(inst, budget=inst.budget * 0.9)  # between two precomputed levels
    c = check("qpart-levels", between)
    assert c.status == VIOLATED and c.values["gap_relative"] > 0.1


def test_the_paper_s_partition_point_is_not_always_the_optimal_one():
    c = check("qpart-partition", load_qinstance(MLP300))
    assert c.status == VIOLATED and c.values["paper_partition"] != c.values["optimal_partition"]


def test_trends_fail_when_time_falls_along_the_partitions(monkeypatch):
    from partialload_opt.qpart.claims import trends

    inst = load_qinstance(MLP300)
    assert check("qpart-trends", inst).status == HELD
    real = trends.evaluate
    monkeypatch.setattr(
        trends,
        "evaluate",
        lambda i, d: dataclasses.replace(real(i, d), t_local=-10.0 * d.partition),
    )
    assert check("qpart-trends", inst).status == VIOLATED


def test_the_measure_does_not_bound_the_real_accuracy_drop_of_the_optimum():
    c = check("qpart-accuracy", load_qinstance(DIGITS))
    assert c.status == VIOLATED and c.values["drop"] > c.values["demand"]
    assert check("qpart-accuracy", load_qinstance(MLP300)).status == SKIPPED


def test_verify_problem_qpart_reports_every_claim_and_saves_counterexamples(tmp_path):
    import json

    from typer.testing import CliRunner

    from partialload_opt.cli import app

    r = CliRunner().invoke(
        app,
        [
            "verify",
            "--problem",
            "qpart",
            "--generate",
            "6",
            "--seed",
            "3",
            "--instances",
            str(MLP300),
            "--report",
            str(tmp_path / "rep"),
            "--counterexamples",
            str(tmp_path / "cx"),
        ],
    )
    assert r.exit_code == 0, r.output
    doc = json.loads((tmp_path / "rep" / "report.json").read_text())
    assert [e["id"] for e in doc["claims"]] == list(claim_modules())
    saved = sorted((tmp_path / "cx").glob("qpart-*.json"))
    assert saved and all(p.with_suffix(".md").exists() for p in saved)


def test_a_user_qpart_solver_is_registered_solved_and_verified(tmp_path):
    import json

    from typer.testing import CliRunner

    from partialload_opt import register_solver
    from partialload_opt.cli import app
    from partialload_opt.qpart import Decision, solve

    @register_solver("everything-offloaded", problem="qpart")
    def offload(instance, *, time_limit=None, **options):
        """Sends the input at the widest width: partition 0."""
        return Decision(0, (), max(instance.bits))

    r = solve(load_qinstance(MLP300), "everything-offloaded")
    assert r.status.value == "feasible" and r.decision.partition == 0
    out = CliRunner().invoke(
        app,
        [
            "verify",
            "--problem",
            "qpart",
            "--solver",
            "everything-offloaded",
            "--instances",
            str(MLP300),
            "--report",
            str(tmp_path / "rep"),
            "--counterexamples",
            str(tmp_path / "cx"),
        ],
    )
    assert out.exit_code == 0, out.output
    (entry,) = json.loads((tmp_path / "rep" / "report.json").read_text())["claims"]
    assert (
        entry["id"] == "solver"
        and entry["solver"] == "everything-offloaded"
        and entry["violated"] == 1
    )
    assert entry["gap"]["worst_relative"] > 0 and entry["counterexamples"]
