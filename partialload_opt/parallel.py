"""Where a long run's tasks run (``--engine``): in this process, in local worker processes, or on a
Dask cluster (``dask_pool.py``), and the loop that feeds them. Each worker gets one BLAS thread, so W
workers use W cores (OpenBLAS otherwise starts a thread per core in every worker; on 2 cores, 2
workers ran slower than 1: benchmarks/RESULTS.md), and loads the caller's plugins."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, ProcessPoolExecutor, wait
from dataclasses import dataclass

from partialload_opt import plugins
from partialload_opt.errors import InputError

ENGINES = ("local", "dask")

_limited = False


@dataclass(frozen=True)
class Lost:
    """The outcome of a task that every worker running it died on (a Dask cluster recomputes a dead
    worker's tasks, up to ``distributed.scheduler.allowed-failures`` deaths): the run goes on
    without it, and records nothing for it, so a resumed run tries it again."""

    reason: str


def single_threaded_blas() -> None:
    """Limit this process's BLAS/OpenMP pools to one thread (once per process; cheap after that)."""
    global _limited
    if not _limited:
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)
        _limited = True


def init_worker(specs: list[str]) -> None:
    """Process-pool / Dask worker start: single-threaded BLAS and the caller's plugins."""
    single_threaded_blas()
    plugins.load_plugins(specs)


def process_pool(workers: int) -> ProcessPoolExecutor:
    """A process pool whose workers run single-threaded BLAS and load this process's plugins."""
    return ProcessPoolExecutor(
        max_workers=workers, initializer=init_worker, initargs=(plugins.loaded(),)
    )


@contextlib.contextmanager
def pool(
    engine: str = "local", workers: int = 1, scheduler: str | None = None
) -> Iterator[Executor | None]:
    """The pool of a run: None (``local``, one worker: this process), a process pool (``local``), or
    a Dask cluster (``dask``: a LocalCluster of ``workers`` processes, or ``scheduler``'s)."""
    if engine not in ENGINES:
        raise InputError("--engine", engine, f"must be one of {', '.join(ENGINES)}")
    if engine == "dask":
        from partialload_opt.dask_pool import dask_pool

        with dask_pool(workers, scheduler) as cluster:
            yield cluster
    elif workers > 1:
        with process_pool(workers) as local:
            yield local
    else:
        yield None


def run_each(
    fn: Callable, tasks: Iterable[tuple], workers: int = 1, pool: Executor | None = None
) -> Iterator[tuple[tuple, object]]:
    """(task, fn(*task)) for every task, in the order they finish: in this process when there is no
    ``pool`` and workers <= 1, else on ``pool`` (or a new process pool) with a bounded queue (4 tasks
    per worker in flight; a pool with ``slots()``, a Dask cluster, says how many workers it has)."""
    if pool is None and workers <= 1:
        for task in tasks:
            yield task, fn(*task)
        return
    if pool is None:
        with process_pool(workers) as own:
            yield from _stream(fn, tasks, workers, own)
    else:
        yield from _stream(fn, tasks, workers, pool)


def _stream(fn: Callable, tasks: Iterable[tuple], workers: int, pool: Executor):
    queue = iter(tasks)
    pending: dict = {}
    slots = getattr(pool, "slots", None)

    def fill() -> None:
        limit = 4 * max(1, slots() if slots else workers)  # a cluster may grow while it runs
        while len(pending) < limit:
            task = next(queue, None)
            if task is None:
                return
            pending[pool.submit(fn, *task)] = task

    fill()
    while pending:
        ready, _ = wait(list(pending), return_when=FIRST_COMPLETED)
        for fut in ready:
            task = pending.pop(fut)
            yield task, fut.result()
        fill()
