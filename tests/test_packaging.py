"""OR-Tools and HiGHS in one process (pyproject pins highspy < 1.15 for this): both import orders,
and a model solved with each, so an upgrade that breaks the pair fails loudly."""

from __future__ import annotations

import subprocess
import sys

import pytest

SCRIPT = """
import {first}, {second}
import pyomo.environ as pyo
from ortools.sat.python import cp_model
from pyomo.contrib.solver.solvers.highs import Highs
m = cp_model.CpModel(); x = m.new_int_var(0, 7, "x"); m.maximize(x)
s = cp_model.CpSolver(); assert s.solve(m) == cp_model.OPTIMAL and s.value(x) == 7
p = pyo.ConcreteModel(); p.y = pyo.Var(domain=pyo.Integers, bounds=(0, 5)); p.o = pyo.Objective(expr=p.y, sense=pyo.maximize)
r = Highs().solve(p)
assert round(pyo.value(p.y)) == 5
import highspy; h = highspy.Highs(); h.setOptionValue("output_flag", False)
print("ok")
"""


@pytest.mark.parametrize("first,second", [("ortools", "highspy"), ("highspy", "ortools")])
def test_ortools_and_highspy_solve_in_one_process(first, second):
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT.format(first=first, second=second)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0 and out.stdout.strip().endswith("ok"), out.stderr[-2000:]
