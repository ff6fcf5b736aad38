"""The solver registry: a table of metadata with lazy ``module:function`` targets, so listing solvers
imports no Pyomo, OR-Tools or SCIP. Built-in solvers are rows of the same table that users extend
with ``register_solver`` (in code, with ``--plugin MODULE``, or through the entry-point group
``partialload_opt.solvers``)."""

from __future__ import annotations

import importlib
import importlib.util
import inspect
from collections.abc import Callable
from dataclasses import dataclass, field

from partialload_opt import plugins
from partialload_opt.bandwidth import BandwidthRule
from partialload_opt.errors import InputError
from partialload_opt.instance import Instance
from partialload_opt.schedule import Semantics

SEMANTICS = tuple(s.value for s in Semantics)
BANDWIDTHS = ("optimal", "equal")
CASES = ("any", "bls")
FORMS = ("free", "theorem-2")
PROBLEMS = ("partialload", "qpart")


@dataclass(frozen=True)
class SolverInfo:
    """One registered solver. ``target`` is the function or its lazy ``"module:function"`` path.

    ``form='theorem-2'``: it optimises over Theorem-2-form schedules only; ``solve`` then withholds
    'optimal' and the bound wherever that form is not proved to lose nothing."""

    name: str
    target: str | Callable = field(repr=False)
    exact: bool
    semantics: tuple[str, ...]
    cases: str  # "bls" | "any"
    bandwidths: tuple[str, ...]  # "optimal", "equal"
    doc: str
    form: str = "free"
    extra: str | None = None  # the pip extra its backend comes from, when optional
    origin: str = "built-in"
    user: bool = (
        False  # a user's function: returns a Schedule or an Outcome, may lack ``bandwidth``
    )
    problem: str = "partialload"  # "partialload" | "qpart": which instances it solves

    @property
    def func(self) -> Callable:
        if callable(self.target):
            return self.target
        module, _, name = self.target.partition(":")
        return getattr(importlib.import_module(module), name)

    @property
    def default_semantics(self) -> str:
        """Continuous time where the solver supports it, else its own (the paper's heuristics: slotted)."""
        if not self.semantics:
            return "-"
        return "continuous" if "continuous" in self.semantics else self.semantics[0]

    def missing_extra(self) -> str | None:
        """The extra to install when its backend is absent (checked without importing it)."""
        if (
            self.extra
            and importlib.util.find_spec({"scip": "pyscipopt"}.get(self.extra, self.extra)) is None
        ):
            return self.extra
        return None


_ALGO, _FORM = "partialload_opt.algorithms", "partialload_opt.formulations"
_BUILTIN = (
    SolverInfo(
        "dp-exact",
        f"{_ALGO}.dp_exact:solve_dp_exact",
        True,
        SEMANTICS,
        "any",
        BANDWIDTHS,
        "Exact DP (ours): chain DP for BLS in continuous time, subset DP otherwise; proves optimality.",
        "theorem-2",
    ),
    SolverInfo(
        "exhaustive",
        f"{_ALGO}.exhaustive:solve_exhaustive",
        True,
        SEMANTICS,
        "any",
        BANDWIDTHS,
        "Exhaustive search over model orders and per-model counts (the paper's baseline).",
        "theorem-2",
    ),
    SolverInfo(
        "dp-paper",
        f"{_ALGO}.dp_paper:solve_dp_paper",
        False,
        ("slotted",),
        "bls",
        BANDWIDTHS,
        "PartialLoading Spec (Algorithms 1-2): the paper's slotted DP for BLS instances.",
    ),
    SolverInfo(
        "greedy-paper",
        f"{_ALGO}.greedy_paper:solve_greedy_paper",
        False,
        ("slotted",),
        "any",
        BANDWIDTHS,
        "PartialLoading Gen (Algorithm 3): greedy by users served per slot, any instance.",
    ),
    SolverInfo(
        "independent",
        f"{_ALGO}.independent:solve_independent",
        False,
        ("slotted",),
        "any",
        BANDWIDTHS,
        "Independent Loading baseline: Algorithm 2 without parameter sharing (scored unshared).",
    ),
    SolverInfo(
        "cpsat",
        f"{_FORM}.cpsat_compact:solve_cpsat",
        True,
        SEMANTICS,
        "any",
        BANDWIDTHS,
        "Compact model in CP-SAT: add_circuit per cluster, one Boolean per (model, count).",
        "theorem-2",
    ),
    SolverInfo(
        "milp-compact",
        f"{_FORM}.milp_compact:solve_milp_compact",
        True,
        SEMANTICS,
        "any",
        BANDWIDTHS,
        "Compact MILP in Theorem-2 form (Pyomo + HiGHS): circuit with flow, incremental counts.",
        "theorem-2",
    ),
    SolverInfo(
        "milp-batch",
        f"{_FORM}.milp_batch:solve_milp_batch",
        True,
        SEMANTICS,
        "any",
        BANDWIDTHS,
        "P2 with batch positions and no theorem assumed (Pyomo + HiGHS); the theorems' referee.",
    ),
    SolverInfo(
        "cpsat-batch",
        f"{_FORM}.cpsat_batch:solve_cpsat_batch",
        True,
        SEMANTICS,
        "any",
        BANDWIDTHS,
        "milp-batch's theorem-free P2 (batch positions, revisits allowed) in CP-SAT.",
    ),
    SolverInfo(
        "cpsat-segment",
        f"{_FORM}.cpsat_segment:solve_cpsat_segment",
        True,
        ("slotted",),
        "any",
        ("optimal",),
        "Theorem-free slotted P2 at scale: component knapsack + CP-SAT on segment positions.",
    ),
    SolverInfo(
        "milp-segment",
        f"{_FORM}.milp_segment:solve_milp_segment",
        True,
        ("slotted",),
        "any",
        ("optimal",),
        "cpsat-segment's model and decomposition in Pyomo + HiGHS (its twin; exportable).",
    ),
    SolverInfo(
        "p1-scip",
        f"{_FORM}.p1_scip:solve_p1_scip",
        True,
        ("continuous",),
        "any",
        ("optimal",),
        "P1 with bandwidth variables (rotated cones) on SCIP: checks Proposition 1 / Theorem 1.",
        extra="scip",
    ),
)
_Q = "partialload_opt.qpart"
_QPART = tuple(
    SolverInfo(name, target, exact, (), "any", ("optimal",), doc, problem="qpart")
    for name, target, exact, doc in (
        (
            "closed-form",
            f"{_Q}.closed_form:solve_closed_form",
            False,
            "QPART's closed form per partition (clipped water-filling), rounded up; best partition by enumeration.",
        ),
        (
            "qpart-alg",
            f"{_Q}.algorithms:solve_qpart_alg",
            False,
            "QPART's Algorithms 1-2: patterns at precomputed accuracy levels, the cheapest partition online.",
        ),
        (
            "qpart-brute",
            f"{_Q}.exact:solve_brute",
            True,
            "Every bit-width combination of every partition, vectorised (theorem-free; small networks).",
        ),
        (
            "qpart-pareto",
            f"{_Q}.exact:solve_pareto",
            True,
            "Exact DP per partition over nondominated (payload, accuracy budget) pairs.",
        ),
        (
            "qpart-milp",
            f"{_Q}.milp:solve_qpart_milp",
            True,
            "One-hot partition and bit-width MILP (Pyomo + HiGHS), linear.",
        ),
        (
            "qpart-cpsat",
            f"{_Q}.cpsat:solve_qpart_cpsat",
            True,
            "Per-partition CP-SAT with integer-scaled accuracy rows and the rounding proof.",
        ),
    )
)
_TABLE: dict[str, SolverInfo] = {info.name: info for info in _BUILTIN + _QPART}


def _check_signature(name: str, func: Callable) -> None:
    """fn(instance, *, semantics, time_limit=None, **options): the arguments ``solve`` passes."""
    try:
        sig = inspect.signature(func)
        sig.bind(object(), semantics="slotted", time_limit=None)
    except (TypeError, ValueError) as e:
        raise plugins.PluginError(
            plugins.origin(func.__module__),
            f"solver {name!r}: {func.__qualname__} must accept "
            f"(instance, *, semantics, time_limit=None, **options): {e}",
        ) from None


def _check_choice(name: str, what: str, values, allowed) -> tuple[str, ...]:
    values = (values,) if isinstance(values, str) else tuple(values)
    bad = [v for v in values if v not in allowed]
    if bad or not values:
        raise plugins.PluginError(
            plugins.origin("register_solver"),
            f"solver {name!r}: {what} must be among {', '.join(allowed)} (got {values})",
        )
    return values


def register_solver(
    name: str,
    *,
    semantics=("slotted",),
    cases: str = "any",
    exact: bool = False,
    bandwidths=BANDWIDTHS,
    form: str = "free",
    doc: str | None = None,
    problem: str = "partialload",
):
    """Decorator: register ``fn(instance, *, semantics, time_limit=None, **options)`` under ``name``.

    ``problem='qpart'``: a QPART solver, ``fn(instance, *, time_limit=None, **options)`` returning a
    qpart ``Decision`` (status 'feasible'), None (no decision) or a ``QOutcome``.

    ``fn`` returns a Schedule (status 'feasible') or an Outcome (to claim 'optimal' or give a bound).
    The solver then gets what a built-in one gets: re-scoring by the evaluator, time limits,
    ``--isolate``, Gantt charts, sweeps and ``verify --solver``. ``bandwidth`` is passed to ``fn`` only
    when it accepts it (a parameter of that name or ``**options``)."""

    def deco(func: Callable) -> Callable:
        (prob,) = _check_choice(name, "problem", problem, PROBLEMS)
        if prob == "qpart":
            return _register_qpart(name, func, exact, doc)
        _check_signature(name, func)
        sem = _check_choice(name, "semantics", semantics, SEMANTICS)
        bws = _check_choice(name, "bandwidths", bandwidths, BANDWIDTHS)
        (case,) = _check_choice(name, "cases", cases, CASES)
        (frm,) = _check_choice(name, "form", form, FORMS)
        where = plugins.origin(func.__module__)
        old = _TABLE.get(name)
        if old is not None and not _same_function(old, func):
            raise plugins.PluginError(
                where, f"registers solver {name!r}, already registered by {old.origin}"
            )
        text = doc or ((func.__doc__ or "").strip().splitlines() or [""])[0]
        _TABLE[name] = SolverInfo(
            name, func, bool(exact), sem, case, bws, text, frm, origin=where, user=True
        )
        return func

    return deco


def _register_qpart(name: str, func: Callable, exact: bool, doc: str | None) -> Callable:
    where = plugins.origin(func.__module__)
    try:
        inspect.signature(func).bind(object(), time_limit=None)
    except (TypeError, ValueError) as e:
        raise plugins.PluginError(
            where,
            f"solver {name!r}: {func.__qualname__} must accept "
            f"(instance, *, time_limit=None, **options): {e}",
        ) from None
    old = _TABLE.get(name)
    if old is not None and not _same_function(old, func):
        raise plugins.PluginError(
            where, f"registers solver {name!r}, already registered by {old.origin}"
        )
    text = doc or ((func.__doc__ or "").strip().splitlines() or [""])[0]
    _TABLE[name] = SolverInfo(
        name,
        func,
        bool(exact),
        (),
        "any",
        ("optimal",),
        text,
        origin=where,
        user=True,
        problem="qpart",
    )
    return func


def _same_function(info: SolverInfo, func: Callable) -> bool:
    """A re-run of the same definition (a notebook cell, a re-imported module) may replace itself."""
    old = info.target
    return callable(old) and (old.__module__, old.__qualname__) == (
        func.__module__,
        func.__qualname__,
    )


def unregister_solver(name: str) -> None:
    """Remove a user's solver (built-in ones stay)."""
    if name in _TABLE and _TABLE[name].origin != "built-in":
        del _TABLE[name]


def solvers(problem: str | None = "partialload") -> dict[str, SolverInfo]:
    """Every registered solver of ``problem`` (None: of every problem) -- built-in, entry points,
    plugins -- by name; imports no backend."""
    plugins.load_group(plugins.SOLVER_GROUP)
    return {n: i for n, i in _TABLE.items() if problem is None or i.problem == problem}


def solver_info(name: str, field_name: str = "solver") -> SolverInfo:
    """The registered solver ``name``; an InputError naming ``field_name`` when there is none or its
    extra is not installed."""
    table = solvers(None)
    info = table.get(name)
    if info is None:
        raise InputError(field_name, name, f"is not a solver ({', '.join(table)})")
    extra = info.missing_extra()
    if extra:
        raise InputError(
            field_name, name, f"needs the [{extra}] extra: pip install 'partialload-opt[{extra}]'"
        )
    return info


def supports(info: SolverInfo, inst: Instance, semantics: str, bandwidth) -> str | None:
    """None if ``info`` handles the case, else the reason it does not."""
    if semantics not in info.semantics:
        return f"supports {'/'.join(info.semantics)} semantics only"
    if info.cases == "bls" and not inst.is_bls:
        return f"needs a BLS instance ({inst.bls_reason})"
    kind = "optimal" if BandwidthRule.parse(bandwidth).kind == "optimal" else "equal"
    if kind not in info.bandwidths:
        return f"does not support {kind} bandwidth"
    return None
