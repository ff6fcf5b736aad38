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
