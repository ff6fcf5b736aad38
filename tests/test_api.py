"""The public Python API: what ``partialload_opt`` exports, a user's solver through the registry, and
the Schedule constructors."""

from __future__ import annotations

import subprocess
import sys

import pytest

import partialload_opt as plo
from partialload_opt import (
    InputError,
    Outcome,
    PluginError,
    Schedule,
    Status,
    load_instance,
    register_solver,
    solve,
    solve_isolated,
)
from partialload_opt.partialloading.bounds import best_bound
from partialload_opt.registry import unregister_solver

from conftest import INSTANCES, ROOT

H1 = INSTANCES / "handmade" / "h1-batching.json"
H3 = INSTANCES / "handmade" / "h3-abc.json"


def test_the_public_names_import_from_the_package_and_stay_light():
    code = (
        "import sys; from partialload_opt import solve, register_solver, Schedule, load_instance, Instance, "
        "evaluate, solvers, Result, Status, InputError; "
        "print(sorted(m for m in ('pyomo', 'ortools', 'pyscipopt', 'highspy', 'hypothesis') if m in sys.modules))"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and r.stdout.strip() == "[]", r.stdout + r.stderr
    assert set(plo.__all__) >= {
        "load_instance",
        "Instance",
        "Schedule",
        "evaluate",
        "solve",
        "solvers",
        "Result",
        "Status",
        "register_solver",
        "InputError",
    }


def test_solve_runs_every_solver_in_its_own_semantics_by_default():
    inst = load_instance(H3)
    assert solve(inst, "greedy-paper").semantics == "slotted"
    assert solve(inst, "dp-exact").semantics == "continuous"


def test_library_errors_do_not_speak_cli():
    with pytest.raises(InputError) as e:
        solve(load_instance(H3), "no-such-solver")
    assert str(e.value).startswith("solver: no-such-solver is not a solver") and "--" not in str(
        e.value
    )


@pytest.fixture
def registered():
    names = []

    def reg(name, **kw):
        names.append(name)
        return register_solver(name, **({"problem": "partialload"} | kw))

    yield reg
    for n in names:
        unregister_solver(n)


def test_a_user_solver_returning_a_schedule_is_rescored_and_feasible(registered):
    @registered("first-user-only", semantics=("continuous", "slotted"))
    def first(instance, *, semantics, time_limit=None):
        """Serves the first user alone."""
        u = instance.users[0]
        return Schedule([(u.model, [u.id])])

    r = solve(load_instance(H3), "first-user-only", semantics="slotted")
    assert r.status is Status.FEASIBLE and r.served == 1 and r.schedule.instance == "h3-abc"
    assert r.bound == best_bound(load_instance(H3), "slotted").value and r.bound > 1
    assert plo.solvers()["first-user-only"].doc == "Serves the first user alone."


def test_a_user_solver_claiming_a_wrong_optimum_is_an_error_and_a_solver_bug_in_verify(registered):
    from partialload_opt.partialloading.claims.context import Context
    from partialload_opt.partialloading.claims.solver_check import SolverClaim

    @registered("overclaims", exact=True, semantics=("slotted",))
    def overclaims(instance, *, semantics, time_limit=None, **options):
        r = solve(instance, "greedy-paper")
        return Outcome(r.schedule, Status.OPTIMAL, claimed=r.served, bound=r.served)

    found = None
    for path in sorted((INSTANCES / "small").glob("*.json")):
        inst = load_instance(path)
        ctx = Context(inst)
        c = SolverClaim("overclaims").check(ctx, "optimal", "slotted")
        if c.status == "violated":
            found = ctx
            break
    assert found is not None, "greedy-paper is optimal on every small instance: pick another"
    assert c.values["cause"] == "error" and "refuted by a verified schedule" in c.reason
    assert any(b.startswith("overclaims (slotted): bound") for b in found.bugs), found.bugs


def test_registration_checks_the_contract(registered):
    with pytest.raises(PluginError, match="must accept"):
        registered("no-kwargs")(lambda instance: Schedule())
    with pytest.raises(PluginError, match="already registered by built-in"):
        registered("greedy-paper")(lambda instance, *, semantics, time_limit=None: Schedule())
    with pytest.raises(PluginError, match="cases must be among"):
        registered("bad-case", cases="nested")(
            lambda instance, *, semantics, time_limit=None: Schedule()
        )


def test_re_running_a_definition_replaces_it(registered):
    for served_first in (True, False):

        @registered("redefined", semantics=("slotted",))
        def redefined(instance, *, semantics, time_limit=None, _first=served_first):
            u = instance.users[0]
            return Schedule([(u.model, [u.id])] if _first else [])

    assert solve(load_instance(H3), "redefined").served == 0


def test_a_user_solver_in_an_importable_module_runs_isolated(monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT / "examples" / "greedy-ls"))
    import partialload_greedy_ls  # noqa: F401

    r = solve_isolated(load_instance(H3), "greedy-ls", semantics="slotted", time_limit=30)
    here = solve(load_instance(H3), "greedy-ls", semantics="slotted")
    assert r.status is here.status and r.served == here.served and r.bound == here.bound


def test_schedule_constructors():
    inst = load_instance(H1)
    by_id = Schedule.from_ids(inst, [("M", ["u1", "u2"])])
    by_index = Schedule.from_indices(inst, [(0, [inst.user_index["u1"], inst.user_index["u2"]])])
    assert by_id == by_index == Schedule([("M", ("u1", "u2"))], instance=inst.name)
    with pytest.raises(InputError, match=r"batches\[0\].users"):
        Schedule.from_ids(inst, [("M", ["nobody"])])
    with pytest.raises(InputError, match=r"batches\[0\].model"):
        Schedule.from_ids(inst, [("X", ["u1"])])


def test_solve_s_defaults_work_for_every_registered_solver():
    inst = load_instance(
        H3
    )  # three models, general sharing: every solver but the BLS-only DP handles it
    for name, info in plo.solvers().items():
        if info.missing_extra() or info.cases == "bls":
            continue
        r = solve(inst, name)
        assert r.semantics == info.default_semantics and r.status is not Status.ERROR, (
            name,
            r.message,
        )


def test_plan_runs_heuristics_in_their_semantics_and_exact_solvers_where_a_gap_needs_them():
    from partialload_opt.partialloading.solving import plan

    assert plan(["greedy-paper", "dp-exact"]) == [
        ("greedy-paper", "slotted"),
        ("dp-exact", "continuous"),
        ("dp-exact", "slotted"),
    ]
    assert plan(["dp-exact"]) == [("dp-exact", "continuous")]
    assert plan(["dp-exact"], "slotted") == [("dp-exact", "slotted")]


def test_plan_runs_a_continuous_only_exact_solver_in_continuous_time():
    from partialload_opt.partialloading.solving import plan

    pytest.importorskip("pyscipopt", reason="p1-scip needs the [scip] extra")
    assert plan(["greedy-paper", "p1-scip"], "both") == [
        ("greedy-paper", "slotted"),
        ("p1-scip", "continuous"),
    ]


def test_best_bounds_take_the_smallest_proved_bound_per_semantics():
    from partialload_opt.partialloading.solving import best_bounds, best_result

    inst = load_instance(H3)
    rs = [solve(inst, "dp-exact", semantics=s) for s in ("continuous", "slotted")] + [
        solve(inst, "greedy-paper")
    ]
    top = best_bounds(rs)
    assert set(top) == {"continuous", "slotted"} and top["slotted"] == rs[1].served
    assert best_result(rs).served == max(r.served for r in rs)
