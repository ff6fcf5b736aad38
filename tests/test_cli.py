"""The CLI through typer's runner: generate, check, evaluate; bad input -> one line, exit 2."""

from __future__ import annotations

import copy
import json
import random

import pytest
from typer.testing import CliRunner

from partialload_opt.cli import app

from conftest import HANDMADE, INSTANCES, PAPER, SMALL

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_generate_then_check_then_evaluate(tmp_path):
    out = tmp_path / "i.json"
    r = run(
        "generate",
        "--case",
        "bls",
        "--users",
        12,
        "--models",
        6,
        "--bandwidth-mhz",
        100,
        "--deadline-ms",
        300,
        "--theta",
        80,
        "--seed",
        2,
        "--out",
        out,
        "--set",
        "min_distance_m=5",
        "--set",
        "slot_ms=5",
    )
    assert r.exit_code == 0, r.output
    doc = json.loads(out.read_text())
    assert (
        doc["slot_s"] == 0.005
        and len(doc["users"]) == 12
        and doc["meta"]["config"]["min_distance_m"] == 5
    )
    r = run("check", out)
    assert r.exit_code == 0 and "BLS" in r.stdout


def test_check_passes_on_every_shipped_instance():
    files = sorted(INSTANCES.glob("*/*.json"))
    files = [f for f in files if f.parent.name != "profiles"]
    r = run("check", *files)
    assert r.exit_code == 0, r.output
    qpart = [f for f in files if '"qpart-instance/1"' in f.read_text()]
    assert r.stdout.count("K=") == len(files) - len(qpart) and r.stdout.count("QPART L=") == len(
        qpart
    )


def test_evaluate_json_output(tmp_path):
    sched = {
        "format": "partialload-schedule/1",
        "instance": "h1-batching",
        "batches": [{"model": "M", "users": ["u1", "u2"]}, {"model": "M", "users": ["u3"]}],
        "bandwidth": "optimal",
    }
    sp = tmp_path / "s.json"
    sp.write_text(json.dumps(sched))
    png = tmp_path / "g.png"
    r = run("evaluate", HANDMADE[0], sp, "--json", "--gantt", png)
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["served"] == 3 and doc["feasible"] is True and doc["violations"] == []
    assert doc["makespan_s"] == pytest.approx(0.015) and len(doc["batches"]) == 2
    assert png.exists()
    r = run("evaluate", HANDMADE[0], sp, "--semantics", "slotted")
    assert r.exit_code == 0 and "violation" in r.stdout


def test_generate_bad_option_exits_2_and_writes_nothing(tmp_path):
    out = tmp_path / "x.json"
    r = run("generate", "--case", "weird", "--out", out)
    assert r.exit_code == 2 and not out.exists()
    assert r.stderr.strip().count("\n") == 0 and "case" in r.stderr
    r = run("generate", "--set", "nosuch=1", "--out", out)
    assert r.exit_code == 2 and not out.exists()


# ---- 500 randomly malformed instances: each one clean line and exit 2 -------------------------
def _malformations(seed: int):
    """Yield (label, text) of malformed instance files, drawn from a catalogue of rule breaks."""
    rng = random.Random(seed)
    bases = [json.loads(p.read_text()) for p in HANDMADE + SMALL[:6]]

    def pick_user(d):
        return rng.randrange(len(d["users"])) if d["users"] else None

    def mutate(d):
        kind = rng.choice(
            [
                "neg",
                "nan",
                "inf",
                "zero",
                "unknown_model",
                "dup_user",
                "dup_model",
                "no_blocks",
                "unknown_block",
                "missing",
                "type",
                "format",
                "huge",
                "memory",
                "truncate",
                "not_object",
                "extra",
            ]
        )
        k = pick_user(d)
        if kind == "neg":
            d[rng.choice(["deadline_s", "slot_s", "bandwidth_hz"])] = -rng.random()
        elif kind == "nan":
            d["models"][0][rng.choice(["mu_s", "beta_s"])] = float("nan")
        elif kind == "inf":
            d["load"][rng.choice(["disk_Bps", "pcie_Bps"])] = float("inf")
        elif kind == "zero":
            d[rng.choice(["deadline_s", "slot_s", "bandwidth_hz", "gpu_memory_bytes"])] = 0
        elif kind == "unknown_model" and k is not None:
            d["users"][k]["model"] = "no-such-model"
        elif kind == "dup_user" and k is not None:
            d["users"].append(copy.deepcopy(d["users"][k]))
        elif kind == "dup_model":
            d["models"].append(copy.deepcopy(d["models"][0]))
        elif kind == "no_blocks":
            d["models"][0]["blocks"] = []
        elif kind == "unknown_block":
            d["models"][-1]["blocks"].append("ghost")
        elif kind == "missing":
            del d[rng.choice(["name", "deadline_s", "users", "models", "load", "blocks"])]
        elif kind == "type":
            d["users" if k is not None else "models"][0][
                "id" if rng.random() < 0.5 else "model" if k is not None else "mu_s"
            ] = 5
        elif kind == "format":
            d["format"] = rng.choice(["partialload-instance/2", "", None, 1])
        elif kind == "huge":
            d["blocks"][0]["size_bytes"] = 10**400
        elif kind == "memory":
            for m in d["models"]:
                m["memory_per_sample_bytes"] = d["gpu_memory_bytes"] * 2
            if not d["users"]:
                d["users"].append(
                    {
                        "id": "x",
                        "model": d["models"][0]["id"],
                        "data_bits": 1,
                        "spectral_efficiency": 1,
                    }
                )
        elif kind == "not_object":
            return kind, json.dumps(d["users"])
        elif kind == "extra":
            d["blocks"][0]["colour"] = "red"
        else:  # truncate (and the fallbacks of kinds that needed a user)
            text = json.dumps(d)
            return "truncate", text[: rng.randrange(1, len(text) - 1)]
        return kind, json.dumps(d, allow_nan=True)

    for _ in range(500):
        yield mutate(copy.deepcopy(rng.choice(bases)))


def test_500_malformed_instances_each_give_one_clean_line_and_exit_2(tmp_path):
    kinds = set()
    for n, (kind, text) in enumerate(_malformations(seed=7)):
        p = tmp_path / f"bad{n}.json"
        p.write_text(text)
        r = run("check", p)
        assert r.exit_code == 2, (kind, r.output)
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"error: {p}"), (kind, r.stderr)
        assert "Traceback" not in r.output
        kinds.add(kind)
    assert len(kinds) >= 15


def test_evaluate_with_a_bad_schedule_exits_2(tmp_path):
    sp = tmp_path / "s.json"
    sp.write_text(
        json.dumps({"format": "partialload-schedule/1", "instance": "x", "batches": "no"})
    )
    r = run("evaluate", PAPER[0], sp)
    assert r.exit_code == 2 and "batches must be of type array" in r.stderr


# ---- issue 11: honest exits, validated options, files as the umask says --------------------------
H1 = INSTANCES / "handmade" / "h1-batching.json"


@pytest.mark.parametrize("value", ["-1", "nan", "inf"])
def test_a_time_limit_that_is_not_a_finite_non_negative_number_is_refused(value, tmp_path):
    r = run(
        "solve", H1, "--solver", "dp-exact", f"--time-limit={value}", "--out", tmp_path / "s.json"
    )
    assert r.exit_code == 2 and "--time-limit" in r.output and not (tmp_path / "s.json").exists()


@pytest.fixture
def broken_solver():
    """A registered solver whose claim disagrees with the evaluator (so its Result is 'error')."""
    from partialload_opt import Outcome, Schedule, Status, register_solver, solve
    from partialload_opt.registry import unregister_solver

    @register_solver("broken-for-test", problem="partialload", semantics=("continuous",))
    def broken(inst, *, semantics, time_limit=None, **kw):
        """Claims one user too many."""
        r = solve(inst, "dp-exact", semantics=semantics)
        meta = Schedule(
            r.schedule.batches, r.schedule.bandwidth, r.schedule.instance, {"solver": "broken"}
        )
        return Outcome(meta, Status.FEASIBLE, claimed=r.served + 1)

    yield "broken-for-test"
    unregister_solver("broken-for-test")


def test_solve_exits_1_when_a_solver_ends_in_error_and_never_saves_its_schedule(
    broken_solver, tmp_path
):
    out = tmp_path / "s.json"
    r = run(
        "solve",
        H1,
        "--solver",
        broken_solver,
        "--solver",
        "dp-exact",
        "--semantics",
        "continuous",
        "--out",
        out,
    )
    assert r.exit_code == 1 and "error" in r.output
    assert json.loads(out.read_text())["meta"]["solver"] == "dp-exact"


def test_files_written_by_the_cli_respect_the_umask(tmp_path):
    import os

    old = os.umask(0o022)
    try:
        out = tmp_path / "s.json"
        assert run("solve", H1, "--solver", "dp-exact", "--out", out).exit_code == 0
        assert (out.stat().st_mode & 0o777) == 0o644
    finally:
        os.umask(old)


def test_verify_exits_1_when_exact_solvers_disagree(monkeypatch, tmp_path):
    from partialload_opt.partialloading.claims import context as claims

    real = claims.Context.form

    def form(self, semantics):
        self.bugs.append("injected disagreement")
        return real(self, semantics)

    monkeypatch.setattr(claims.Context, "form", form)
    r = run(
        "verify",
        "--instances",
        INSTANCES / "handmade" / "h3-abc.json",
        "--claims",
        "thm3",
        "--report",
        tmp_path / "rep",
        "--counterexamples",
        tmp_path / "cx",
    )
    assert r.exit_code == 1 and "disagreement" in r.output


def test_a_solver_of_a_missing_extra_names_the_extra(monkeypatch):
    import importlib.util

    from partialload_opt import InputError, load_instance, solve

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "pyscipopt" else real(name, *a),
    )
    with pytest.raises(InputError, match=r"\[scip\] extra"):
        solve(load_instance(H1), "p1-scip")


@pytest.mark.parametrize("name", ["milp-batch", "p1-scip", "cpsat-batch"])
def test_warm_start_auto_works_for_every_exact_model(name):
    from partialload_opt import Status, solve
    from partialload_opt.partialloading.instance import load_instance

    if name == "p1-scip":
        pytest.importorskip("pyscipopt", reason="needs the [scip] extra")
    r = solve(
        load_instance(INSTANCES / "handmade" / "h3-abc.json"),
        name,
        warm_start="auto",
        time_limit=60,
    )
    assert r.status is Status.OPTIMAL, r.message


def test_an_invalid_cp_sat_model_is_an_error_that_says_so(monkeypatch):
    from ortools.sat.python import cp_model

    from partialload_opt import Status, solve
    from partialload_opt.partialloading.instance import load_instance

    monkeypatch.setattr(
        cp_model.CpSolver, "solve", lambda self, model, *a, **k: cp_model.MODEL_INVALID
    )
    r = solve(load_instance(H1), "cpsat", time_limit=10)
    assert r.status is Status.ERROR and "MODEL_INVALID" in r.message


def test_solve_all_without_the_scip_extra_runs_the_others(monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "pyscipopt" else real(name, *a),
    )
    r = run("solve", H1, "--solver", "all", "--time-limit", 20, "--json")
    assert r.exit_code == 0, r.output
    names = {d["solver"] for d in json.loads(r.output)}
    assert "p1-scip" not in names and {"dp-exact", "cpsat", "greedy-paper"} <= names


def test_solve_refuses_a_solver_of_another_problem_in_one_line():
    """A QPART solver named to `partialload solve` is exit 2 naming it (it used to crash in plan
    beside a PartialLoading solver, and to print an empty table alone)."""
    for names in (["qpart-milp"], ["closed-form", "dp-exact"]):
        r = run("solve", H1, *[a for n in names for a in ("--solver", n)])
        assert r.exit_code == 2 and "is not a partialload solver" in r.output, r.output
        assert len(r.output.strip().splitlines()) == 1


def test_solve_many_plans_the_runs_skips_a_refusal_and_gives_options_to_exact_solvers_only(
    monkeypatch,
):
    """The library side of `partialload solve`: plan's runs in order, a refusal skipped with its
    reason (re-raised when it is the only run), solver options only to exact solvers."""
    from partialload_opt import solving
    from partialload_opt.partialloading.instance import load_instance
    from partialload_opt.partialloading.solving import solve_many
    from partialload_opt.results import Unsupported

    general = load_instance(INSTANCES / "small" / "general-018.json")  # not BLS: dp-paper refuses
    seen, calls = [], []
    real = solving.solve

    def spy(inst, name, **kw):
        calls.append((name, sorted(kw)))
        return real(inst, name, **kw)

    monkeypatch.setattr(solving, "solve", spy)
    got = solve_many(
        general,
        ["dp-exact", "dp-paper", "greedy-paper"],
        options={"threads": 1},
        on_start=lambda n, total, info, sem: seen.append((n, total, info.name, sem)),
    )
    assert got.runs == [
        ("dp-exact", "continuous"),
        ("dp-exact", "slotted"),
        ("dp-paper", "slotted"),
        ("greedy-paper", "slotted"),
    ]
    assert [(r.solver, r.semantics) for r in got.results] == [got.runs[i] for i in (0, 1, 3)]
    assert [s[:2] for s in got.skipped] == [("dp-paper", "slotted")] and got.skipped[0][2]
    assert [s[0] for s in seen] == [1, 2, 3, 4] and {s[1] for s in seen} == {4}
    assert dict(calls)["greedy-paper"] == ["semantics", "time_limit"]
    assert "threads" in dict(calls)["dp-exact"]
    with pytest.raises(Unsupported):
        solve_many(general, ["dp-paper"])


def test_the_generator_options_of_verify_come_from_the_problems(tmp_path):
    from partialload_opt import problem as problems

    names = [o.name for p in problems.every() for o in p.generator_options]
    assert names == ["case", "users", "models"]  # PartialLoading's; QPART draws sizes itself
    r = run("verify", "--help")
    assert all(f"--{n}" in r.output for n in names)
    r = run("verify", "--problem", "qpart", "--case", "bls", "--generate", "1", "--report",
            str(tmp_path / "r"))  # fmt: skip
    assert r.exit_code == 2 and "--case: bls is an option of partialload's generator" in r.output
    assert not (tmp_path / "r").exists()
    r = run("verify", "--users", "5..2", "--generate", "1", "--report", str(tmp_path / "r"))
    assert r.exit_code == 2 and "--users: 5..2 must satisfy 1 <= A <= B" in r.output
