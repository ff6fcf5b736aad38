"""`partialload qpart ...`: the contract of issue 14's CLI (bad input: one line, exit 2, nothing written)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from partialload_opt.cli import app

from conftest import INSTANCES

TINY = INSTANCES / "qpart" / "tiny-handmade.json"
runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_generate_check_solve_evaluate(tmp_path):
    inst = tmp_path / "q.json"
    assert (
        run(
            "qpart", "generate", "--network", "random", "--layers", 3, "--seed", 2, "--out", inst
        ).exit_code
        == 0
    )
    assert run("qpart", "check", inst).exit_code == 0
    r = run(
        "qpart",
        "solve",
        inst,
        "--solver",
        "qpart-milp",
        "--solver",
        "qpart-pareto",
        "--json",
        "--out",
        tmp_path / "d.json",
    )
    assert r.exit_code == 0, r.output
    docs = json.loads(r.output)
    assert [d["solver"] for d in docs] == ["qpart-milp", "qpart-pareto"]
    assert {
        "solver",
        "status",
        "objective",
        "partition",
        "bits",
        "accuracy_used",
        "payload_bits",
        "wall_s",
    } <= set(docs[0])
    assert (
        docs[0]["objective"] == docs[1]["objective"]
        or abs(docs[0]["objective"] - docs[1]["objective"]) < 1e-12
    )
    r = run("qpart", "evaluate", inst, tmp_path / "d.json", "--json")
    assert r.exit_code == 0 and json.loads(r.output)["feasible"]


def test_solvers_lists_qpart_solvers_under_their_problem():
    r = run("solvers", "--json")
    rows = {d["name"]: d for d in map(json.loads, r.output.splitlines())}
    assert rows["qpart-milp"]["problem"] == "qpart" and rows["dp-exact"]["problem"] == "partialload"


def test_an_unmeetable_budget_is_infeasible_not_an_error(tmp_path):
    doc = json.loads(TINY.read_text())
    doc["accuracy_budget"] = 1e-12
    path = tmp_path / "tight.json"
    path.write_text(json.dumps(doc))
    r = run("qpart", "solve", path, "--solver", "all", "--json")
    ran = [d["status"] for d in json.loads(r.output) if d["status"] != "not run"]
    assert r.exit_code == 0 and set(ran) == {"infeasible"}


def test_bad_input_is_one_line_and_exit_2(tmp_path):
    doc = json.loads(TINY.read_text())
    doc["bits"] = [0]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc))
    r = run("qpart", "solve", bad, "--out", tmp_path / "d.json")
    assert r.exit_code == 2 and "bits[0]" in r.output and not (tmp_path / "d.json").exists()
    decision = tmp_path / "dec.json"
    decision.write_text(
        json.dumps({"format": "qpart-decision/1", "partition": 5, "bits": [2, 2, 2, 2, 2]})
    )
    r = run("qpart", "evaluate", TINY, decision)
    assert r.exit_code == 2 and "partition" in r.output and len(r.output.strip().splitlines()) == 1
    r = run("qpart", "solve", TINY, "--solver", "dp-exact")
    assert r.exit_code == 2 and "not a qpart solver" in r.output
    r = run("solve", TINY, "--solver", "qpart-milp")
    assert r.exit_code == 2


def test_solve_on_the_trained_network_measures_every_decision():
    r = run(
        "qpart",
        "solve",
        INSTANCES / "qpart" / "digits-a0.01-price300.json",
        "--solver",
        "qpart-pareto",
        "--solver",
        "closed-form",
        "--json",
    )
    docs = json.loads(r.output)
    assert r.exit_code == 0 and all(0.5 < d["measured_accuracy"] <= 1 for d in docs)


def test_generate_takes_every_reading_including_reference_bits(tmp_path):
    out = tmp_path / "x.json"
    r = run(
        "qpart", "generate", "--network", "random", "--layers", 3, "--seed", 1,
        "--reading", "reference_bits=32", "--reading", "noise=weights", "--out", out,
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    readings = json.loads(out.read_text())["readings"]
    assert readings["reference_bits"] == 32 and readings["noise"] == "weights"


def test_solve_json_is_one_list_with_a_row_per_requested_solver(tmp_path):
    """A solver that refuses the instance (qpart-pareto under a memory limit, qpart-alg without
    levels) has a 'not run' row with its reason; one solver is a list of one."""
    doc = json.loads(TINY.read_text())
    doc["device"]["memory_bits"] = 1000.0
    doc.pop("accuracy_levels", None)
    path = tmp_path / "mem.json"
    path.write_text(json.dumps(doc))
    r = run(
        "qpart", "solve", path, "--solver", "qpart-pareto", "--solver", "qpart-milp",
        "--solver", "qpart-alg", "--json",
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    docs = json.loads(r.output)
    assert [d["solver"] for d in docs] == ["qpart-pareto", "qpart-milp", "qpart-alg"]
    assert docs[0]["status"] == docs[2]["status"] == "not run" and docs[1]["status"] == "optimal"
    assert "memory" in docs[0]["message"] and "levels" in docs[2]["message"]
    one = json.loads(run("qpart", "solve", TINY, "--json").output)
    assert isinstance(one, list) and one[0]["solver"] == "qpart-pareto"


def test_qpart_alg_with_no_level_that_fits_is_infeasible_with_the_reason_not_an_error(tmp_path):
    doc = json.loads(TINY.read_text())
    doc["accuracy_levels"] = [10 * doc["accuracy_budget"]]  # above the request's budget
    path = tmp_path / "levels.json"
    path.write_text(json.dumps(doc))
    r = run("qpart", "solve", path, "--solver", "qpart-alg", "--json")
    assert r.exit_code == 0, r.output
    (row,) = json.loads(r.output)
    assert row["status"] == "infeasible" and "no precomputed level" in row["message"]


def test_check_prints_a_sparse_bit_set_as_a_set_and_a_full_range_as_a_range(tmp_path):
    doc = json.loads(TINY.read_text())
    doc["bits"] = [2, 28]
    path = tmp_path / "sparse.json"
    path.write_text(json.dumps(doc))
    assert "bits={2, 28}" in run("qpart", "check", path).output
    doc["bits"] = list(range(2, 17))
    path.write_text(json.dumps(doc))
    assert "bits=2..16" in run("qpart", "check", path).output


def table_rows(output: str) -> list[list[str]]:
    """The body rows of a rich table, as cells."""
    return [
        [cell.strip() for cell in line.split("│")[1:-1]]
        for line in output.splitlines()
        if line.startswith("│")
    ]


def test_solve_s_table_shows_every_bit_when_the_output_is_not_a_terminal():
    """CliRunner's output is no terminal (as a pipe): the table is laid out at its columns' width,
    not squeezed into 80 columns, so each row's bits column holds its full bit list."""
    args = ("qpart", "solve", INSTANCES / "qpart" / "mlp-price300-seed1.json", "--solver", "all")
    want = {
        d["solver"]: ",".join(map(str, d["bits"])) for d in json.loads(run(*args, "--json").output)
    }
    r = runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "80"})
    assert r.exit_code == 0, r.output
    rows = table_rows(r.output)
    header = next(line for line in r.output.splitlines() if line.startswith("┃"))
    bits = [cell.strip() for cell in header.split("┃")[1:-1]].index("bits")
    assert {row[0]: row[bits] for row in rows} == want
    assert all(len(bits.split(",")) >= 4 for bits in want.values())  # lists worth squeezing


OFFLOAD_PLUGIN = """
from partialload_opt import register_solver
from partialload_opt.qpart import Decision


@register_solver("offload-everything", problem="qpart")
def offload(instance, *, time_limit=None, **options):
    '''Sends the input at the widest width: partition 0.'''
    return Decision(0, (), max(instance.bits))
"""


def test_solve_and_verify_take_a_plugin_s_qpart_solver(tmp_path):
    plugin = tmp_path / "offload_plugin.py"
    plugin.write_text(OFFLOAD_PLUGIN)
    r = run("qpart", "solve", TINY, "--plugin", plugin, "--solver", "offload-everything", "--json")
    assert r.exit_code == 0, r.output
    (row,) = json.loads(r.output)
    assert row["solver"] == "offload-everything" and row["partition"] == 0
    assert row["status"] == "feasible"
    r = run(
        "qpart", "verify", "--plugin", plugin, "--solver", "offload-everything",
        "--instances", TINY, "--report", tmp_path / "rep",
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    (entry,) = json.loads((tmp_path / "rep" / "report.json").read_text())["claims"]
    assert entry["solver"] == "offload-everything" and entry["checked"] == 1


def test_qpart_verify_is_verify_problem_qpart(tmp_path):
    common = [
        "--claims", "qpart-closed-form,qpart-rounding", "--generate", 3, "--seed", 5,
        "--instances", TINY, "--time-limit", 30, "--shrink", 1, "--workers", 1,
    ]  # fmt: skip
    docs = []
    for name, head in (("a", ["qpart", "verify"]), ("b", ["verify", "--problem", "qpart"])):
        rep = tmp_path / name
        r = run(*head, *common, "--report", rep, "--counterexamples", tmp_path / f"cx-{name}")
        assert r.exit_code == 0, r.output
        docs.append(json.loads((rep / "report.json").read_text()))
        assert sorted(p.name for p in (tmp_path / f"cx-{name}").iterdir()) == sorted(
            p.name for p in (tmp_path / "cx-a").iterdir()
        )
    a, b = docs
    assert a["instances"] == b["instances"] == 4
    assert [e["id"] for e in a["claims"]] == ["qpart-closed-form", "qpart-rounding"]

    def verdicts(doc):
        return [
            (e["id"], e["checked"], e["held"], e["violated"], e["skipped"]) for e in doc["claims"]
        ]

    assert verdicts(a) == verdicts(b)
    r = run("qpart", "verify", "--generate", 2, "--claims", "thm3", "--report", tmp_path / "c")
    assert r.exit_code == 2 and "thm3" in r.output
