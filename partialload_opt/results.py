"""What every problem's solver run shares: its Status, Unsupported (the solver does not handle
the instance or the options), BadAnswer, and a Certificate (what is proved of an instance's optimum:
the benchmark library's unit, bench.py). Each problem's Outcome/Result types live in its own
package."""

from __future__ import annotations

import enum
from dataclasses import dataclass

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


class BadAnswer(Exception):
    """A solver returned something its problem cannot score (a list for a Schedule, a status that is
    no Status, a bound that is no number): ``solve`` makes it that run's error Result, with this
    one-line reason, and the other runs of a multi-solver command stand."""


def check_number(value, what: str, integer: bool = False) -> None:
    """``value`` is None or a finite number (an int when ``integer``); else a BadAnswer."""
    import math
    import numbers

    if value is None:
        return
    kind = numbers.Integral if integer else numbers.Real
    if isinstance(value, bool) or not isinstance(value, kind) or not math.isfinite(value):
        raise BadAnswer(f"{what} is {value!r}, not {'a whole' if integer else 'a finite'} number")


@dataclass(frozen=True, kw_only=True)
class Certificate:
    """What is known of one entry's optimum in one semantics (QPART: ``-``)."""

    semantics: str
    value: float  # the proved optimum, or the best answer known (users; QPART: cost)
    bound: float | None  # the best valid bound (== value when proved; None: none known)
    proved: bool
    method: str  # what proved it (or found the answer and the bound)
    seconds: float

    @property
    def status(self) -> str:
        return "proved" if self.proved else "open"
