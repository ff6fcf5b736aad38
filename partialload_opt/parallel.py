"""Worker processes for sweeps and verification: each worker gets one BLAS thread, so W workers use
W cores (OpenBLAS otherwise starts a thread per core in every worker; on 2 cores, 2 workers ran
slower than 1: benchmarks/RESULTS.md), and loads the caller's plugins."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, ProcessPoolExecutor, wait

from partialload_opt import plugins

_limited = False


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


def run_each(
    fn: Callable, tasks: Iterable[tuple], workers: int = 1, pool: Executor | None = None
) -> Iterator[tuple[tuple, object]]:
    """(task, fn(*task)) for every task, in the order they finish: in this process when workers <= 1,
    else on ``pool`` (or a new process pool) with a bounded queue (4 tasks per worker in flight)."""
    if workers <= 1:
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
    pending = {}
    for task in queue:
        pending[pool.submit(fn, *task)] = task
        if len(pending) >= 4 * workers:
            break
    while pending:
        ready, _ = wait(list(pending), return_when=FIRST_COMPLETED)
        for fut in ready:
            task = pending.pop(fut)
            yield task, fut.result()
            nxt = next(queue, None)
            if nxt is not None:
                pending[pool.submit(fn, *nxt)] = nxt
