"""PartialLoading's side of ``solve``: its options (semantics, bandwidth), the warm start, the two
calling conventions, and the re-scoring of every schedule by the one evaluator -- the served count of
a Result is always the evaluator's, and a claim the evaluator contradicts is an error. Also the
multi-solver helpers of the CLI and sweeps (``plan``, ``solve_many``, ``best_bounds``,
``best_result``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from partialload_opt.errors import InputError
from partialload_opt.options import build, solver_params, user_keywords
from partialload_opt.partialloading.bandwidth import BandwidthRule
from partialload_opt.partialloading.bounds import Witness, best_bound, cheap_witness
from partialload_opt.partialloading.instance import Instance
from partialload_opt.partialloading.options import RunOptions
from partialload_opt.partialloading.results import Outcome, Result, Status, Unsupported
from partialload_opt.partialloading.schedule import SEMANTICS, Schedule, Semantics, evaluate
from partialload_opt.partialloading.segments import theorem2_form_unproved
from partialload_opt.partialloading.solvers import supports
from partialload_opt.registry import SolverInfo, solver_info
from partialload_opt.results import BadAnswer, check_number

_USER_FIXED = (
    "semantics",
    "bandwidth",
    "cheap_bound",
)  # the keywords of a user's function beyond the common


def options(info: SolverInfo, inst: Instance, given: dict) -> RunOptions:
    """The run's validated options; Unsupported when the solver does not handle them here."""
    semantics = Semantics.parse(given.get("semantics") or info.default_semantics)
    try:
        rule = BandwidthRule.parse(given.get("bandwidth", "optimal"))
    except ValueError as e:
        raise Unsupported("option", "bandwidth", str(e)) from None
    params, open_ = solver_params(info, _USER_FIXED)
    opts = build(
        RunOptions,
        info.name,
        given,
        params,
        problem_fields={
            "semantics": semantics,
            "bandwidth": rule,
            "cheap_bound": _flag("cheap_bound", given.get("cheap_bound", True)),
        },
        warm_start=info.warm_start,
        open_params=open_,
    )
    assert isinstance(opts, RunOptions)
    why = supports(info, inst, opts.semantics, opts.bandwidth)
    if why:
        raise Unsupported("solver", info.name, why)
    return opts


def _flag(name: str, value) -> bool:
    if not isinstance(value, bool):
        raise InputError("option", name, f"must be true or false (got {value!r})")
    return value


def start(info: SolverInfo, inst: Instance, opts: RunOptions) -> Schedule | None:
    """The schedule an exact model starts from: the caller's ``start``, else ``warm_start``'s answer
    (warm.py), computed within the run's budget."""
    if opts.start is not None:
        if not isinstance(opts.start, Schedule):
            raise Unsupported("option", "start", "must be a Schedule")
        return opts.start if evaluate(inst, opts.start, semantics=opts.semantics).feasible else None
    if not opts.warm_start:
        return None
    from partialload_opt.partialloading.warm import warm_schedule

    return warm_schedule(inst, opts.warm_start, opts.semantics, opts.bandwidth, opts.remaining())


def call(info: SolverInfo, inst: Instance, opts: RunOptions):
    """A built-in solver gets the options object; a user's function gets keywords."""
    if not info.user:
        return info.func(inst, opts)
    kw = user_keywords(info.func, opts, semantics=opts.semantics, bandwidth=opts.bandwidth)
    return info.func(inst, **kw)


def _outcome(info: SolverInfo, inst: Instance, got) -> Outcome:
    """A user's return value as an Outcome: a Schedule is 'feasible'; anything else that is not a
    well-formed Outcome is a BadAnswer (that run's error Result)."""
    where = f"{info.origin}: solver {info.name!r}"
    if isinstance(got, Outcome):
        out = got
    elif isinstance(got, Schedule):
        out = Outcome(got, Status.FEASIBLE)
    else:
        raise BadAnswer(f"{where} returned {type(got).__name__}, not a Schedule or an Outcome")
    if not isinstance(out.schedule, Schedule):
        kind = type(out.schedule).__name__
        raise BadAnswer(f"{where} returned an Outcome whose schedule is {kind}, not a Schedule")
    if not isinstance(out.status, Status):
        raise BadAnswer(f"{where} returned an Outcome whose status is {out.status!r}, not a Status")
    try:
        check_number(out.claimed, "its claimed count", integer=True)
        check_number(out.bound, "its bound")
    except BadAnswer as e:
        raise BadAnswer(f"{where} returned an Outcome whose {e}") from None
    if not out.schedule.instance:
        out = replace(out, schedule=replace(out.schedule, instance=inst.name))
    return out


def failed(
    info: SolverInfo, inst: Instance, opts: RunOptions, message: str, trace: str, wall: float
) -> Result:
    """The Result of a run that raised: an error, with the empty schedule and no bound."""
    return Result(
        solver=info.name,
        semantics=opts.semantics,
        status=Status.ERROR,
        served=0,
        bound=None,
        wall_s=wall,
        schedule=Schedule((), opts.bandwidth, inst.name),
        stats={"traceback": trace} if trace else {},
        message=message,
    )


def rescore(info: SolverInfo, inst: Instance, opts: RunOptions, got, wall: float) -> Result:
    """The Result of an Outcome: the evaluator's count, and the solver's claims checked against it
    (its count, its proof against the verified schedules the run holds); then the best valid bound."""
    out = _outcome(info, inst, got) if info.user else got
    semantics = opts.semantics
    ev = evaluate(inst, out.schedule, semantics=semantics, loading=out.loading)
    status, message = out.status, ""
    if status is Status.ERROR:
        message = str(
            out.stats.get("proof") or out.stats.get("error") or "the solver reported an error"
        )
    served = ev.served
    if ev.violations:  # a schedule that breaks a rule serves nobody (its on-time count is kept)
        status, message = Status.ERROR, f"schedule violates the rules: {ev.violations[0]}"
        served = 0
    elif out.claimed is not None and out.claimed != ev.served:
        status = Status.ERROR
        message = f"solver claims {out.claimed} served, evaluator counts {ev.served}"
    bound = out.bound
    stats = dict(out.stats, claimed=out.claimed)
    if info.warm_start is not None and not info.user:
        stats["warm_start"] = opts.warm_start if opts.start is not None else None
    not_proved, form_optimal = None, False
    if info.form == "theorem-2" and status is not Status.ERROR:
        not_proved = theorem2_form_unproved(inst, semantics)
        if not_proved is not None:  # its optimum is over a restricted set: no proof, no bound
            bound = None
            if status is Status.OPTIMAL:
                form_optimal, status = True, Status.FEASIBLE
    if ev.violations:
        stats["evaluator_on_time"] = ev.served
    refuted = None
    if status is not Status.ERROR:  # a proof below a verified schedule is no proof
        own = served if status is Status.OPTIMAL and bound is None else bound
        why = _refutation(own, _witnesses(inst, opts, own, served))
        if why is not None:
            status, message, refuted = Status.ERROR, why, own
    source = proved_by = None
    if status is Status.ERROR:  # a run that failed proves nothing, not even its bound
        bound = None
    elif opts.cheap_bound:  # the best valid bound; Independent Loading (scored unshared) is never
        bound, source, proved = _attach_bound(inst, semantics, served, bound, stats)  # proved by it
        if proved and status is not Status.OPTIMAL and out.loading == "shared":
            status, proved_by, form_optimal = Status.OPTIMAL, f"bound: {source}", False
    if status is Status.OPTIMAL and bound is None:
        bound = served
    return Result(
        solver=info.name,
        semantics=semantics,
        status=status,
        served=served,
        bound=bound,
        wall_s=wall,
        schedule=out.schedule,
        stats=stats,
        message=message,
        loading=out.loading,
        restricted=out.restricted,
        not_proved=not_proved,
        form_optimal=form_optimal,
        bound_source=source,
        proved_by=proved_by,
        refuted_bound=refuted,
        infeasible=bool(ev.violations),
    )


def _witnesses(inst: Instance, opts: RunOptions, own, served: int) -> list[Witness]:
    """The verified schedules a run holds to test a solver's own bound ``own`` against: its answer
    (``served``, re-scored), its start (evaluator-checked before the solve) and greedy-paper's
    (computed only when there is a bound to test)."""
    if own is None:
        return []
    found = []
    if served > own:
        found.append(Witness(served, "its own schedule"))
    if isinstance(opts.start, Schedule):
        ev = evaluate(inst, opts.start, semantics=opts.semantics)
        if ev.feasible:
            found.append(Witness(ev.served, "the warm start"))
    cheap = cheap_witness(inst, opts.semantics, opts.bandwidth)
    if cheap is not None:
        found.append(cheap)
    return found


def _refutation(bound, witnesses: list[Witness]) -> str | None:
    """Why ``bound`` is no bound: a verified schedule serves more (None if none does)."""
    if bound is None or not witnesses:
        return None
    top = max(witnesses, key=lambda w: w.served)
    if top.served <= bound:
        return None
    return f"bound {bound:g} refuted by a verified schedule serving {top.served} ({top.source})"


def refute(result: Result, witness: Witness | None) -> Result:
    """``result`` as an error when its bound is below what ``witness`` (a verified schedule of the
    same instance and semantics) serves: its proof was wrong, so neither its status nor its bound
    stands. Unchanged otherwise."""
    if witness is None or result.status is Status.ERROR or result.bound is None:
        return result
    why = _refutation(result.bound, [witness])
    if why is None:
        return result
    return replace(result, status=Status.ERROR, bound=None, message=why, refuted_bound=result.bound)


def _attach_bound(
    instance: Instance, semantics: str, served: int, bound, stats: dict
) -> tuple[float | None, str | None, bool]:
    """(the best valid bound, which argument gives it, whether the answer meets it): the solver's
    own or the cheap one, whichever is smaller; an answer that meets a valid bound is optimal over
    all schedules, whoever found it."""
    cheap = best_bound(instance, semantics)
    if cheap.value < served:  # only if a proved theorem failed: the verification layer's to see
        stats["bound_contradicted"] = f"{cheap.source} ({cheap.value}) < served ({served})"
        return bound, "solver" if bound is not None else None, False
    if bound is None or cheap.value < bound:
        bound, source = cheap.value, cheap.source
    else:
        source = "solver"
    return bound, source, bound <= served


def plan(names: list[str], semantics: str = "auto") -> list[tuple[str, str]]:
    """(solver, semantics) runs of a multi-solver solve. 'auto': each heuristic in its own semantics,
    each exact solver in every semantics the heuristics need for a gap (continuous always); 'both':
    every semantics each solver supports; else that semantics for every solver."""
    infos = [solver_info(n) for n in names]
    wanted = {"continuous"} | {i.semantics[0] for i in infos if not i.exact}
    runs: list[tuple[str, str]] = []
    for info in infos:
        if semantics == "auto" and info.exact:
            runs += [(info.name, s) for s in SEMANTICS if s in wanted and s in info.semantics]
        elif semantics == "auto":
            runs.append((info.name, info.default_semantics))
        elif semantics == "both":
            runs += [(info.name, s) for s in SEMANTICS if s in info.semantics]
        else:
            runs.append((info.name, semantics))
    return runs


@dataclass(frozen=True)
class Solved:
    """A multi-solver solve: the planned (solver, semantics) runs, the Results of the runs that ran
    (in plan order) and (solver, semantics, reason) of those that refused the instance."""

    runs: list[tuple[str, str]]
    results: list[Result]
    skipped: list[tuple[str, str, str]]


def solve_many(
    inst: Instance,
    names: list[str],
    semantics: str = "auto",
    *,
    isolate: bool = False,
    time_limit: float | None = None,
    bandwidth: BandwidthRule | str | None = None,
    options: dict | None = None,
    warm_start: str | None = None,
    on_start: Callable[[int, int, SolverInfo, str], None] | None = None,
) -> Solved:
    """Run every solver of ``names`` in the semantics ``plan`` gives it (``partialload solve``).
    ``options`` (threads, seed, gap, log) go to the exact solvers, ``warm_start`` to those that
    start from a schedule; ``isolate`` runs each in a worker process (``solve_isolated``);
    ``on_start(n, total, info, semantics)`` is called before the n-th run. A solver that refuses the
    instance is skipped with its reason, unless it is the only run (then Unsupported propagates)."""
    from partialload_opt.solving import solve, solve_isolated

    runs = plan(names, semantics)
    run = solve_isolated if isolate else solve
    results: list[Result] = []
    skipped: list[tuple[str, str, str]] = []
    for n, (name, sem) in enumerate(runs, 1):
        info = solver_info(name)
        if on_start is not None:
            on_start(n, len(runs), info, sem)
        opts = dict(options or {}) if info.exact else {}
        if bandwidth is not None:
            opts["bandwidth"] = bandwidth
        if warm_start is not None and info.warm_start is not None:
            opts["warm_start"] = warm_start
        try:
            results.append(run(inst, name, semantics=sem, time_limit=time_limit, **opts))
        except Unsupported as e:
            if len(runs) == 1:
                raise
            skipped.append((name, sem, e.rule))
    return Solved(runs, reconcile(inst, results), skipped)


def reconcile(inst: Instance, results: list[Result]) -> list[Result]:
    """The rows of one multi-solver run made consistent, per semantics: the best schedule any row
    holds (re-scored with shared loading) refutes every bound below it (``refute``); the smallest
    remaining bound is every row's bound; a row that meets it is optimal, whoever proved the bound
    (``Result.proved_by``). Independent Loading's rows keep their status (scored unshared)."""
    out = list(results)
    for sem in dict.fromkeys(r.semantics for r in out):
        rows = [n for n, r in enumerate(out) if r.semantics == sem]
        witness = _best_row_schedule(inst, [out[n] for n in rows])
        for n in rows:
            out[n] = refute(out[n], witness)
        bounded = [
            (r.bound, r.bound_source != "solver", n)
            for n in rows
            if (r := out[n]).status is not Status.ERROR and r.bound is not None
        ]
        if not bounded:
            continue
        holder = out[min(bounded)[2]]  # the smallest bound, a solver's own proof first
        for n in rows:
            out[n] = _with_shared_bound(out[n], holder)
    return out


def _best_row_schedule(inst: Instance, rows: list[Result]) -> Witness | None:
    """The row schedule serving the most under the problem's rules (shared loading)."""
    best = None
    for r in rows:
        if r.status is Status.ERROR:
            continue
        served = r.served
        if r.loading != "shared":
            ev = evaluate(inst, r.schedule, semantics=r.semantics)
            served = ev.served if ev.feasible else 0
        if best is None or served > best.served:
            best = Witness(served, f"{r.solver}'s schedule")
    return best


def _with_shared_bound(r: Result, holder: Result) -> Result:
    """``r`` with ``holder``'s bound where it is smaller, and optimal where it meets it."""
    if r.status is Status.ERROR or holder.bound is None:
        return r
    if r.bound is not None and r.bound <= holder.bound:
        return r
    changes: dict = {"bound": holder.bound, "bound_source": f"{holder.solver}'s bound"}
    if r.status is not Status.OPTIMAL and r.served >= holder.bound and r.loading == "shared":
        changes.update(
            status=Status.OPTIMAL, proved_by=f"bound: {holder.solver}", form_optimal=False
        )
    return replace(r, **changes)


def best_bounds(results: list[Result]) -> dict[str, float]:
    """The smallest bound per semantics (every bound a Result carries is valid; error rows carry
    none)."""
    top: dict[str, float] = {}
    for r in results:
        if r.bound is not None and r.status is not Status.ERROR:
            top[r.semantics] = min(top.get(r.semantics, r.bound), r.bound)
    return top


def best_result(results: list[Result]) -> Result | None:
    """The run serving the most users among those that did not end in error (an error's schedule is no
    answer)."""
    return max(
        (r for r in results if r.status is not Status.ERROR), key=lambda r: r.served, default=None
    )
