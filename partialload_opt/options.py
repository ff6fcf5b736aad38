"""One validated options object per solver run: what ``solve`` was told, checked once against what the
solver accepts, with the time limit as one budget for everything the run does (its warm start and
every solve inside it)."""

from __future__ import annotations

import inspect
import math
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

from partialload_opt.errors import InputError

COMMON = ("time_limit", "threads", "seed", "gap", "log")
"""Options every solver takes (one that cannot use threads, a seed, a gap or a log runs without them)."""
START = ("warm_start", "start")
"""Options of the solvers that can start from an answer (``Param``-less: ``SolverInfo.warm_start``)."""


@dataclass(frozen=True)
class Param:
    """A solver's own option: its default, the types it accepts and, for a choice, the values."""

    name: str
    default: Any
    kinds: tuple[type, ...] = ()
    choices: tuple = ()
    doc: str = ""

    def check(self, solver: str, value: Any) -> Any:
        if self.choices and value not in self.choices:
            raise InputError(
                "option",
                self.name,
                f"of {solver} must be one of {', '.join(map(str, self.choices))} (got {value!r})",
            )
        if self.kinds and not isinstance(value, self.kinds):
            want = " or ".join(k.__name__ for k in self.kinds)
            raise InputError(
                "option", self.name, f"of {solver} must be {want} (got {type(value).__name__})"
            )
        return value


@dataclass(frozen=True, kw_only=True)
class SolveOptions:
    """Everything a run is told. ``deadline`` (``time.monotonic()``) ends the whole run: a solve inside
    it gets ``remaining()``; ``start`` is the answer the run starts from (computed by ``solve`` from
    ``warm_start``, or given); ``params`` holds the solver's own options, defaults filled in."""

    solver: str
    time_limit: float | None = None
    threads: int | None = None
    seed: int | None = None
    gap: float = 0.0
    log: str | None = None
    warm_start: str | None = None
    start: Any = None
    params: Mapping[str, Any] = field(default_factory=dict)
    deadline: float | None = None

    def remaining(self) -> float | None:
        """Seconds left of the run's budget (None: no limit; never below 0)."""
        if self.deadline is None:
            return None
        return max(0.0, self.deadline - time.monotonic())

    def __getitem__(self, name: str) -> Any:
        """A solver's own option (``opts["max_states"]``)."""
        return self.params[name]

    def started(self) -> SolveOptions:
        """These options with the clock started: the deadline is now + time_limit."""
        deadline = None if self.time_limit is None else time.monotonic() + self.time_limit
        return replace(self, deadline=deadline)


def _number(name: str, value, *, integer: bool = False, low: float = 0.0):
    if value is None:
        return None
    kinds = (int,) if integer else (int, float)
    if isinstance(value, bool) or not isinstance(value, kinds) or not math.isfinite(value):
        kind = "an integer" if integer else "a number"
        raise InputError("option", name, f"must be {kind} (got {value!r})")
    if value < low:
        raise InputError("option", name, f"must be >= {low:g} (got {value!r})")
    return value


def build(
    cls: type[SolveOptions],
    solver: str,
    given: Mapping[str, Any],
    params: Mapping[str, Param],
    *,
    problem_fields: Mapping[str, Any] | None = None,
    warm_start: str | None = None,
    open_params: bool = False,
) -> SolveOptions:
    """``cls`` (SolveOptions or a problem's subclass) from the caller's keywords: common options,
    ``problem_fields`` (the problem's own, already parsed), ``warm_start``/``start`` where the solver
    takes a start (``warm_start`` is then its default), and the solver's ``params``. An option the
    solver does not take is an InputError naming it and listing the valid ones; ``open_params``: a
    user's function with ``**options`` takes any (passed on unchecked)."""
    problem_fields = dict(problem_fields or {})
    valid = [*COMMON, *problem_fields, *(START if warm_start is not None else ()), *params]
    common: dict[str, Any] = {}
    own = {p.name: p.default for p in params.values()}
    for name, value in given.items():
        if name in COMMON:
            common[name] = value
        elif name in problem_fields:
            continue  # parsed by the problem
        elif name in START and warm_start is not None:
            common[name] = value
        elif name in params:
            own[name] = params[name].check(solver, value)
        elif open_params:
            own[name] = value
        else:
            from partialload_opt.errors import did_you_mean

            raise InputError(
                "option",
                name,
                f"is not an option of {solver}{did_you_mean(name, valid)} (valid: {', '.join(valid)})",
            )
    common["time_limit"] = _number("time_limit", common.get("time_limit"))
    common["threads"] = _number("threads", common.get("threads"), integer=True, low=1)
    common["seed"] = _number("seed", common.get("seed"), integer=True)
    common["gap"] = _number("gap", common.get("gap", 0.0)) or 0.0
    if common.get("log") is not None:
        common["log"] = str(common["log"])
    if warm_start is not None:
        common.setdefault("warm_start", warm_start)
        if common["warm_start"] in ("", "none", False):
            common["warm_start"] = None
    known = {f.name for f in fields(cls)}
    extra = {k: v for k, v in problem_fields.items() if k in known}
    return cls(solver=solver, params=own, **common, **extra)


def user_params(func, fixed: tuple[str, ...]) -> tuple[dict[str, Param], bool]:
    """A user's solver function's own keyword options (every keyword but the instance, ``fixed``
    and the common ones), and whether it takes ``**options`` (then any option is passed on)."""
    params, open_ = {}, False
    skip = {*fixed, *COMMON}
    for n, p in enumerate(inspect.signature(func).parameters.values()):
        if p.kind is p.VAR_KEYWORD:
            open_ = True
        elif n > 0 and p.name not in skip and p.kind is not p.VAR_POSITIONAL:
            params[p.name] = Param(p.name, None if p.default is p.empty else p.default)
    return params, open_


def solver_params(info, fixed: tuple[str, ...]) -> tuple[Mapping[str, Param], bool]:
    """The options a registered solver takes: a built-in's declared ``Param``s; a user's function's
    keywords (``user_params``, ``fixed``: the problem's keywords)."""
    return user_params(info.func, fixed) if info.user else (info.params, False)


def user_keywords(func, opts: SolveOptions, **fixed: Any) -> dict[str, Any]:
    """The keywords a user's solver function is called with: its own options, ``time_limit`` (what
    is left of the budget), ``fixed`` (the problem's, e.g. semantics) and the common options it
    accepts (by name, or through ``**options``)."""
    accepted = inspect.signature(func).parameters
    takes_any = any(p.kind is p.VAR_KEYWORD for p in accepted.values())
    kwargs = dict(opts.params, time_limit=opts.remaining())
    for name, value in fixed.items():
        if takes_any or name in accepted:
            kwargs[name] = value
    for name in ("threads", "seed", "log"):
        if getattr(opts, name) is not None and (takes_any or name in accepted):
            kwargs[name] = getattr(opts, name)
    if opts.gap and (takes_any or "gap" in accepted):
        kwargs["gap"] = opts.gap
    return kwargs
