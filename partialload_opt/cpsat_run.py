"""CP-SAT set up the same way for every model of every problem: workers, seed, gap, log, and the
parameters that keep its proofs sound on this OR-Tools release (the CP-SAT twin of
``partialloading/formulations/highs_run.py``)."""

from __future__ import annotations

from ortools.sat import cp_model_pb2
from ortools.sat.python import cp_model

DEFAULT_WORKERS = 8
"""8 workers even on 2 cores: CP-SAT's portfolio then runs its bound-proving subsolvers too (the
OR-Tools maintainers recommend several workers for diverse strategies, or-tools discussion #4139); on
K=100, I=50 BLS slotted, 2 workers took 16-20 s to prove what 8 proved in 1.3-1.7 s
(benchmarks/RESULTS.md)."""

SOUND_PARAMETERS = {"presolve_inclusion_work_limit": 0}
"""OR-Tools 9.15's presolve sums the coefficients of a row's Boolean terms in a 32-bit ``int``
(``ActivityBoundHelper::RemoveEnforcementThatMakesConstraintTrivial``, or-tools issue #5293, fixed
by pull request #5294 after the 9.15 release): past 2^31 the sum wraps, an enforcement literal is
dropped and an enforced row holds everywhere, which cut optima and "proved" the rest (cpsat-batch
proved 2 where 4 are served on instances/regression/cpsat-presolve-overflow.json, a slot of 26 s in
10 ns units). That rule runs only inside the inclusion step; a work limit of 0 skips it. Remove this
when the pinned OR-Tools carries the fix (tests/partialloading/formulations/test_honesty.py replays
the instance)."""


def status_name(code) -> str:
    """CP-SAT's name of a status code (also when no response exists, e.g. a rejected model)."""
    return cp_model_pb2.CpSolverStatus.Name(code)


def cpsat_solver(
    time_limit: float | None = None,
    threads: int | None = None,
    seed: int | None = None,
    gap: float = 0.0,
    log: str | bool | None = None,
) -> cp_model.CpSolver:
    """A CpSolver with the run's limits (``time_limit`` in seconds, ``threads`` workers, default 8),
    ``seed``, relative ``gap`` and ``log`` (True: printed; a path: appended line by line), and
    ``SOUND_PARAMETERS``."""
    solver = cp_model.CpSolver()
    p = solver.parameters
    for name, value in SOUND_PARAMETERS.items():
        setattr(p, name, value)
    if time_limit is not None:
        p.max_time_in_seconds = float(time_limit)
    p.num_workers = int(threads) if threads else DEFAULT_WORKERS
    if seed is not None:
        p.random_seed = int(seed)
    if gap:
        p.relative_gap_limit = float(gap)
    if log:
        p.log_search_progress = True
        p.log_to_stdout = False

        def write(line: str) -> None:  # appended line by line: no file is left open
            if log is True:
                print(line)
            else:
                with open(str(log), "a", encoding="utf-8") as sink:
                    sink.write(line + "\n")

        solver.log_callback = write
    return solver
