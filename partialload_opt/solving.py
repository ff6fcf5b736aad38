"""``solve``: run any registered solver and re-score its schedule with the one evaluator, so the
served count of a Result is always the evaluator's; ``solve_isolated`` does it in a worker process."""

from __future__ import annotations

import inspect
import time
import traceback
from dataclasses import replace

from partialload_opt import bandwidth as bw
from partialload_opt import plugins
from partialload_opt.bounds import best_bound
from partialload_opt.instance import Instance
from partialload_opt.registry import SolverInfo, solver_info, supports
from partialload_opt.results import Outcome, Result, Status, Unsupported
from partialload_opt.schedule import SEMANTICS, Schedule, Semantics, evaluate
from partialload_opt.segments import theorem2_form_unproved


def _accepts(func, name: str) -> bool:
    params = inspect.signature(func).parameters.values()
    return any(p.name == name or p.kind is p.VAR_KEYWORD for p in params)


def _outcome(info: SolverInfo, inst: Instance, got) -> Outcome:
    """A user's return value as an Outcome: a Schedule is 'feasible'; anything else breaks the contract."""
    if isinstance(got, Outcome):
        out = got
    elif isinstance(got, Schedule):
        out = Outcome(got, Status.FEASIBLE)
    else:
        raise plugins.PluginError(
            info.origin,
            f"solver {info.name!r} returned {type(got).__name__}, not a Schedule or an Outcome",
        )
    if not out.schedule.instance:
        out = replace(out, schedule=replace(out.schedule, instance=inst.name))
    return out


def solve(
    instance: Instance,
    solver: str = "dp-exact",
    *,
    semantics: str | None = None,
    time_limit: float | None = None,
    bandwidth="optimal",
    **options,
) -> Result:
    """Run one registered solver and re-score its schedule with the evaluator.

    ``semantics`` defaults to the solver's own (continuous where supported, else slotted). Raises
    Unsupported when the solver does not handle the instance, PluginError when a user's solver
    returns something that is not a schedule; any other failure inside the solver becomes a Result
    with status 'error' (a sweep never goes down with one solver)."""
    info = solver_info(solver)
    if info.problem != "partialload":
        raise Unsupported(
            "solver", solver, f"is a {info.problem} solver (partialload_opt.{info.problem}.solve)"
        )
    semantics = Semantics.parse(semantics or info.default_semantics)
    rule = bw.BandwidthRule.parse(bandwidth)  # parsed once: solvers get the rule
    why = supports(info, instance, semantics, rule)
    if why:
        raise Unsupported("solver", solver, why)
    func = info.func
    kwargs = dict(options, semantics=semantics, time_limit=time_limit)
    if not info.user or _accepts(func, "bandwidth"):
        kwargs["bandwidth"] = rule
    t0 = time.perf_counter()
    try:
        got = func(instance, **kwargs)
    except (Unsupported, plugins.PluginError):
        raise
    except Exception as e:  # reported, never propagated into a sweep
        wall = time.perf_counter() - t0
        return Result(
            solver,
            semantics,
            Status.ERROR,
            0,
            None,
            wall,
            Schedule((), rule, instance.name),
            {"traceback": traceback.format_exc(limit=5)},
            f"{type(e).__name__}: {e}",
        )
    wall = time.perf_counter() - t0
    out = _outcome(info, instance, got) if info.user else got
    return _rescore(info, instance, semantics, out, wall)


def _rescore(
    info: SolverInfo, instance: Instance, semantics: str, out: Outcome, wall: float
) -> Result:
    """The Result of an Outcome: the evaluator's count, and the solver's claims checked against it."""
    loading = out.stats.get("loading", "shared")
    ev = evaluate(instance, out.schedule, semantics=semantics, loading=loading)
    status, message = out.status, ""
    if status is Status.ERROR:
        message = str(
            out.stats.get("proof") or out.stats.get("error") or "the solver reported an error"
        )
    served = ev.served
    if (
        ev.violations
    ):  # a schedule that breaks a rule serves nobody (its on-time count is kept in stats)
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
        stats["infeasible"] = True
    if status is Status.ERROR:  # a run that failed proves nothing, not even its bound
        bound = None
    else:  # the best valid bound; Independent Loading (scored unshared) is never proved by it
        bound, status = _attach_bound(
            instance, semantics, status, served, bound, stats, promote=loading == "shared"
        )
    if status is Status.OPTIMAL and bound is None:
        bound = served
    return Result(info.name, semantics, status, served, bound, wall, out.schedule, stats, message)


def _attach_bound(
    instance: Instance,
    semantics: str,
    status: Status,
    served: int,
    bound,
    stats: dict,
    promote: bool = True,
) -> tuple[float | None, Status]:
    """The best valid bound (the solver's or a cheap one, stats say which) and the status it gives:
    an answer that meets a valid bound is optimal over all schedules, whoever found it."""
    cheap = best_bound(instance, semantics)
    if cheap.value < served:  # only if a proved theorem failed: the verification layer's to see
        stats["bound_contradicted"] = f"{cheap.source} ({cheap.value}) < served ({served})"
        return bound, status
    if bound is None or cheap.value < bound:
        bound = cheap.value
        stats["bound_source"] = cheap.source
    else:
        stats["bound_source"] = "solver"
    if promote and status is not Status.OPTIMAL and bound <= served:
        stats["proved_by"] = f"bound: {stats['bound_source']}"
        stats.pop("optimal_over", None)
        status = Status.OPTIMAL
    return bound, status


def _child(
    conn, doc: dict, solver: str, kwargs: dict, specs: list[str]
) -> None:  # runs in the worker
    from partialload_opt.instance import instance_from_dict

    try:
        plugins.load_plugins(specs)
        conn.send(("ok", solve(instance_from_dict(doc, "<worker>"), solver, **kwargs)))
    except plugins.PluginError as e:
        conn.send(("plugin", (e.plugin, e.rule)))
    except Unsupported as e:
        conn.send(("unsupported", (e.source, e.field, e.rule)))
    except BaseException as e:
        conn.send(("error", f"{type(e).__name__}: {e}"))
    finally:
        conn.close()


def solve_isolated(
    instance: Instance, solver: str = "dp-exact", *, hard_timeout: float | None = None, **kwargs
) -> Result:
    """``solve`` in a fresh worker process: a crash (even a segfault in a native solver) or a hard
    time limit ends the worker, never the caller. ``hard_timeout`` defaults to 2 x time_limit + 30 s
    (no limit when there is no time_limit). The worker loads the caller's plugins, and the module of
    a user's solver (one defined in ``__main__`` or a notebook cannot be isolated)."""
    import multiprocessing as mp

    info = solver_info(solver)
    specs = plugins.loaded()
    module = getattr(info.target, "__module__", None) if info.user else None
    if (
        module
        and module != "__main__"
        and not module.startswith("partialload_opt")
        and module not in specs
    ):
        specs.append(module)
    tl = kwargs.get("time_limit")
    if hard_timeout is None and tl is not None:
        hard_timeout = 2 * tl + 30
    kwargs.setdefault("semantics", info.default_semantics)
    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(
        target=_child, args=(child, instance.to_dict(), solver, kwargs, specs), daemon=True
    )
    t0 = time.perf_counter()
    proc.start()
    child.close()
    got, timed_out = None, False
    if parent.poll(hard_timeout):
        try:
            got = parent.recv()
        except EOFError:  # the worker died without an answer
            got = None
    else:
        timed_out = True
    if timed_out:
        proc.kill()  # at the hard limit, whatever it is doing
    proc.join(timeout=5)
    if proc.is_alive():
        proc.kill()
        proc.join()
    wall = time.perf_counter() - t0
    semantics = kwargs["semantics"]
    empty = Schedule((), bw.parse_bandwidth(kwargs.get("bandwidth", "optimal")), instance.name)
    if got is None:
        if timed_out:
            why, status = f"worker killed at the hard time limit ({hard_timeout} s)", Status.TIMEOUT
        else:
            why, status = f"worker died (exit code {proc.exitcode})", Status.ERROR
        return Result(solver, semantics, status, 0, None, wall, empty, {}, why)
    kind, payload = got
    if kind == "plugin":
        raise plugins.PluginError(*payload)
    if kind == "unsupported":
        raise Unsupported(*payload)
    if kind == "error":
        return Result(solver, semantics, Status.ERROR, 0, None, wall, empty, {}, payload)
    return payload


def plan(names: list[str], semantics: str = "auto") -> list[tuple[str, str]]:
    """(solver, semantics) runs of a multi-solver solve. 'auto': each heuristic in its own semantics,
    each exact solver in every semantics the heuristics need for a gap (continuous always); 'both':
    every semantics each solver supports; else that semantics for every solver."""
    from partialload_opt.registry import solver_info

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
