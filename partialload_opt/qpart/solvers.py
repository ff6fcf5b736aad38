"""QPART's solvers in the registry: the built-in rows and the checks a user's registration passes."""

from __future__ import annotations

import inspect
from collections.abc import Callable

from partialload_opt import plugins
from partialload_opt.options import Param
from partialload_opt.registry import SolverInfo

_Q = "partialload_opt.qpart"


def _row(name: str, target: str, exact: bool, doc: str, params=()) -> SolverInfo:
    return SolverInfo(
        name=name,
        target=f"{_Q}.{target}",
        problem="qpart",
        exact=exact,
        doc=doc,
        params={p.name: p for p in params},
    )


BUILTIN = (
    _row(
        "closed-form",
        "closed_form:solve_closed_form",
        False,
        "QPART's closed form per partition (clipped water-filling), rounded up; best partition by enumeration.",
        (Param("rounding", "ceil", (str,), ("ceil", "nearest-repair")),),
    ),
    _row(
        "qpart-alg",
        "algorithms:solve_qpart_alg",
        False,
        "QPART's Algorithms 1-2: patterns at precomputed accuracy levels, the cheapest partition online.",
        (
            Param(
                "levels",
                None,
                (tuple, list, type(None)),
                doc="accuracy levels (default: the instance's)",
            ),
        ),
    ),
    _row(
        "qpart-brute",
        "exact:solve_brute",
        True,
        "Every bit-width combination of every partition, vectorised (theorem-free; small networks).",
    ),
    _row(
        "qpart-pareto",
        "exact:solve_pareto",
        True,
        "Exact DP per partition over nondominated (payload, accuracy budget) pairs.",
    ),
    _row(
        "qpart-milp",
        "milp:solve_qpart_milp",
        True,
        "One-hot partition and bit-width MILP (Pyomo + HiGHS), linear.",
    ),
    _row(
        "qpart-cpsat",
        "cpsat:solve_qpart_cpsat",
        True,
        "Per-partition CP-SAT with integer-scaled accuracy rows and the rounding proof.",
    ),
)


def registration(name: str, func: Callable, traits: dict) -> dict:
    """SolverInfo fields of a user's solver ``fn(instance, *, time_limit=None, **options)``."""
    try:
        inspect.signature(func).bind(object(), time_limit=None)
    except (TypeError, ValueError) as e:
        raise plugins.PluginError(
            plugins.origin(func.__module__),
            f"solver {name!r}: {func.__qualname__} must accept "
            f"(instance, *, time_limit=None, **options): {e}",
        ) from None
    return {}
