"""A Dask cluster as a concurrent.futures pool (``--engine dask``): a LocalCluster of single-threaded
worker processes, or the cluster behind a scheduler's address. Dask recomputes the tasks of a worker
that dies; a task every one of its workers died on comes back as ``workers.Lost``, so the caller's
run goes on. Workers only compute: the caller writes every result (no disk is shared)."""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import time
import warnings
from collections.abc import Callable, Iterator

from partialload_opt import plugins
from partialload_opt.errors import InputError
from partialload_opt.workers import Lost, init_worker

SLOTS_REFRESH_S = 5.0  # how often the queue asks the scheduler how many worker threads there are


def _on_worker(specs: list[str], fn: Callable, *args):
    """``fn(*args)`` after ``workers.init_worker`` (a Dask worker may be started by hand: one BLAS
    thread, the caller's plugins), its warnings dropped: the caller warned when it read the
    instances, and a LocalCluster's workers share its terminal (they would garble the progress
    bar)."""
    init_worker(specs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args)


class DaskPool(cf.Executor):
    """``submit`` runs ``fn(*args)`` on the cluster after ``workers.init_worker``; ``slots()`` is
    the cluster's worker threads now (workers may join or leave while a run goes on)."""

    def __init__(self, client):
        self._client = client
        self._inner = client.get_executor(pure=False)
        self._specs = plugins.loaded()
        self._slots = (-SLOTS_REFRESH_S, 1)

    def submit(self, fn, /, *args, **kwargs) -> cf.Future:
        if kwargs:
            raise TypeError("DaskPool.submit takes positional arguments only")
        return _lost_as_value(self._inner.submit(_on_worker, self._specs, fn, *args))

    def slots(self) -> int:
        at, n = self._slots
        if time.monotonic() - at >= SLOTS_REFRESH_S:
            n = max(1, sum(self._client.nthreads().values()))
            self._slots = (time.monotonic(), n)
        return n

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._inner.shutdown(wait=wait and not cancel_futures)


def _lost_as_value(fut: cf.Future) -> cf.Future:
    """``fut``, with Dask's KilledWorker (every worker that ran the task died) as a Lost result."""
    from distributed import KilledWorker

    out: cf.Future = cf.Future()

    def done(f: cf.Future) -> None:
        if f.cancelled():
            out.cancel()
            out.set_running_or_notify_cancel()
            return
        exc = f.exception()
        if exc is None:
            out.set_result(f.result())
        elif isinstance(exc, KilledWorker):
            n = exc.allowed_failures + 1
            out.set_result(Lost(f"the {n} Dask workers that ran it all died"))
        else:
            out.set_exception(exc)

    fut.add_done_callback(done)
    return out


@contextlib.contextmanager
def dask_pool(workers: int = 1, scheduler: str | None = None) -> Iterator[DaskPool]:
    """A DaskPool on ``scheduler``'s cluster, or on a new LocalCluster of ``workers`` processes with
    one thread each (closed afterwards); a missing extra or a scheduler that does not answer is an
    InputError."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise InputError(
            "--engine", "dask", "needs the [dask] extra (pip install 'partialload-opt[dask]')"
        ) from None
    with contextlib.ExitStack() as stack:
        if scheduler:
            try:
                client = stack.enter_context(Client(scheduler))
            except (OSError, ValueError) as e:  # OSError: no answer in the connect timeout
                raise InputError(
                    "--scheduler", scheduler, f"no Dask scheduler answers: {e}"
                ) from None
        else:
            cluster = stack.enter_context(
                LocalCluster(n_workers=workers, threads_per_worker=1, processes=True)
            )
            client = stack.enter_context(Client(cluster))
        yield DaskPool(client)
