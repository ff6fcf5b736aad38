"""QPART's side of the benchmark library (partialload_opt/bench.py): its tier, how an entry is made
again, how an answer is scored (its cost above the optimum, relative), and how a certificate is
proved (scripts/certify_bench.py).

The ``qpart`` tier of pl-bench/1: the shipped instances (instances/qpart/) and random networks of 2-5
layers under every combination of the open readings (activation bits, input, noise, s_i; 24 in
all), each at a server price of 0, 300 or 10^4 per second."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from pathlib import Path

from partialload_opt.errors import InputError
from partialload_opt.qpart.instance import QInstance, load_qinstance
from partialload_opt.results import Certificate, Status

READING_VALUES = {
    "activation_bits": ("shared", "separate"),
    "input": ("quantized", "reference"),
    "noise": ("weights", "weights+cut", "weights+activations"),
    "s_i": ("payload", "all"),
}
REL_TOL = 1e-9
"""A cost below the certified lower bound by more than this (relative) is an error."""


def bench_instance(generator: dict) -> QInstance:
    """The instance an entry's generator arguments make (``qpart.generate.generate``'s)."""
    from partialload_opt.qpart.generate import generate

    if generator.get("kind") != "qpart":
        raise InputError("generator", str(generator.get("kind")), "must be qpart")
    args = {k: v for k, v in generator.items() if k != "kind"}
    return generate(**args)


def bench_score(result, cert: Certificate) -> tuple[float | None, float | None, float | None, str]:
    """(cost, cost above the certified value relative to it, the same, error): an error Result or
    no decision, or a cost below the certificate's lower bound (it would be wrong)."""
    if result.status is Status.ERROR or result.objective is None:
        return None, None, None, result.message or "no feasible decision"
    cost = float(result.objective)
    scale = max(abs(cert.value), 1e-300)
    if cert.bound is not None and cost < cert.bound - REL_TOL * scale:
        return (
            cost,
            None,
            None,
            (
                f"costs {cost:.9g}, below the certified lower bound {cert.bound:.9g} ({cert.method}): "
                "the certificate or the evaluator is wrong"
            ),
        )
    rel = (cost - cert.value) / scale
    return cost, rel, rel, ""


def certify(inst: QInstance, semantics: str = "-", time_limit: float = 120.0) -> Certificate:
    """The proved optimum: qpart-pareto, checked by qpart-brute where it runs (they must agree)."""
    from partialload_opt.solving import solve

    t0 = time.perf_counter()
    r = solve(inst, "qpart-pareto", time_limit=time_limit)
    if r.status is not Status.OPTIMAL or r.objective is None:
        return Certificate(semantics="-", value=float(r.objective or 0.0), bound=r.bound,
                           proved=False, method=f"qpart-pareto: {r.status.value}",
                           seconds=time.perf_counter() - t0)  # fmt: skip
    method = "qpart-pareto"
    try:
        b = solve(inst, "qpart-brute", time_limit=time_limit)
    except Exception:  # a size guard: pareto alone
        b = None
    if b is not None and b.status is Status.OPTIMAL and b.objective is not None:
        if abs(b.objective - r.objective) > 1e-9 * max(abs(r.objective), 1e-300):
            raise RuntimeError(
                f"{inst.name}: qpart-pareto {r.objective} != qpart-brute {b.objective}"
            )
        method = "qpart-pareto, agreeing with qpart-brute"
    return Certificate(semantics="-", value=float(r.objective), bound=float(r.objective),
                       proved=True, method=method, seconds=time.perf_counter() - t0)  # fmt: skip


def spec(root: Path) -> Iterator[tuple[str, str, QInstance, dict | None]]:
    """(tier, name, instance, generator arguments or None for a file) of QPART's entries."""
    for path in sorted((root / "instances" / "qpart").glob("*.json")):
        yield "qpart", f"qpart-{path.stem}", load_qinstance(path), None
    combos = list(itertools.product(*READING_VALUES.values()))
    for n, values in enumerate(combos):
        readings = dict(zip(READING_VALUES, values))
        price = (0.0, 300.0, 1e4)[n % 3]
        args = {
            "kind": "qpart",
            "name": "random",
            "seed": n,
            "layers": 2 + n % 4,
            "price_per_s": price,
            "readings": readings,
        }
        yield "qpart", f"qpart-random-r{n:02d}", bench_instance(args), args
