"""The solver registry: a table of metadata with lazy ``module:function`` targets, so listing solvers
imports no Pyomo, OR-Tools or SCIP. Each problem contributes its built-in rows
(``Problem.builtin_solvers``); users extend the same table with ``register_solver`` (in code, with
``--plugin MODULE``, or through the entry-point group ``partialload_opt.solvers``)."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

from partialload_opt import plugins
from partialload_opt import problem as problems
from partialload_opt.errors import InputError, did_you_mean
from partialload_opt.solver_info import SolverInfo

__all__ = [  # SolverInfo and did_you_mean live in solver_info.py and errors.py; named here too
    "SolverInfo",
    "check_choice",
    "chosen_solvers",
    "did_you_mean",
    "register_solver",
    "restore",
    "snapshot",
    "solver_info",
    "solvers",
    "unregister_solver",
]


_TABLE: dict[str, SolverInfo] = {}
_BUILTIN_LOADED = False


def _table() -> dict[str, SolverInfo]:
    """The table, with every problem's built-in rows first (in the problems' order)."""
    global _BUILTIN_LOADED
    if not _BUILTIN_LOADED:
        _BUILTIN_LOADED = True
        users = dict(_TABLE)
        _TABLE.clear()
        for p in problems.every():
            _TABLE.update((info.name, info) for info in p.builtin_solvers())
        _TABLE.update(users)
    return _TABLE


LEGACY_TRAITS = ("semantics", "cases", "bandwidths", "form")
"""The keywords ``register_solver`` had before traits belonged to the problem (PartialLoading's); a
problem without them ignores them with a DeprecationWarning, for one release."""


def register_solver(
    name: str,
    *,
    problem: str | None = None,
    exact: bool = False,
    doc: str | None = None,
    **traits: Any,
):
    """Decorator: register a user's solver function under ``name`` for ``problem``.

    ``traits`` are the problem's (``Problem.solver_traits`` names them and their defaults;
    PartialLoading: ``semantics``, ``cases``, ``bandwidths``, ``form``); an unknown trait is an
    error naming the valid ones. PartialLoading: ``fn(instance, *, semantics, time_limit=None,
    **options)`` returns a Schedule (status 'feasible') or an Outcome (to claim 'optimal' or give a
    bound). QPART: ``fn(instance, *, time_limit=None, **options)`` returns a qpart ``Decision``, None
    or a ``QOutcome``. The solver then gets what a built-in one gets: re-scoring by the evaluator,
    time limits, ``--isolate``, charts, sweeps and ``verify --solver``; the options it accepts are
    the keywords of its signature (any, with ``**options``). Without ``problem=`` it means
    PartialLoading, with a DeprecationWarning (the default goes in the next release)."""
    owner_name = problem
    if owner_name is None:
        warnings.warn(
            f"register_solver({name!r}) without problem= is deprecated: pass "
            "problem='partialload' (the default goes in the next release)",
            DeprecationWarning,
            stacklevel=2,
        )
        owner_name = "partialload"

    def deco(func: Callable) -> Callable:
        where = plugins.origin(func.__module__)
        try:
            owner = problems.get(owner_name)
        except InputError as e:
            raise plugins.PluginError(where, f"solver {name!r}: {e.rule}") from None
        traits_ = _traits(owner, name, traits, where)
        fields_ = owner.registration(name, func, traits_)
        old = _table().get(name)
        if old is not None and not _same_function(old, func):
            raise plugins.PluginError(
                where, f"registers solver {name!r}, already registered by {old.origin}"
            )
        text = doc or ((func.__doc__ or "").strip().splitlines() or [""])[0]
        _TABLE[name] = SolverInfo(
            name=name,
            target=func,
            problem=owner.name,
            exact=bool(exact),
            doc=text,
            origin=where,
            user=True,
            **fields_,
        )
        return func

    return deco


def _traits(owner: problems.Problem, name: str, given: dict, where: str) -> dict:
    """``given`` over the problem's trait defaults; an unknown trait is a PluginError naming the
    valid ones (a legacy keyword the problem does not have: ignored, with a DeprecationWarning)."""
    valid = dict(owner.solver_traits)
    for key in list(given):
        if key in valid:
            continue
        if key in LEGACY_TRAITS:
            warnings.warn(
                f"register_solver({name!r}, {key}=...): {owner.name} solvers have no {key!r} "
                "trait; it is ignored (an error in the next release)",
                DeprecationWarning,
                stacklevel=3,
            )
            given = {k: v for k, v in given.items() if k != key}
            continue
        raise plugins.PluginError(
            where,
            f"solver {name!r}: unknown trait {key!r} for {owner.name} "
            f"(its traits: {', '.join(valid) or 'none'})",
        )
    return valid | given


def check_choice(solver: str, what: str, values, allowed) -> tuple[str, ...]:
    """``values`` (one or several) as a tuple, each among ``allowed``; else a PluginError."""
    values = (values,) if isinstance(values, str) else tuple(values)
    bad = [v for v in values if v not in allowed]
    if bad or not values:
        raise plugins.PluginError(
            plugins.origin("register_solver"),
            f"solver {solver!r}: {what} must be among {', '.join(allowed)} (got {values})",
        )
    return values


def _same_function(info: SolverInfo, func: Callable) -> bool:
    """A re-run of the same definition (a notebook cell, a re-imported module) may replace itself."""
    old = info.target
    return callable(old) and (old.__module__, old.__qualname__) == (
        func.__module__,
        func.__qualname__,
    )


def unregister_solver(name: str) -> None:
    """Remove a user's solver (built-in ones stay)."""
    if name in _table() and _TABLE[name].origin != "built-in":
        del _TABLE[name]


def solvers(problem: str | None = "partialload") -> dict[str, SolverInfo]:
    """Every registered solver of ``problem`` (None: of every problem) -- built-in, entry points,
    plugins -- by name; imports no backend."""
    plugins.load_group(plugins.SOLVER_GROUP)
    return {n: i for n, i in _table().items() if problem is None or i.problem == problem}


def chosen_solvers(names: list[str], problem: str, field_name: str = "--solver") -> list[str]:
    """The solvers of ``problem`` a command line names: ``['all']`` is every one whose backend is
    installed; a name that is not one of its solvers is an InputError."""
    if names == ["all"]:
        return [n for n, i in solvers(problem).items() if not i.missing_extra()]
    for name in names:
        if solver_info(name, field_name, problem).problem != problem:
            raise InputError(
                field_name,
                name,
                f"is not a {problem} solver{did_you_mean(name, solvers(problem))} "
                "(partialload solvers lists them)",
            )
    return list(names)


def solver_info(name: str, field_name: str = "solver", problem: str | None = None) -> SolverInfo:
    """The registered solver ``name``; an InputError naming ``field_name`` when there is none (with
    the closest name, and the list of ``problem``'s solvers) or its extra is not installed."""
    table = solvers(None)
    info = table.get(name)
    if info is None:
        mine = solvers(problem) if problem is not None else table
        kind = f"{problem} solver" if problem is not None else "solver"
        raise InputError(
            field_name, name, f"is not a {kind}{did_you_mean(name, mine)} ({', '.join(mine)})"
        )
    extra = info.missing_extra()
    if extra:
        raise InputError(
            field_name, name, f"needs the [{extra}] extra: pip install 'partialload-opt[{extra}]'"
        )
    return info


def snapshot() -> dict[str, SolverInfo]:
    """The table as it is (for ``restore``: tests that register throwaway solvers)."""
    return dict(_table())


def restore(saved: dict[str, SolverInfo]) -> None:
    """The table as ``snapshot`` saw it; a user's module registered since is forgotten by the import
    system too, so importing it again registers again."""
    import sys

    for name, info in list(_table().items()):
        module = getattr(info.target, "__module__", None) if name not in saved else None
        if module and module != "__main__" and not module.startswith("partialload_opt"):
            sys.modules.pop(module, None)
    _TABLE.clear()
    _TABLE.update(saved)
