"""Sweeps: every (panel, x, realization seed) is a task; tasks run on a local process pool or a Dask
cluster and their rows are committed as each finishes, so a sweep can be killed and resumed."""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable
from dataclasses import asdict, replace
from pathlib import Path

from partialload_opt import parallel, plugins
from partialload_opt.parallel import run_each
from partialload_opt.partialloading.experiments.figures import Panel, Run
from partialload_opt.partialloading.experiments.store import Row, Store
from partialload_opt.partialloading.generate import generate
from partialload_opt.results import Unsupported
from partialload_opt.solving import solve

EXACT_TIME_LIMIT_S = 20.0


def runs_of(panel: Panel, seed: int, exact_realizations: int) -> tuple[Run, ...]:
    """The panel's runs that apply to this realization (slow exact runs only on the first seeds)."""
    return tuple(r for r in panel.runs if not (r.exact_subsample and seed >= exact_realizations))


def run_task(
    panel: Panel, x, seed: int, exact_realizations: int, time_limit: float = EXACT_TIME_LIMIT_S
) -> list[Row]:
    """Generate one realization and run the panel's solvers on it; failures become rows too."""
    cfg = panel.config(x, seed)
    inst = generate(cfg)
    params = json.dumps({k: v for k, v in asdict(cfg).items() if k != "architectures"})
    return [
        _row(panel, x, seed, run, inst, params, time_limit)
        for run in runs_of(panel, seed, exact_realizations)
    ]


def _row(panel: Panel, x, seed, run: Run, inst, params, time_limit) -> Row:
    base = dict(
        figure=panel.figure,
        panel=panel.panel,
        axis=panel.axis,
        x=float(x),
        seed=seed,
        solver=run.solver,
        semantics=run.semantics,
        bandwidth=run.bandwidth,
        case_=panel.case,
        K=inst.K,
        params=params,
    )
    try:
        r = solve(
            inst,
            run.solver,
            semantics=run.semantics,
            bandwidth=run.bandwidth,
            time_limit=time_limit,
        )
    except Unsupported as e:
        return Row(
            **base,
            served=0,
            ratio=float("nan"),
            status="unsupported",
            bound=None,
            wall_s=0.0,
            message=e.rule,
        )
    except (
        plugins.PluginError
    ) as e:  # a user's solver broke the contract: this row is an error, the sweep goes on
        return Row(
            **base,
            served=0,
            ratio=float("nan"),
            status="error",
            bound=None,
            wall_s=0.0,
            message=str(e),
        )
    return Row(
        **base,
        served=r.served,
        ratio=r.served / inst.K if inst.K else 0.0,
        status=r.status.value,
        bound=None if r.bound is None else float(r.bound),
        wall_s=r.wall_s,
        message=r.message,
        optimal_over=r.optimal_over,
    )


def tasks(panels: list[Panel], realizations: int) -> list[tuple[Panel, float, int]]:
    return [(p, x, s) for p in panels for x in p.values for s in range(realizations)]


def run_sweep(
    panels: list[Panel],
    out: Path,
    realizations: int,
    engine: str = "local",
    workers: int = 1,
    scheduler: str | None = None,
    exact_realizations: int = 20,
    progress: Callable[[int, int], None] | None = None,
) -> Store:
    """Run every (task, solver run) not yet in out/results.sqlite, on ``engine``'s workers
    (``parallel.pool``); the caller checks --resume before. A resumed sweep with more solvers (or
    more exact realizations) runs only what is missing."""
    store = Store(out / "results.sqlite")
    old = {p["panel"]: p for p in store.meta().get("panels", [])}
    store.set_meta(
        figure=panels[0].figure,
        realizations=realizations,
        exact_realizations=exact_realizations,
        panels=[
            {
                "panel": p.panel,
                "axis": p.axis,
                "values": list(p.values),
                "case": p.case,
                "runs": list(
                    dict.fromkeys(old.get(p.panel, {}).get("runs", []) + [r.label for r in p.runs])
                ),
            }
            for p in panels
        ],
    )
    done = store.done_runs()
    todo = []
    for p, x, s in tasks(panels, realizations):
        missing = tuple(
            r
            for r in runs_of(p, s, exact_realizations)
            if (p.figure, p.panel, float(x), s, r.solver, r.semantics, r.bandwidth) not in done
        )
        if missing:
            todo.append((replace(p, runs=missing), x, s))
    total = len(tasks(panels, realizations))
    count = total - len(todo)
    if progress:
        progress(count, total)

    def finish(task, rows):
        nonlocal count
        p, x, s = task
        store.add((p.figure, p.panel, float(x), s), rows)
        count += 1
        if progress:
            progress(count, total)

    with parallel.pool(engine, workers, scheduler) as pool:
        for t, rows in run_each(
            run_task, [(p, x, s, exact_realizations) for p, x, s in todo], workers, pool
        ):
            if isinstance(rows, parallel.Lost):  # not stored: --resume runs it again
                warnings.warn(
                    f"sweep task {t[0].panel} x={t[1]} seed={t[2]}: {rows.reason}", stacklevel=2
                )
                continue
            finish(t[:3], rows)
    return store
