"""Users' solvers and claims from the command line: --plugin, entry points, bad plugins, workers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from partialload_opt.cli import app

from conftest import INSTANCES, ROOT

EXAMPLE = ROOT / "examples" / "greedy-ls"
H3 = INSTANCES / "handmade" / "h3-abc.json"
runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def plugin(tmp_path, name: str, body: str):
    path = tmp_path / f"{name}.py"
    path.write_text("from partialload_opt import *  # noqa\n" + textwrap.dedent(body))
    return path


def sweep_rows(out, columns: str) -> list[tuple]:
    """The stored rows of a sweep's results.sqlite."""
    import sqlite3

    return sqlite3.connect(out / "results.sqlite").execute(f"SELECT {columns} FROM rows").fetchall()


LAST_USER_DROPPED = """
@register_solver("{name}", problem="partialload", semantics=("slotted",))
def drop_last(instance, *, semantics, time_limit=None, **options):
    '''dp-exact without its last batch: a heuristic that is often not optimal.'''
    best = solve(instance, "dp-exact", semantics=semantics).schedule
    return Schedule(best.batches[:-1])
"""


def test_a_plugin_solver_runs_through_solve_verify_sweep_and_plot(tmp_path):
    p = plugin(tmp_path, "dropper", LAST_USER_DROPPED.format(name="drop-last"))
    r = run("solve", H3, "--plugin", p, "--solver", "drop-last", "--json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.output)
    assert doc["semantics"] == "slotted" and doc["status"] == "feasible"

    rep = tmp_path / "rep"
    r = run(
        "verify",
        "--plugin",
        p,
        "--solver",
        "drop-last",
        "--generate",
        6,
        "--users",
        "3..5",
        "--models",
        "2..3",
        "--report",
        rep,
        "--time-limit",
        30,
    )
    assert r.exit_code == 0, r.output
    entries = json.loads((rep / "report.json").read_text())["claims"]
    (entry,) = [e for e in entries if e["id"] == "solver"]
    assert entry["solver"] == "drop-last" and entry["semantics"] == "slotted"
    assert entry["violated"] >= 1 and entry["gap"]["worst_users"] >= 1 and entry["counterexamples"]
    assert [e["id"] for e in entries] == ["solver"]  # --solver alone checks only the solver
    md = (rep / "report.md").read_text()
    assert (
        "solver `drop-last`" in md
        and entry["worst_gantt"] in md
        and (rep / entry["worst_gantt"]).exists()
    )
    for path in entry["counterexamples"]:
        saved = json.loads(Path(path).read_text())
        assert saved["meta"]["counterexample"]["claim"] == "solver:drop-last"
        r = run(
            "solve",
            path,
            "--plugin",
            p,
            "--solver",
            "drop-last",
            "--solver",
            "dp-exact",
            "--semantics",
            "slotted",
            "--json",
        )
        served = {d["solver"]: d["served"] for d in json.loads(r.output)}
        assert served["drop-last"] < served["dp-exact"]  # the saved counterexample replays

    out = tmp_path / "sweep"
    r = run(
        "sweep",
        "fig9",
        "--plugin",
        p,
        "--solvers",
        "drop-last,dp-exact",
        "--realizations",
        1,
        "--exact-realizations",
        1,
        "--out",
        out,
    )
    assert r.exit_code == 0, r.output
    rows = sweep_rows(out, "solver, status")
    assert {s for s, _ in rows} == {"drop-last", "dp-exact"} and all(
        st != "error" for _, st in rows
    )
    r = run("plot", out, "--plugin", p)
    assert r.exit_code == 0 and "wrote" in r.output


def test_solvers_lists_a_plugin_with_its_origin(tmp_path):
    p = plugin(tmp_path, "lister", LAST_USER_DROPPED.format(name="drop-last-listed"))
    r = run("solvers", "--plugin", p, "--json")
    rows = {d["name"]: d for d in map(json.loads, r.output.splitlines())}
    assert r.exit_code == 0 and rows["drop-last-listed"]["origin"] == f"plugin {p}"
    assert rows["dp-exact"]["origin"] == "built-in" and not rows["drop-last-listed"]["exact"]


def test_the_example_package_as_a_plugin_module(monkeypatch, tmp_path):
    monkeypatch.syspath_prepend(str(EXAMPLE))
    r = run(
        "solve",
        H3,
        "--plugin",
        "partialload_greedy_ls",
        "--solver",
        "greedy-ls",
        "--solver",
        "greedy-paper",
        "--json",
    )
    assert r.exit_code == 0, r.output
    served = {d["solver"]: d["served"] for d in json.loads(r.output)}
    assert served["greedy-ls"] >= served["greedy-paper"]
    r = run(
        "verify",
        "--plugin",
        "partialload_greedy_ls",
        "--solver",
        "greedy-ls",
        "--generate",
        4,
        "--report",
        tmp_path / "rep",
    )
    assert r.exit_code == 0, r.output
    kinds = {
        (e["id"], e.get("solver"), e["semantics"])
        for e in json.loads((tmp_path / "rep" / "report.json").read_text())["claims"]
    }
    assert kinds == {("solver", "greedy-ls", "continuous"), ("solver", "greedy-ls", "slotted")}
    r = run(
        "sweep",
        "fig9",
        "--plugin",
        "partialload_greedy_ls",
        "--solvers",
        "greedy-ls,greedy-paper",
        "--realizations",
        2,
        "--out",
        tmp_path / "sw",
    )
    assert r.exit_code == 0, r.output


def test_the_example_package_s_own_tests_pass():
    env = dict(os.environ, PYTHONPATH=str(EXAMPLE))
    r = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(EXAMPLE / "tests")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]


def _with_entry_point(tmp_path, value: str) -> dict:
    """An installed-looking distribution (a .dist-info on PYTHONPATH) declaring one entry point."""
    info = tmp_path / "site" / "partialload_greedy_ls-0.1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: partialload-greedy-ls\nVersion: 0.1.0\n"
    )
    (info / "entry_points.txt").write_text(f"[partialload_opt.solvers]\ngreedy-ls = {value}\n")
    path = os.pathsep.join([str(tmp_path / "site"), str(EXAMPLE)])
    return dict(os.environ, PYTHONPATH=path)


def _cli(env, *args):
    return subprocess.run(
        [sys.executable, "-m", "partialload_opt.cli", *map(str, args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_an_installed_entry_point_registers_without_any_flag(tmp_path):
    env = _with_entry_point(tmp_path, "partialload_greedy_ls")
    r = _cli(env, "solvers")
    r = _cli(env, "solvers", "--json")
    rows = {d["name"]: d for d in map(json.loads, r.stdout.splitlines())}
    assert r.returncode == 0 and rows["greedy-ls"]["origin"].startswith(
        "entry point partialload_greedy_ls"
    )
    r = _cli(env, "solve", H3, "--solver", "greedy-ls", "--semantics", "slotted", "--json")
    assert r.returncode == 0 and json.loads(r.stdout)["solver"] == "greedy-ls"


def test_a_broken_entry_point_is_one_line_and_exit_2(tmp_path):
    env = _with_entry_point(tmp_path, "no_such_package_here")
    r = _cli(env, "solvers")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "no_such_package_here" in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_solvers_and_help_import_no_solver_backend():
    code = (
        "import sys; from typer.testing import CliRunner; from partialload_opt.cli import app; "
        "r = CliRunner().invoke(app, ['solvers']); assert r.exit_code == 0, r.output; "
        "CliRunner().invoke(app, ['--help']); CliRunner().invoke(app, ['solve', '--help']); "
        "print(sorted(m for m in ('pyomo', 'ortools', 'pyscipopt', 'highspy') if m in sys.modules))"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0 and r.stdout.strip() == "[]", r.stdout + r.stderr


@pytest.mark.parametrize(
    "body, rule",
    [
        (None, "cannot be imported"),
        (
            "raise RuntimeError('broken at import')",
            "failed while importing: RuntimeError: broken at import",
        ),
        (
            "@register_solver('bad-signature', problem='partialload')\ndef f(instance):\n    return Schedule()\n",
            "must accept",
        ),
        (
            "@register_solver('dp-exact', problem='partialload')\ndef f(instance, *, semantics, time_limit=None, **o):\n    return Schedule()\n",
            "already registered by built-in",
        ),
        (
            "@register_solver('bad-semantics', problem='partialload', semantics=('discrete',))\n"
            "def f(instance, *, semantics, time_limit=None, **o):\n    return Schedule()\n",
            "semantics must be among",
        ),
        (
            "@register_claim('thm1', quote='x')\ndef c(instance, ctx, *, semantics):\n    return 'held'\n",
            "taken",
        ),
    ],
)
def test_a_bad_plugin_is_one_line_naming_it_and_exit_2(tmp_path, body, rule):
    target = "no_such_plugin_module" if body is None else plugin(tmp_path, "bad_plugin", body)
    out = tmp_path / "s.json"
    r = run("solve", H3, "--plugin", target, "--solver", "dp-exact", "--out", out)
    assert r.exit_code == 2 and rule in r.output and "Traceback" not in r.output, r.output
    assert f"plugin {target}" in r.output or "plugin " in r.output
    assert not out.exists()


BAD_RETURN = """
@register_solver("{name}", problem="partialload", semantics=("slotted",))
def not_a_schedule(instance, *, semantics, time_limit=None, **options):
    return 42
"""


BAD_RETURNS = """
@register_solver("returns-list", problem="partialload", semantics=("slotted",))
def a_list(instance, *, semantics, time_limit=None, **options):
    return [("m", ["u"])]


@register_solver("returns-none", problem="partialload", semantics=("slotted",))
def nothing(instance, *, semantics, time_limit=None, **options):
    return None


@register_solver("bad-outcome", problem="partialload", semantics=("slotted",))
def bad_outcome(instance, *, semantics, time_limit=None, **options):
    from partialload_opt import Outcome, Schedule, Status
    return Outcome(Schedule(), Status.FEASIBLE, claimed=1.5)


@register_solver("raises", problem="partialload", semantics=("slotted",))
def raises(instance, *, semantics, time_limit=None, **options):
    raise ValueError("on purpose")
"""


def test_any_bad_return_is_that_solvers_error_row_and_the_other_rows_stand(tmp_path):
    p = plugin(tmp_path, "bad_returns", BAD_RETURNS)
    names = ["returns-list", "returns-none", "bad-outcome", "raises"]
    args = ["solve", H3, "--plugin", p, "--json", "--solver", "greedy-paper"]
    for name in names:
        args += ["--solver", name]
    r = run(*args)
    assert r.exit_code == 1, r.output  # a run ended in error
    rows = {row["solver"]: row for row in json.loads(r.stdout)}
    assert rows["greedy-paper"]["status"] in ("feasible", "optimal")
    reasons = {
        "returns-list": "returned list, not a Schedule or an Outcome",
        "returns-none": "returned NoneType, not a Schedule or an Outcome",
        "bad-outcome": "claimed count is 1.5, not a whole number",
        "raises": "ValueError: on purpose",
    }
    for name, reason in reasons.items():
        assert rows[name]["status"] == "error" and reason in rows[name]["message"], rows[name]
        assert "\n" not in rows[name]["message"]


def test_a_solver_that_returns_no_schedule_is_an_error_row_in_solve_and_in_a_sweep(tmp_path):
    p = plugin(tmp_path, "returns_int", BAD_RETURN.format(name="returns-int"))
    r = run("solve", H3, "--plugin", p, "--solver", "returns-int")
    assert r.exit_code == 1 and "returned int, not a Schedule or an Outcome" in r.output
    out = tmp_path / "sweep"
    r = run(
        "sweep",
        "fig9",
        "--plugin",
        p,
        "--solvers",
        "returns-int,greedy-paper",
        "--realizations",
        1,
        "--out",
        out,
    )
    assert r.exit_code == 0, r.output
    rows = dict(sweep_rows(out, "solver, status"))
    assert rows == {"returns-int": "error", "greedy-paper": "feasible"}


CLAIMS = """
@register_claim("{cid}", quote="a model with users is always served", semantics=("slotted",))
def someone_served(instance, ctx, *, semantics):
    from partialload_opt.verify import Verdict

    value, how, best = ctx.optimum(semantics)
    if value is None:
        return Verdict("skipped", "no proved optimum")
    if instance.K and value == 0:
        return Verdict("violated", f"nobody can be served ({{how}})", {{"optimum": value}}, {{"optimum": best}})
    return "held"


@register_claim("{cid}-raises", quote="raises on purpose", semantics=("slotted",))
def raises(instance, ctx, *, semantics):
    raise ValueError("a bug in the claim")
"""


def test_a_user_claim_is_reported_shrunk_and_saved_and_one_that_raises_is_recorded(tmp_path):
    p = plugin(tmp_path, "claims_plugin", CLAIMS.format(cid="someone-served"))
    rep = tmp_path / "rep"
    r = run(
        "verify",
        "--plugin",
        p,
        "--claims",
        "someone-served,someone-served-raises",
        "--generate",
        12,
        "--report",
        rep,
        "--counterexamples",
        tmp_path / "cx",
        "--workers",
        2,
    )
    assert (
        r.exit_code == 1 and "internal errors" in r.output
    )  # the raising claim, recorded per instance
    doc = json.loads((rep / "report.json").read_text())
    entry = next(e for e in doc["claims"] if e["id"] == "someone-served")
    assert (
        entry["checked"] + entry["skipped"] == 12
        and entry["violated"] >= 1
        and entry["counterexamples"]
    )
    small = json.loads(Path(entry["counterexamples"][0]).read_text())
    assert len(small["users"]) == 1  # shrunk to one user nobody can serve
    raising = next(e for e in doc["claims"] if e["id"] == "someone-served-raises")
    assert raising["skipped"] == 12 and "a bug in the claim" in next(
        iter(raising["skipped_reasons"])
    )


def test_dask_workers_load_the_plugins(tmp_path):
    pytest.importorskip("dask.distributed", reason="needs the [dask] extra")
    p = plugin(tmp_path, "dask_dropper", LAST_USER_DROPPED.format(name="drop-last-dask"))
    out = tmp_path / "sweep"
    r = run(
        "sweep",
        "fig9",
        "--plugin",
        p,
        "--solvers",
        "drop-last-dask",
        "--realizations",
        1,
        "--engine",
        "dask",
        "--workers",
        1,
        "--out",
        out,
    )
    assert r.exit_code == 0, r.output
    rows = sweep_rows(out, "solver, status, message")
    assert rows and all(s == "drop-last-dask" and st == "feasible" for s, st, _ in rows), rows


def test_a_claim_from_an_entry_point_is_checked_without_any_flag(tmp_path):
    module = tmp_path / "site" / "ep_claims.py"
    module.parent.mkdir(parents=True)
    module.write_text("from partialload_opt import *  # noqa\n" + CLAIMS.format(cid="ep-served"))
    env = _with_entry_point(tmp_path, "partialload_greedy_ls")
    (tmp_path / "site" / "partialload_greedy_ls-0.1.0.dist-info" / "entry_points.txt").write_text(
        "[partialload_opt.claims]\nep = ep_claims\n"
    )
    rep = tmp_path / "rep"
    r = _cli(env, "verify", "--claims", "ep-served", "--generate", 4, "--report", rep)
    assert r.returncode == 0, r.stderr[-2000:]
    assert [e["id"] for e in json.loads((rep / "report.json").read_text())["claims"]] == [
        "ep-served"
    ]


def test_verify_no_shrink_saves_the_counterexample_as_found(tmp_path):
    """Paper-scale validation (issue 30): with --no-shrink the saved counterexample is the instance
    the violation was found on, every user kept, and its chart shows the candidate beside the
    optimum."""
    p = plugin(tmp_path, "dropper2", LAST_USER_DROPPED.format(name="drop-last-2"))
    rep = tmp_path / "rep"
    args = ["verify", "--plugin", p, "--solver", "drop-last-2", "--generate", 4, "--users", "5..6",
            "--models", "2..3", "--time-limit", 30, "--no-shrink"]  # fmt: skip
    r = run(*args, "--report", rep)
    assert r.exit_code == 0, r.output
    (entry,) = json.loads((rep / "report.json").read_text())["claims"]
    assert entry["violated"] >= 1 and entry["counterexamples"]
    for path in entry["counterexamples"]:
        saved = json.loads(Path(path).read_text())
        assert len(saved["users"]) in (5, 6)  # as found: no user shrunk away
        note = Path(path).with_suffix(".md").read_text()
        assert "optimal" in note and "drop-last-2" in note
        assert list(Path(path).parent.glob(Path(path).stem + "*.png"))


def test_solve_gantt_all_draws_every_runs_schedule(tmp_path, monkeypatch):
    from partialload_opt.partialloading import gantt

    drawn = []
    monkeypatch.setattr(gantt, "save_gantts", lambda charts, path: drawn.append(len(charts)))
    solvers = ["--solver", "dp-exact", "--solver", "greedy-paper", "--solver", "dp-paper"]
    r = run("solve", H3, *solvers, "--semantics", "slotted", "--gantt", tmp_path / "g.png")
    assert r.exit_code == 0, r.output
    r = run("solve", H3, *solvers, "--semantics", "slotted", "--gantt", tmp_path / "g.png",
            "--gantt-all")  # fmt: skip
    assert r.exit_code == 0, r.output
    assert drawn == [1, 3]  # the best schedule alone, then every run's
