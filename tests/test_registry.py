"""partialload_opt/registry.py: one table of both problems' solvers, lazy targets, users' rows beside
the built-in ones, and registrations checked by the solver's problem."""

from __future__ import annotations

import pytest

from partialload_opt import PluginError, register_solver, solvers
from partialload_opt.registry import restore, snapshot, solver_info, unregister_solver


def test_each_problem_contributes_its_built_in_rows():
    pl, q = solvers("partialload"), solvers("qpart")
    assert {"dp-exact", "cpsat", "milp-batch", "greedy-paper"} <= set(pl)
    assert {"qpart-pareto", "qpart-milp", "closed-form"} <= set(q)
    assert set(solvers(None)) == set(pl) | set(q)
    assert all(i.problem == "qpart" for i in q.values())


def test_rows_carry_their_own_options_and_traits():
    dp = solver_info("dp-exact")
    assert dp.params["method"].choices == ("auto", "chain", "subsets", "ascending-l")
    assert dp.warm_start is None and solver_info("cpsat").warm_start == "auto"
    assert solver_info("dp-paper").cases == "bls"  # a trait, readable as an attribute
    assert solver_info("closed-form").params["rounding"].default == "ceil"


def test_a_users_solver_is_a_row_of_the_same_table_and_goes_away():
    saved = snapshot()

    @register_solver("tmp-solver", problem="partialload", semantics=("slotted",), doc="a throwaway")
    def tmp(instance, *, semantics, time_limit=None, **options):
        raise AssertionError("not called")

    info = solver_info("tmp-solver")
    assert info.user and info.origin == __name__ and info.semantics == ("slotted",)
    unregister_solver("tmp-solver")
    assert "tmp-solver" not in solvers()
    unregister_solver("dp-exact")  # built-in rows stay
    assert "dp-exact" in solvers()
    restore(saved)


def test_a_bad_registration_is_a_plugin_error_from_the_problem():
    with pytest.raises(PluginError, match="must accept"):
        register_solver("bad-sig", problem="partialload")(lambda instance: None)
    with pytest.raises(PluginError, match="semantics must be among"):
        register_solver("bad-sem", problem="partialload", semantics=("sometimes",))(
            lambda instance, *, semantics, time_limit=None: None
        )
    with pytest.raises(PluginError, match="is not a problem"):
        register_solver("bad-problem", problem="nope")(lambda instance, *, time_limit=None: None)
    with pytest.raises(PluginError, match="already registered"):
        register_solver("dp-exact", problem="partialload")(
            lambda instance, *, semantics, time_limit=None: None
        )


def test_traits_belong_to_the_problem():
    with pytest.raises(
        PluginError,
        match=r"unknown trait 'semantic' for partialload \(its traits: "
        r"semantics, cases, bandwidths, form\)",
    ):
        register_solver("typo", problem="partialload", semantic=("slotted",))(
            lambda instance, *, semantics, time_limit=None: None
        )
    with pytest.raises(PluginError, match="unknown trait 'speed' for qpart \\(its traits: none\\)"):
        register_solver("fast", problem="qpart", speed=3)(lambda instance, *, time_limit=None: None)


def test_the_old_keywords_still_register_with_a_deprecation_warning():
    saved = snapshot()
    try:
        with pytest.warns(DeprecationWarning, match="without problem= is deprecated"):

            @register_solver("old-style", semantics=("continuous",))
            def old(instance, *, semantics, time_limit=None, **options):
                raise AssertionError("not called")

        info = solver_info("old-style")
        assert info.problem == "partialload" and info.semantics == ("continuous",)
        with pytest.warns(DeprecationWarning, match="qpart solvers have no 'semantics' trait"):

            @register_solver("old-qpart", problem="qpart", semantics=("slotted",))
            def old_q(instance, *, time_limit=None, **options):
                raise AssertionError("not called")

        assert solver_info("old-qpart").problem == "qpart"
    finally:
        restore(saved)
