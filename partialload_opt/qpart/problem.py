"""QPART as a ``Problem`` (partialload_opt/problem.py): what the core's registry, ``solve``,
verification and CLI reach it through."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

import numpy as np

from partialload_opt.problem import GeneratorOption, Problem
from partialload_opt.qpart import counterexamples, solvers, solving
from partialload_opt.qpart.instance import QInstance, bit_set_text, qinstance_from_dict

if TYPE_CHECKING:
    from partialload_opt.options import SolveOptions
    from partialload_opt.qpart.claims.context import QContext
    from partialload_opt.qpart.solving import QResult


class Qpart:
    name = "qpart"
    instance_format = "qpart-instance/1"
    default_solver = "qpart-pareto"
    semantics: tuple[str, ...] = ("-",)  # no time semantics
    solver_traits: Mapping[str, object] = MappingProxyType({})  # no semantics, cases or forms
    strategies = "partialload_opt.qpart.strategies"
    keep_meta = True  # its meta holds the readings and the source of the sensitivities
    charts = "partialload_opt.qpart.charts"  # gantt (plot.py)

    def owns(self, obj) -> bool:
        if isinstance(obj, dict):
            return obj.get("format") == self.instance_format
        return isinstance(obj, QInstance)

    def load(self, doc: dict, source: str) -> QInstance:
        return qinstance_from_dict(doc, source)

    def describe(self, inst: QInstance) -> tuple[dict, str]:
        """``partialload check``'s JSON fields and line of an instance."""
        s = {
            "name": inst.name,
            "problem": "qpart",
            "L": inst.L,
            "params": int(inst.w.sum()),
            "macs": float(inst.o.sum()),
            "partitions": list(inst.partitions),
            "bits": list(inst.bits),
            "budget": inst.budget,
            "readings": inst.readings,
        }
        line = (
            f"{inst.name} QPART L={inst.L} params={s['params']} MACs={s['macs']:.4g} "
            f"partitions={s['partitions']} bits={bit_set_text(inst.bits)} "
            f"C_A={inst.budget:.4g} readings={inst.readings}"
        )
        return s, line

    def summary(self, inst: QInstance) -> dict:
        """Layers as K, partitions as I (the report's two size columns)."""
        return {"K": inst.L, "I": len(inst.partitions), "case": inst.network_name}

    def cli(self):
        from partialload_opt.qpart.cli import app

        return "qpart", app

    # solving
    def builtin_solvers(self) -> tuple:
        return solvers.BUILTIN

    registration = staticmethod(solvers.registration)
    options = staticmethod(solving.options)
    start = staticmethod(solving.start)
    call = staticmethod(solving.call)
    rescore = staticmethod(solving.rescore)
    failed = staticmethod(solving.failed)

    # verification
    def claims(self) -> dict:
        from partialload_opt.qpart.claims import claim_modules

        return claim_modules()

    def solver_claim(self, name: str):
        from partialload_opt.qpart.claims.solver_check import QSolverClaim

        return QSolverClaim(name)

    def context(self, inst: QInstance, time_limit: float, threads=None, budget=None, audit=True):
        from partialload_opt.qpart.claims.context import QContext

        return QContext(inst, time_limit)

    def generated(self, n: int, seed: int, **options) -> Iterator[QInstance]:
        """n small instances (random networks of 2..5 layers, server prices from 0 to 10^4 per
        second, Algorithm 1's levels), deterministic in seed."""
        from partialload_opt.qpart.generate import generate

        rng = np.random.default_rng(seed)
        for t in range(n):
            yield generate(
                "random",
                seed * 1_000_003 + t,
                layers=int(rng.integers(2, 6)),
                price_per_s=float(rng.choice([0.0, 100.0, 1e3, 1e4])),
            )

    generator_options: tuple[GeneratorOption, ...] = ()  # sizes are drawn per instance

    def generator_sizes(self, given: Mapping[str, str]) -> dict:
        return {}

    shrink_candidates = staticmethod(counterexamples.shrink_candidates)
    shrink_valid = staticmethod(counterexamples.shrink_valid)
    note = staticmethod(counterexamples.note)

    def draw(self, inst: QInstance, check, path: Path) -> bool:
        return False

    def sweep_frame(self, path: Path):
        return None  # its Section V sweeps write CSV tables, not a results.sqlite

    # the benchmark library
    def bench_spec(self, root: Path):
        from partialload_opt.qpart.benchlib import spec

        return spec(root)

    def bench_instance(self, generator: dict):
        from partialload_opt.qpart.benchlib import bench_instance

        return bench_instance(generator)

    def bench_score(self, result, certificate) -> tuple:
        from partialload_opt.qpart.benchlib import bench_score

        return bench_score(result, certificate)

    def certify(self, inst, semantics: str, time_limit: float):
        from partialload_opt.qpart.benchlib import certify

        return certify(inst, semantics, time_limit)


PROBLEM: Problem[QInstance, SolveOptions, None, QResult, QContext] = Qpart()
