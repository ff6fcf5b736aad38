"""PartialLoading's side of the benchmark library (partialload_opt/bench.py): its tiers, how an entry
is made again from generator arguments, how an answer is scored against a certificate (users below
the optimum), and how a certificate is proved (scripts/certify_bench.py).

Tiers of pl-bench/1 (docs/BENCHMARK.md):
* small: the shipped small instances (K 6-12, BLS and general) and targeted ones where a model revisit
  pays (slot_edge_instance, planted), files; theorem-free proofs;
* boundary: near_boundary_instance (bls, nested, general; segments within 1e-12..1e-6 slot of a
  boundary, slots from 1 us to 1,000 s), files;
* paper: every grid point of Figs. 6-9 (seeds 0 and 1), generator arguments;
* tight: general, K = 80-100, Tbar 500 ms, B 10-200 MHz (binding deadlines), generator arguments;
* scale: K = 160-1,280, BLS at Tbar 700 ms and general at Tbar 500 ms, B = 50 MHz, generator
  arguments (open where the exact methods do not reach)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import asdict, fields
from pathlib import Path

from partialload_opt.errors import InputError
from partialload_opt.partialloading.instance import Instance, load_instance
from partialload_opt.results import Certificate, Status

SEMANTICS = ("continuous", "slotted")
PAPER_SEEDS = (0, 1)
TIGHT_SEEDS = range(10)
SCALE = ((160, 0), (320, 0), (640, 0), (1280, 0), (160, 1), (320, 1))


def bench_instance(generator: dict) -> Instance:
    """The instance an entry's generator arguments make (``kind``: paper | near-boundary |
    slot-edge)."""
    from partialload_opt.partialloading import generate as gen

    kind = generator.get("kind")
    if kind == "paper":
        known = {f.name for f in fields(gen.GeneratorConfig)}
        cfg = {k: v for k, v in generator.get("config", {}).items() if k in known}
        if "architectures" in cfg:
            cfg["architectures"] = tuple(cfg["architectures"])
        return gen.generate(gen.GeneratorConfig(**cfg))
    if kind == "near-boundary":
        return gen.near_boundary_instance(int(generator["seed"]), str(generator["case"]))
    if kind == "slot-edge":
        return gen.slot_edge_instance(int(generator["seed"]), str(generator["case"]), planted=True)
    raise InputError("generator", str(kind), "must be paper, near-boundary or slot-edge")


def bench_score(result, cert: Certificate) -> tuple[float | None, float | None, float | None, str]:
    """(served, users below the certified value, that over the value, error): an error Result, or
    an answer above the certificate's bound (the certificate or the evaluator would be wrong)."""
    if result.status is Status.ERROR:
        return None, None, None, result.message or "error"
    served = result.served
    if cert.bound is not None and served > cert.bound:
        return (
            served,
            None,
            None,
            (
                f"serves {served}, above the certified bound {cert.bound:g} ({cert.method}): the "
                "certificate or the evaluator is wrong"
            ),
        )
    gap = cert.value - served
    return served, gap, gap / cert.value if cert.value else 0.0, ""


def certify(inst: Instance, semantics: str, time_limit: float = 120.0) -> Certificate:
    """The proved optimum in ``semantics`` by a route that assumes no theorem where it is not proved
    (the theorem-free search up to K = 7; slotted: cpsat-segment, cpsat-batch up to K = 12;
    continuous: dp-exact, cpsat), else the best schedule and the best bound found (open)."""
    from partialload_opt.partialloading.claims import search
    from partialload_opt.solving import solve

    t0 = time.perf_counter()
    if inst.K <= search.MAX_USERS:
        value = search.best(inst, semantics)[0]
        return Certificate(semantics=semantics, value=value, bound=value, proved=True,
                           method="theorem-free search", seconds=time.perf_counter() - t0)  # fmt: skip
    if semantics == "slotted":
        routes = ["cpsat-segment"] + (["cpsat-batch"] if inst.K <= search.MAX_MODEL_USERS else [])
    else:
        routes = ["dp-exact", "cpsat"]
    best_value, best_bound, how = 0, None, []
    for name in routes:
        try:
            r = solve(inst, name, semantics=semantics, time_limit=time_limit)
        except Exception as e:  # a refusal (size guard) or a failure: the next route
            how.append(f"{name}: {e}")
            continue
        if r.status is Status.ERROR:
            how.append(f"{name}: {r.message}")
            continue
        best_value = max(best_value, r.served)
        if r.bound is not None:
            best_bound = r.bound if best_bound is None else min(best_bound, r.bound)
        if r.status is Status.OPTIMAL:
            return Certificate(semantics=semantics, value=r.served, bound=r.served, proved=True,
                               method=_method(name, r), seconds=time.perf_counter() - t0)  # fmt: skip
        how.append(f"{name}: {r.status.value} {r.served} / {r.bound}")
    return Certificate(semantics=semantics, value=best_value, bound=best_bound, proved=False,
                       method="; ".join(how), seconds=time.perf_counter() - t0)  # fmt: skip


def _method(name: str, r) -> str:
    extra = r.stats.get("method") or r.proved_by or ""
    return f"{name}" + (f" ({extra})" if extra else "")


def spec(root: Path) -> Iterator[tuple[str, str, Instance, dict | None]]:
    """(tier, name, instance, generator arguments or None for a file) of every entry of pl-bench/1;
    ``root``: the repository (its instances/ folder)."""
    from partialload_opt.partialloading import generate as gen
    from partialload_opt.partialloading.experiments.figures import figure

    for path in sorted((root / "instances" / "small").glob("*.json")):
        yield "small", f"small-{path.stem}", load_instance(path), None
    for seed in range(6):
        for case in ("bls", "general"):
            inst = gen.slot_edge_instance(seed, case, planted=True)
            yield "small", f"revisit-{case}-{seed}", inst, None
    for seed in range(10):
        for case in gen.NEAR_BOUNDARY_CASES:
            yield (
                "boundary",
                f"boundary-{case}-{seed}",
                gen.near_boundary_instance(seed, case),
                None,
            )
    for name in ("fig6", "fig7", "fig8", "fig9"):
        for panel in figure(name):
            for x in panel.values:
                for seed in PAPER_SEEDS:
                    cfg = panel.config(x, seed)
                    args = {"kind": "paper", "config": _config(cfg)}
                    tag = f"{name}{panel.panel}-{panel.axis}{x:g}-seed{seed}"
                    yield "paper", tag, gen.generate(cfg), args
    for seed in TIGHT_SEEDS:
        cfg = gen.GeneratorConfig(case="general", users=80 + 5 * (seed % 5),
                                  bandwidth_mhz=(10.0, 50.0, 100.0, 200.0)[seed % 4],
                                  deadline_ms=500.0, seed=seed)  # fmt: skip
        yield (
            "tight",
            f"tight-seed{seed}",
            gen.generate(cfg),
            {"kind": "paper", "config": _config(cfg)},
        )
    for K, seed in SCALE:
        for case, extra in (("bls", {"deadline_ms": 700.0}),
                            ("general", {"deadline_ms": 500.0, "bandwidth_mhz": 50.0})):  # fmt: skip
            cfg = gen.GeneratorConfig(case=case, users=K, seed=seed, **extra)  # type: ignore[arg-type]
            args = {"kind": "paper", "config": _config(cfg)}
            yield "scale", f"scale-{case}-k{K}-seed{seed}", gen.generate(cfg), args


def _config(cfg) -> dict:
    doc = asdict(cfg)
    doc["architectures"] = list(doc["architectures"])
    return doc
