"""Worker processes for sweeps and verification: each worker gets one BLAS thread, so W workers use
W cores. (OpenBLAS otherwise starts a thread per core in every worker; on 2 cores, 2 workers ran
slower than 1: benchmarks/RESULTS.md.)"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor

_limited = False


def single_threaded_blas() -> None:
    """Limit this process's BLAS/OpenMP pools to one thread (once per process; cheap after that)."""
    global _limited
    if not _limited:
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)
        _limited = True


def process_pool(workers: int) -> ProcessPoolExecutor:
    """A process pool whose workers each run single-threaded BLAS."""
    return ProcessPoolExecutor(max_workers=workers, initializer=single_threaded_blas)
