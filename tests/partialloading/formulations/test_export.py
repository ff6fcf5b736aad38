"""Export to MPS/LP, solve with plain highspy, import the solution: the same optimum."""

from __future__ import annotations

import json

import highspy
import pytest
from typer.testing import CliRunner

from partialload_opt import solve
from partialload_opt.cli import app
from partialload_opt.partialloading.formulations.export import export_model, import_solution
from partialload_opt.partialloading.schedule import evaluate

from conftest import HANDMADE, handmade


@pytest.mark.parametrize("model", ["milp-batch", "milp-compact"])
@pytest.mark.parametrize("fmt", ["mps", "lp"])
def test_exported_model_solved_by_plain_highspy_round_trips(tmp_path, model, fmt):
    inst = handmade("h3-abc")
    path = export_model(inst, model, "continuous", fmt, tmp_path / f"m.{fmt}")
    names = json.loads((tmp_path / f"m.{fmt}.names.json").read_text())
    assert names["model"] == model and names["variables"]
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.readModel(str(path))
    h.run()
    assert h.getInfo().objective_function_value == pytest.approx(solve(inst, "dp-exact").served)
    h.writeSolution(str(tmp_path / "m.sol"), 0)
    sched = import_solution(inst, model, tmp_path / "m.sol", tmp_path / f"m.{fmt}.names.json")
    ev = evaluate(inst, sched)
    assert ev.feasible and ev.served == 3


def test_export_and_import_through_the_cli(tmp_path):
    runner = CliRunner()
    out = tmp_path / "c.mps"
    r = runner.invoke(
        app,
        [
            "export",
            str(HANDMADE[3]),
            "--model",
            "milp-compact",
            "--semantics",
            "slotted",
            "--format",
            "mps",
            "--out",
            str(out),
        ],
    )
    assert r.exit_code == 0, r.output
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.readModel(str(out))
    h.run()
    h.writeSolution(str(tmp_path / "c.sol"), 0)
    r = runner.invoke(
        app,
        [
            "import-solution",
            str(HANDMADE[3]),
            "--model",
            "milp-compact",
            "--solution",
            str(tmp_path / "c.sol"),
            "--names",
            f"{out}.names.json",
            "--json",
        ],
    )
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["served"] == 3 and doc["feasible"] and doc["semantics"] == "slotted"
    r = runner.invoke(
        app, ["export", str(HANDMADE[3]), "--model", "nope", "--out", str(tmp_path / "x.lp")]
    )
    assert r.exit_code == 2 and not (tmp_path / "x.lp").exists()


@pytest.mark.parametrize("name", ["false-optimal-bls-1", "false-optimal-bls-2"])
@pytest.mark.parametrize("model", ["milp-compact", "milp-batch"])
def test_the_exported_model_agrees_with_cp_sat_in_highs_at_any_tolerance_and_in_scip(
    tmp_path, name, model
):
    """Issue 27: the exported slotted model of the two false-optimum instances, solved by plain HiGHS
    at its defaults and at the in-process tolerances, and by SCIP, has CP-SAT's optimum."""
    from partialload_opt.partialloading.formulations.highs_run import TIGHT_TOLERANCES
    from partialload_opt.partialloading.instance import load_instance

    from conftest import INSTANCES

    inst = load_instance(INSTANCES / "regression" / f"{name}.json")
    truth = solve(inst, "cpsat", semantics="slotted")
    assert truth.status.value == "optimal"
    path = export_model(inst, model, "slotted", "mps", tmp_path / "m.mps")
    for options in ({}, TIGHT_TOLERANCES):
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        for key, value in options.items():
            h.setOptionValue(key, value)
        h.readModel(str(path))
        h.run()
        assert round(h.getInfo().objective_function_value) == truth.served, options
    scip = pytest.importorskip("pyscipopt")
    m = scip.Model()
    m.hideOutput()
    m.readProblem(str(path))
    m.optimize()
    assert m.getStatus() == "optimal" and round(abs(m.getObjVal())) == truth.served
