"""One solver interface: the Result, the registry, and ``solve(instance, solver=..., ...)``.

Every solver returns a Schedule; ``solve`` re-scores it with the one evaluator, so the served count
of a Result is always the evaluator's. A solver's own claim that disagrees makes the Result 'error'."""

from __future__ import annotations

import enum
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field

from partialload_opt import bandwidth as bw
from partialload_opt.errors import InputError
from partialload_opt.instance import Instance
from partialload_opt.schedule import Schedule, evaluate
from partialload_opt.segments import theorem2_form_unproved


class Status(str, enum.Enum):
    OPTIMAL = "optimal"  # proved
    FEASIBLE = "feasible"  # a heuristic's answer, or an exact solver that stopped early
    TIMEOUT = "timeout"  # time limit hit: best schedule found and the bound
    INFEASIBLE = "infeasible"  # never expected: the empty schedule is always feasible
    ERROR = "error"  # crashed, or its claim disagreed with the evaluator


@dataclass(frozen=True)
class Outcome:
    """What a solver function returns; ``solve`` turns it into a Result."""

    schedule: Schedule
    status: Status
    claimed: int | None = None  # the solver's own objective, checked against the evaluator
    bound: float | None = None
    stats: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Result:
    solver: str
    semantics: str
    status: Status
    served: int
    bound: float | None
    wall_s: float
    schedule: Schedule
    stats: dict = field(default_factory=dict)
    message: str = ""

    @property
    def optimal_over(self) -> str | None:
        """'problem' when proved optimal; 'theorem-2 form' when optimal over Theorem 2's form only
        (formulations/theorem2-form.md: not a bound on the problem); else None."""
        if self.status is Status.OPTIMAL:
            return "problem"
        if self.status is Status.FEASIBLE and self.stats.get("optimal_over") == "theorem-2 form":
            return "theorem-2 form"
        return None

    def to_dict(self) -> dict:
        return {
            "solver": self.solver,
            "semantics": self.semantics,
            "status": self.status.value,
            "optimal_over": self.optimal_over,
            "served": self.served,
            "bound": self.bound,
            "wall_s": self.wall_s,
            "message": self.message,
            "stats": self.stats,
            "schedule": self.schedule.to_dict(),
        }


class Unsupported(InputError):
    """The solver does not handle this instance or these options (e.g. a BLS-only DP, general case)."""


@dataclass(frozen=True)
class SolverInfo:
    name: str
    func: Callable[..., Outcome]
    exact: bool
    semantics: tuple[str, ...]
    cases: str  # "bls" | "any"
    bandwidths: tuple[str, ...]  # "optimal", "equal"
    doc: str
    form: str = "free"  # "free": optimises over every schedule; "theorem-2": over Theorem 2's form only


REGISTRY: dict[str, SolverInfo] = {}
OPTIONAL_SOLVERS = {"p1-scip": "scip"}  # solvers that register only when their extra is installed


def register(
    name: str,
    *,
    exact: bool,
    semantics=("continuous", "slotted"),
    cases="any",
    bandwidths=("optimal", "equal"),
    form="free",
):
    """Decorator: add ``func(instance, *, semantics, time_limit, bandwidth, **options) -> Outcome``.

    ``form='theorem-2'``: the solver optimises over Theorem-2-form schedules only; ``solve`` then
    withholds 'optimal' and the bound wherever that form is not proved to lose nothing."""

    def deco(func):
        REGISTRY[name] = SolverInfo(
            name,
            func,
            exact,
            tuple(semantics),
            cases,
            tuple(bandwidths),
            (func.__doc__ or "").strip().splitlines()[0],
            form,
        )
        return func

    return deco


def _load_algorithms() -> None:
    """Import the modules of the paper's algorithms and our DPs (numpy only: cheap)."""
    from partialload_opt.algorithms import dp_exact, dp_paper, exhaustive, greedy_paper, independent  # noqa: F401


def _load_all() -> None:
    """Also import the exact models (Pyomo, OR-Tools; SCIP registers only if the [scip] extra is
    installed). Done on demand, so a sweep worker running only the paper's algorithms stays light."""
    _load_algorithms()
    from partialload_opt.formulations import cpsat_batch, cpsat_compact, milp_batch, milp_compact  # noqa: F401

    try:
        from partialload_opt.formulations import p1_scip  # noqa: F401
    except ImportError:  # pyscipopt not installed
        pass


def solvers() -> dict[str, SolverInfo]:
    _load_all()
    return REGISTRY


def _info(name: str) -> SolverInfo | None:
    _load_algorithms()
    if name not in REGISTRY:
        _load_all()
    return REGISTRY.get(name)


def supports(info: SolverInfo, inst: Instance, semantics: str, bandwidth) -> str | None:
    """None if ``info`` handles the case, else the reason it does not."""
    if semantics not in info.semantics:
        return f"supports {'/'.join(info.semantics)} semantics only"
    if info.cases == "bls" and not inst.is_bls:
        return f"needs a BLS instance ({inst.bls_reason})"
    kind = "optimal" if bandwidth == "optimal" else "equal"
    if kind not in info.bandwidths:
        return f"does not support {kind} bandwidth"
    return None


def solve(
    instance: Instance,
    solver: str = "dp-exact",
    *,
    semantics: str = "continuous",
    time_limit: float | None = None,
    bandwidth="optimal",
    **options,
) -> Result:
    """Run one registered solver and re-score its schedule with the evaluator.

    Raises Unsupported when the solver does not handle the instance; any other failure inside
    the solver becomes a Result with status 'error' (a sweep never goes down with one solver)."""
    info = _info(solver)
    if info is None:
        if solver in OPTIONAL_SOLVERS:
            extra = OPTIONAL_SOLVERS[solver]
            raise InputError("solver", solver, f"needs the [{extra}] extra: pip install 'partialload-opt[{extra}]'")
        raise InputError("solver", solver, f"is not a solver ({', '.join(sorted(solvers()))})")
    rule = bw.parse_bandwidth(bandwidth)
    why = supports(info, instance, semantics, rule)
    if why:
        raise Unsupported("solver", solver, why)
    t0 = time.perf_counter()
    try:
        out = info.func(
            instance, semantics=semantics, time_limit=time_limit, bandwidth=rule, **options
        )
    except Unsupported:
        raise
    except Exception as e:  # noqa: BLE001 - reported, never propagated into a sweep
        wall = time.perf_counter() - t0
        empty = Schedule(instance.name, (), rule)
        return Result(
            solver,
            semantics,
            Status.ERROR,
            0,
            None,
            wall,
            empty,
            {"traceback": traceback.format_exc(limit=5)},
            f"{type(e).__name__}: {e}",
        )
    wall = time.perf_counter() - t0
    loading = out.stats.get("loading", "shared")
    ev = evaluate(instance, out.schedule, semantics=semantics, loading=loading)
    status, message = out.status, ""
    if status is Status.ERROR:
        message = str(out.stats.get("proof") or out.stats.get("error") or "the solver reported an error")
    served = ev.served
    if ev.violations:  # a schedule that breaks a rule serves nobody (its on-time count is kept in stats)
        status, message = Status.ERROR, f"schedule violates the rules: {ev.violations[0]}"
        served = 0
    elif out.claimed is not None and out.claimed != ev.served:
        status = Status.ERROR
        message = f"solver claims {out.claimed} served, evaluator counts {ev.served}"
    bound = out.bound
    stats = dict(out.stats, claimed=out.claimed)
    if info.form == "theorem-2" and status is not Status.ERROR:
        why = theorem2_form_unproved(instance, semantics)
        if why is not None:  # its optimum is over a restricted set: neither a proof nor a bound
            stats["not_proved"] = why
            bound = None
            if status is Status.OPTIMAL:
                stats["optimal_over"] = "theorem-2 form"
                status = Status.FEASIBLE
    if ev.violations:
        stats["evaluator_on_time"] = ev.served
    if status is Status.OPTIMAL and bound is None:
        bound = served
    return Result(
        solver,
        semantics,
        status,
        served,
        bound,
        wall,
        out.schedule,
        stats,
        message,
    )


def segments_of_schedule(inst: Instance, schedule: Schedule) -> list[tuple[int, int]]:
    """(model index, users) of each maximal run of one model's batches: a Theorem-2-form schedule's
    segments (every solver here serves a prefix of each model's users)."""
    out: list[tuple[int, int]] = []
    for b in schedule.batches:
        i = inst.model_index[b.model]
        if out and out[-1][0] == i:
            out[-1] = (i, out[-1][1] + len(b.users))
        else:
            out.append((i, len(b.users)))
    return out


WARM_AUTO_STATES = 2e6
"""warm_start='auto': dp-exact's subset DP is used only up to this many states (milliseconds); beyond
it (BLS clusters of ~17 models in slotted time took 5-7 s, longer than cpsat's own proof) the hint
comes from dp-exact's chain DP (BLS) or greedy-paper."""


def warm_schedule(inst: Instance, solver: str, semantics: str, bandwidth) -> Schedule | None:
    """A starting schedule for an exact model, feasible in ``semantics``, from ``solver`` or from
    'auto' (the first of a small dp-exact, dp-exact's chain DP and greedy-paper that applies); None
    when the solver does not support the instance. The one warm-start path of every exact model."""
    if solver == "auto":
        for name, opts in (("dp-exact", {"max_states": WARM_AUTO_STATES}), ("dp-exact", {"method": "chain"}),
                           ("greedy-paper", {})):
            got = _warm(inst, name, semantics, bandwidth, opts)
            if got is not None:
                return got
        return None
    return _warm(inst, solver, semantics, bandwidth, {})


def warm_segments(inst: Instance, solver: str, semantics: str, bandwidth) -> list[tuple[int, int]] | None:
    """``warm_schedule`` as (model, users) segments, for the Theorem-2-form models."""
    sched = warm_schedule(inst, solver, semantics, bandwidth)
    return segments_of_schedule(inst, sched) if sched is not None else None


def _warm(inst: Instance, solver: str, semantics: str, bandwidth, opts: dict) -> Schedule | None:
    info = _info(solver)
    if info is None:
        raise InputError("warm_start", solver, "is not a solver")
    sem = semantics if semantics in info.semantics else "slotted"  # slotted-feasible is continuous-feasible
    if supports(info, inst, sem, bandwidth):
        return None
    try:
        out = info.func(inst, semantics=sem, bandwidth=bandwidth, **opts)
    except Unsupported:
        return None
    ev = evaluate(inst, out.schedule, semantics=semantics)
    return out.schedule if ev.feasible else None


def _child(conn, doc: dict, solver: str, kwargs: dict) -> None:  # runs in the worker process
    from partialload_opt.instance import instance_from_dict

    try:
        conn.send(("ok", solve(instance_from_dict(doc, "<worker>"), solver, **kwargs)))
    except Unsupported as e:
        conn.send(("unsupported", (e.source, e.field, e.rule)))
    except BaseException as e:  # noqa: BLE001
        conn.send(("error", f"{type(e).__name__}: {e}"))
    finally:
        conn.close()


def solve_isolated(instance: Instance, solver: str = "dp-exact", *, hard_timeout: float | None = None,
                   **kwargs) -> Result:
    """``solve`` in a fresh worker process: a crash (even a segfault in a native solver) or a hard
    time limit ends the worker, never the caller. ``hard_timeout`` defaults to 2 x time_limit + 30 s
    (no limit when there is no time_limit)."""
    import multiprocessing as mp

    tl = kwargs.get("time_limit")
    if hard_timeout is None and tl is not None:
        hard_timeout = 2 * tl + 30
    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, instance.to_dict(), solver, kwargs), daemon=True)
    t0 = time.perf_counter()
    proc.start()
    child.close()
    got = parent.recv() if parent.poll(hard_timeout) else None
    proc.join(timeout=5)
    if proc.is_alive():
        proc.kill()
        proc.join()
    wall = time.perf_counter() - t0
    semantics = kwargs.get("semantics", "continuous")
    empty = Schedule(instance.name, (), bw.parse_bandwidth(kwargs.get("bandwidth", "optimal")))
    if got is None:
        why = f"worker killed at the hard time limit ({hard_timeout} s)" if proc.exitcode in (None, -9) \
            else f"worker died (exit code {proc.exitcode})"
        status = Status.TIMEOUT if "time limit" in why else Status.ERROR
        return Result(solver, semantics, status, 0, None, wall, empty, {}, why)
    kind, payload = got
    if kind == "unsupported":
        raise Unsupported(*payload)
    if kind == "error":
        return Result(solver, semantics, Status.ERROR, 0, None, wall, empty, {}, payload)
    return payload


def nobody_to_serve(inst: Instance, bandwidth) -> Outcome:
    """No user requests any model: the empty schedule is optimal (no model to build)."""
    return Outcome(Schedule(inst.name, (), bw.parse_bandwidth(bandwidth)), Status.OPTIMAL, claimed=0, bound=0)
