"""The warm start of milp-compact and milp-batch reaches HiGHS through two private attributes of
Pyomo's contrib HiGHS interface, which has no public warm start: ``Highs._pyomo_var_to_solver_var_map``
(the id of a Pyomo variable -> its HiGHS column) and ``Highs._solver_model`` (the ``highspy.Highs``),
used by ``partialload_opt/partialloading/formulations/highs_run.py:_set_start``. pyproject.toml bounds pyomo above
for that reason; these tests fail when a Pyomo release moves or changes them (raise the bound only
when they pass on it)."""

from __future__ import annotations

import highspy
import pyomo.environ as pyo
from pyomo.common.collections import ComponentMap
from pyomo.contrib.solver.solvers.highs import Highs

from partialload_opt.partialloading.formulations.highs_run import _set_start, run_highs
from partialload_opt.results import Status


def knapsack() -> pyo.ConcreteModel:
    """max sum x_i, sum (i + 1) x_i <= 20, x_i integer in [0, 10 + i]: distinct bounds per column."""
    m = pyo.ConcreteModel()
    m.x = pyo.Var(range(4), domain=pyo.NonNegativeIntegers, bounds=lambda m, i: (0, 10 + i))
    m.c = pyo.Constraint(expr=sum((i + 1) * m.x[i] for i in range(4)) <= 20)
    m.o = pyo.Objective(expr=sum(m.x[i] for i in range(4)), sense=pyo.maximize)
    return m


def test_the_private_attributes_of_the_warm_start_are_there_and_mean_what_it_assumes():
    m = knapsack()
    opt = Highs()
    opt.set_instance(m)
    h = opt._solver_model
    col_of = opt._pyomo_var_to_solver_var_map
    assert isinstance(h, highspy.Highs) and isinstance(col_of, dict)
    assert sorted(col_of.values()) == list(range(h.getNumCol())) == list(range(4))
    upper = list(h.getLp().col_upper_)
    for i in range(4):  # each variable's column is the one with its bound
        assert upper[col_of[id(m.x[i])]] == 10 + i


def test_a_warm_start_reaches_highs_column_by_column():
    m = knapsack()
    opt = Highs()
    opt.set_instance(m)
    _set_start(opt, ComponentMap((m.x[i], float(i + 1)) for i in range(3)))  # x_3 unset: 0
    sol = opt._solver_model.getSolution()
    col_of = opt._pyomo_var_to_solver_var_map
    assert sol.value_valid
    assert [sol.col_value[col_of[id(m.x[i])]] for i in range(4)] == [1.0, 2.0, 3.0, 0.0]


def test_run_highs_with_a_warm_start_proves_the_optimum():
    m = knapsack()
    r = run_highs(m, warm=ComponentMap([(m.x[0], 10.0), (m.x[1], 5.0)]))  # the optimum
    assert r.status is Status.OPTIMAL and round(r.incumbent) == 15 and r.int_bound == 15
