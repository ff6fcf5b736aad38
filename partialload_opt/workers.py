"""What every worker process of a long run is, on either engine (``parallel.py``, ``dask_pool.py``):
its start -- one BLAS thread, so W workers use W cores, and the caller's plugins -- and the value of a
task that every worker running it died on."""

from __future__ import annotations

from dataclasses import dataclass

from partialload_opt import plugins

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
