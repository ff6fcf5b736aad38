"""What every problem's solver run shares: its Status, and Unsupported (the solver does not handle
the instance or the options). Each problem's Outcome/Result types live in its own package."""

from __future__ import annotations

import enum

from partialload_opt.errors import InputError


class Status(str, enum.Enum):
    OPTIMAL = "optimal"  # proved
    FEASIBLE = "feasible"  # a heuristic's answer, or an exact solver that stopped early
    TIMEOUT = "timeout"  # time limit hit: best answer found and the bound
    INFEASIBLE = (
        "infeasible"  # no feasible answer exists (never for PartialLoading: the empty schedule)
    )
    ERROR = "error"  # crashed, or its claim disagreed with the evaluator


class Unsupported(InputError):
    """The solver does not handle this instance or these options (e.g. a BLS-only DP, general case)."""
