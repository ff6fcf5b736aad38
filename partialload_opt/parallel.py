"""Where a long run's tasks run (``--engine``): in this process, in local worker processes, or on a
Dask cluster (``dask_pool.py``), and the loop that feeds them. Each worker gets one BLAS thread, so W
workers use W cores (OpenBLAS otherwise starts a thread per core in every worker; on 2 cores, 2
workers ran slower than 1: benchmarks/RESULTS.md), and loads the caller's plugins."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, ProcessPoolExecutor, wait

from partialload_opt import plugins
from partialload_opt.errors import InputError
from partialload_opt.workers import Lost, init_worker, single_threaded_blas

__all__ = [
    "ENGINES",
    "Lost",
    "init_worker",
    "pool",
    "process_pool",
    "run_each",
    "single_threaded_blas",
]

ENGINES = ("local", "dask")


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
