"""``solve``: run any registered solver of any problem and have its problem re-score the answer with
its one evaluator; the options are validated once (``options.py``) and the time limit is one budget for
the whole run. ``solve_isolated`` does it in a worker process."""

from __future__ import annotations

import time
import traceback
from dataclasses import replace
from typing import Any

from partialload_opt import plugins
from partialload_opt import problem as problems
from partialload_opt.registry import solver_info
from partialload_opt.results import BadAnswer, Status, Unsupported

HARD_MARGIN_S = 30.0
"""solve_isolated's hard limit is the time limit plus this (the run's budget covers everything)."""


def solve(instance: Any, solver: str | None = None, **options: Any) -> Any:
    """Run one registered solver on ``instance`` and re-score its answer with the problem's evaluator.

    ``solver`` defaults to the problem's (PartialLoading: dp-exact; QPART: qpart-pareto). Options:
    ``time_limit`` (one budget for the whole run, warm start included), ``threads``, ``seed``, ``gap``,
    ``log``; ``warm_start`` / ``start`` for the solvers that start from an answer; the problem's own
    (PartialLoading: ``semantics``, ``bandwidth``) and the solver's (``partialload solvers``). An
    option the solver does not take is an InputError naming the valid ones. Raises Unsupported when
    the solver does not handle the instance, PluginError when a user's solver cannot be called as
    registered; any failure inside the solver, and an answer its problem cannot score (a
    ``BadAnswer``: a list for a Schedule, ...), becomes a Result with status 'error'."""
    problem = problems.of(instance)
    info = solver_info(solver or problem.default_solver)
    if info.problem != problem.name:
        raise Unsupported(
            "solver", info.name, f"is a {info.problem} solver, not a {problem.name} one"
        )
    opts = problem.options(info, instance, options).started()
    t0 = time.perf_counter()
    try:
        if info.warm_start is not None:
            opts = replace(opts, start=problem.start(info, instance, opts))
        got = problem.call(info, instance, opts)
    except (Unsupported, plugins.PluginError):
        raise
    except Exception as e:  # reported, never propagated into a sweep
        wall = time.perf_counter() - t0
        trace = traceback.format_exc(limit=5)
        return problem.failed(info, instance, opts, f"{type(e).__name__}: {e}", trace, wall)
    wall = time.perf_counter() - t0
    try:
        return problem.rescore(info, instance, opts, got, wall)
    except (
        BadAnswer
    ) as e:  # an answer its problem cannot score: this run's error, not the command's
        return problem.failed(info, instance, opts, str(e), "", wall)


def _child(conn, doc: dict, solver: str, kwargs: dict, specs: list[str]) -> None:  # in the worker
    try:
        plugins.load_plugins(specs)
        inst = problems.of(doc).load(doc, "<worker>")
        conn.send(("ok", solve(inst, solver, **kwargs)))
    except plugins.PluginError as e:
        conn.send(("plugin", (e.plugin, e.rule)))
    except Unsupported as e:
        conn.send(("unsupported", (e.source, e.field, e.rule)))
    except BaseException as e:
        conn.send(("error", f"{type(e).__name__}: {e}"))
    finally:
        conn.close()


def solve_isolated(
    instance: Any, solver: str | None = None, *, hard_timeout: float | None = None, **options: Any
) -> Any:
    """``solve`` in a fresh worker process: a crash (even a segfault in a native solver) or a hard
    time limit ends the worker, never the caller. ``hard_timeout`` defaults to the time limit +
    ``HARD_MARGIN_S`` (no limit without a time limit). The worker loads the caller's plugins, and the
    module of a user's solver (one defined in ``__main__`` or a notebook cannot be isolated)."""
    import multiprocessing as mp

    problem = problems.of(instance)
    info = solver_info(solver or problem.default_solver)
    opts = problem.options(info, instance, options)  # bad options fail here, not in the worker
    specs = plugins.loaded()
    module = getattr(info.target, "__module__", None) if info.user else None
    if (
        module
        and module != "__main__"
        and not module.startswith("partialload_opt")
        and module not in specs
    ):
        specs.append(module)
    if hard_timeout is None and opts.time_limit is not None:
        hard_timeout = opts.time_limit + HARD_MARGIN_S
    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(
        target=_child,
        args=(child, instance.to_dict(), info.name, options, specs),
        daemon=True,
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
    if got is None:
        if timed_out:
            why = f"worker killed at the hard time limit ({hard_timeout} s)"
            return replace(
                problem.failed(info, instance, opts, why, "", wall), status=Status.TIMEOUT
            )
        why = f"worker died (exit code {proc.exitcode})"
        return problem.failed(info, instance, opts, why, "", wall)
    kind, payload = got
    if kind == "plugin":
        raise plugins.PluginError(*payload)
    if kind == "unsupported":
        raise Unsupported(*payload)
    if kind == "error":
        return problem.failed(info, instance, opts, payload, "", wall)
    return payload
