"""PartialLoading's solvers in the registry: the built-in rows (metadata, lazy targets, each solver's
own options) and the checks a user's registration passes."""

from __future__ import annotations

import inspect
from collections.abc import Callable

from partialload_opt import plugins
from partialload_opt.options import Param
from partialload_opt.partialloading.bandwidth import BandwidthRule
from partialload_opt.partialloading.instance import Instance
from partialload_opt.partialloading.schedule import Semantics
from partialload_opt.registry import SolverInfo, check_choice

SEMANTICS = tuple(s.value for s in Semantics)
BANDWIDTHS = ("optimal", "equal")
CASES = ("any", "bls")
FORMS = ("free", "theorem-2")

_ALGO = "partialload_opt.partialloading.algorithms"
_FORM = "partialload_opt.partialloading.formulations"
_NUM = (int, float)


def _p(name, default, kinds=(), choices=(), doc="") -> tuple[str, Param]:
    return name, Param(name, default, kinds, choices, doc)


MAX_STATES = _p("max_states", 6e7, _NUM, doc="DP states per cluster before it refuses")
MAX_USERS = _p("max_users", 24, (int,), doc="largest K it accepts (batch positions)")
POSITIONS = _p("positions", None, (int, type(None)), doc="batch positions (default: K)")
SYMMETRY = _p("symmetry", True, (bool,), doc="symmetry-breaking rows")
SEGMENT = (
    _p("sub_time_limit", 10.0, (*_NUM, type(None)), doc="first limit of one component's solve"),
    MAX_STATES,
    _p("max_tries", None, (int, type(None)), doc="retries of one component"),
    _p("dp_states", 3e8, _NUM, doc="cells of the largest visit-count DP (D2); 0: none"),
    _p("theorem2", True, (bool,), doc="use Theorem 2's form where proved (False: cross-checks)"),
)


def _row(name, target, exact, doc, *, semantics=SEMANTICS, cases="any", bandwidths=BANDWIDTHS,
         form="free", params=(), warm_start=None, extra=None) -> SolverInfo:  # fmt: skip
    return SolverInfo(
        name=name,
        target=target,
        problem="partialload",
        exact=exact,
        doc=doc,
        semantics=semantics,
        form=form,
        params=dict(params),
        warm_start=warm_start,
        traits={"cases": cases, "bandwidths": bandwidths},
        extra=extra,
    )


BUILTIN = (
    _row(
        "dp-exact",
        f"{_ALGO}.dp_exact:solve_dp_exact",
        True,
        "Exact DP (ours): chain DP for BLS in continuous time, subset DP otherwise; proves optimality.",
        form="theorem-2",
        params=(
            _p("method", "auto", (str,), ("auto", "chain", "subsets", "ascending-l")),
            MAX_STATES,
        ),
    ),
    _row(
        "exhaustive",
        f"{_ALGO}.exhaustive:solve_exhaustive",
        True,
        "Exhaustive search over model orders and per-model counts (the paper's baseline).",
        form="theorem-2",
        params=(_p("max_candidates", 5e6, _NUM, doc="search-space size before it refuses"),),
    ),
    _row(
        "dp-paper",
        f"{_ALGO}.dp_paper:solve_dp_paper",
        False,
        "PartialLoading Spec (Algorithms 1-2): the paper's slotted DP for BLS instances.",
        semantics=("slotted",),
        cases="bls",
    ),
    _row(
        "greedy-paper",
        f"{_ALGO}.greedy_paper:solve_greedy_paper",
        False,
        "PartialLoading Gen (Algorithm 3): greedy by users served per slot, any instance.",
        semantics=("slotted",),
    ),
    _row(
        "independent",
        f"{_ALGO}.independent:solve_independent",
        False,
        "Independent Loading baseline: Algorithm 2 without parameter sharing (scored unshared).",
        semantics=("slotted",),
    ),
    _row(
        "cpsat",
        f"{_FORM}.cpsat_compact:solve_cpsat",
        True,
        "Compact model in CP-SAT: add_circuit per cluster, one Boolean per (model, count).",
        form="theorem-2",
        warm_start="auto",
        params=(
            _p("time_unit_s", 1e-7, _NUM, doc="the integer time unit (continuous time)"),
            _p("presolve", True, (bool,), doc="CP-SAT's presolve (off: faster on tiny models)"),
        ),
    ),
    _row(
        "milp-compact",
        f"{_FORM}.milp_compact:solve_milp_compact",
        True,
        "Compact MILP in Theorem-2 form (Pyomo + HiGHS): circuit with flow, incremental counts.",
        form="theorem-2",
        warm_start="auto",
    ),
    _row(
        "milp-batch",
        f"{_FORM}.milp_batch:solve_milp_batch",
        True,
        "P2 with batch positions and no theorem assumed (Pyomo + HiGHS); the theorems' referee.",
        warm_start="auto",
        params=(POSITIONS, SYMMETRY, MAX_USERS),
    ),
    _row(
        "cpsat-batch",
        f"{_FORM}.cpsat_batch:solve_cpsat_batch",
        True,
        "milp-batch's theorem-free P2 (batch positions, revisits allowed) in CP-SAT.",
        warm_start="auto",
        params=(SYMMETRY, MAX_USERS),
    ),
    _row(
        "cpsat-segment",
        f"{_FORM}.cpsat_segment:solve_cpsat_segment",
        True,
        "Theorem-free slotted P2 at scale: component knapsack + CP-SAT on segment positions.",
        semantics=("slotted",),
        bandwidths=("optimal",),
        params=SEGMENT,
    ),
    _row(
        "milp-segment",
        f"{_FORM}.milp_segment:solve_milp_segment",
        True,
        "cpsat-segment's model and decomposition in Pyomo + HiGHS (its twin; exportable).",
        semantics=("slotted",),
        bandwidths=("optimal",),
        params=SEGMENT,
    ),
    _row(
        "p1-scip",
        f"{_FORM}.p1_scip:solve_p1_scip",
        True,
        "P1 with bandwidth variables (rotated cones) on SCIP: checks Proposition 1 / Theorem 1.",
        semantics=("continuous",),
        bandwidths=("optimal",),
        extra="scip",
        warm_start="auto",
        params=(POSITIONS, SYMMETRY, _p("max_users", 8, (int,), doc="largest K it accepts")),
    ),
)


TRAITS: dict[str, object] = {
    "semantics": ("slotted",),  # the time semantics it solves in
    "cases": "any",  # "bls": it needs a BLS instance
    "bandwidths": ("optimal", "equal"),  # the bandwidth rules it supports
    "form": "free",  # "theorem-2": it optimises over Theorem 2's form only
}
"""A user's PartialLoading solver's traits (``register_solver``'s keywords) and their defaults."""


def registration(name: str, func: Callable, traits: dict) -> dict:
    """SolverInfo fields of a user's solver ``fn(instance, *, semantics, time_limit=None, **options)``."""
    try:
        inspect.signature(func).bind(object(), semantics="slotted", time_limit=None)
    except (TypeError, ValueError) as e:
        raise plugins.PluginError(
            plugins.origin(func.__module__),
            f"solver {name!r}: {func.__qualname__} must accept "
            f"(instance, *, semantics, time_limit=None, **options): {e}",
        ) from None
    sem = check_choice(name, "semantics", traits["semantics"], SEMANTICS)
    bws = check_choice(name, "bandwidths", traits["bandwidths"], BANDWIDTHS)
    (case,) = check_choice(name, "cases", traits["cases"], CASES)
    (form,) = check_choice(name, "form", traits["form"], FORMS)
    return {"semantics": sem, "form": form, "traits": {"cases": case, "bandwidths": bws}}


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
