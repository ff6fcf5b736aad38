"""PartialLoading as a ``Problem`` (partialload_opt/problem.py): what the core's registry, ``solve``,
verification and CLI reach it through."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from partialload_opt.partialloading import counterexamples, solvers, solving
from partialload_opt.partialloading.instance import Instance, instance_from_dict
from partialload_opt.problem import GeneratorOption, Problem

if TYPE_CHECKING:
    from partialload_opt.partialloading.claims.context import Context
    from partialload_opt.partialloading.options import RunOptions
    from partialload_opt.partialloading.results import Result
    from partialload_opt.partialloading.schedule import Schedule


class PartialLoading:
    name = "partialload"
    instance_format = "partialload-instance/1"
    default_solver = "dp-exact"
    semantics: tuple[str, ...] = ("continuous", "slotted")
    solver_traits: Mapping[str, object] = MappingProxyType(solvers.TRAITS)
    strategies = "partialload_opt.partialloading.strategies"
    keep_meta = False  # a shrunk instance's generator settings no longer describe it
    charts = "partialload_opt.partialloading.charts"  # gantt (plot.py), sweep_curves

    def owns(self, obj) -> bool:
        if isinstance(obj, dict):
            return obj.get("format") == self.instance_format
        return isinstance(obj, Instance)

    def load(self, doc: dict, source: str) -> Instance:
        return instance_from_dict(doc, source)

    def describe(self, inst: Instance) -> tuple[dict, str]:
        """``partialload check``'s JSON fields and line of an instance."""
        from partialload_opt.partialloading.instance import instance_summary

        s = instance_summary(inst)
        l_text = ""
        if s["bls"]:
            l_text = " l_i per cluster: " + "; ".join(
                ",".join(str(inst.l[i]) for i in c) for c in inst.cluster_order
            )
            l_text = l_text if len(l_text) < 200 else l_text[:197] + "..."
        line = (
            f"{s['name']}  K={s['K']} I={s['I']} blocks={s['blocks']} "
            f"bytes={s['total_bytes']:.4g} clusters={s['clusters']} "
            f"{'BLS' if s['bls'] else 'general (' + s['bls_reason'] + ')'}"
            f" b_max={s['b_max']} T={s['slots']} slots, "
            f"{'some user can be served' if s['any_user_servable'] else 'no user can be served'}"
            f"{l_text}"
        )
        return s, line

    def summary(self, inst: Instance) -> dict:
        """K, I and the sharing class (bls, nested: not BLS but the requested models' shared blocks
        nested, general)."""
        from partialload_opt.partialloading.generate import sharing_class

        return {"K": inst.K, "I": inst.I, "case": sharing_class(inst)}

    def cli(self):
        from partialload_opt.partialloading.cli import app

        return None, app

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
        from partialload_opt.partialloading.claims import claim_modules

        return claim_modules()

    def solver_claim(self, name: str):
        from partialload_opt.partialloading.claims.solver_check import SolverClaim

        return SolverClaim(name)

    def context(self, inst: Instance, time_limit: float, threads=None, budget=None, audit=True):
        from partialload_opt.partialloading.claims.context import Context

        return Context(inst, time_limit, threads, budget, audit)

    def generated(self, n: int, seed: int, **options) -> Iterator[Instance]:
        from partialload_opt.partialloading.generate import generated

        return generated(n, seed=seed, **options)

    generator_options: tuple[GeneratorOption, ...] = (
        GeneratorOption(
            name="case",
            default="both",
            help="bls | general | both (generated PartialLoading instances)",
        ),
        GeneratorOption(
            name="users", default="3..7", help="K range A..B of generated PartialLoading instances."
        ),
        GeneratorOption(
            name="models",
            default="2..4",
            help="I range A..B of generated PartialLoading instances.",
        ),
    )

    def generator_sizes(self, given: Mapping[str, str]) -> dict:
        from partialload_opt.console import check_choice, int_range

        check_choice("case", given["case"], ("bls", "general", "both"))
        return dict(
            case=given["case"],
            users=int_range(given["users"], "users"),
            models=int_range(given["models"], "models"),
        )

    shrink_candidates = staticmethod(counterexamples.shrink_candidates)
    shrink_valid = staticmethod(counterexamples.shrink_valid)
    note = staticmethod(counterexamples.note)

    def draw(self, inst: Instance, check, path: Path) -> bool:
        return counterexamples.draw(inst, check, path)

    def sweep_frame(self, path: Path):
        from partialload_opt.partialloading.experiments.store import sweep_frame

        return sweep_frame(path)

    # the benchmark library
    def bench_spec(self, root: Path):
        from partialload_opt.partialloading.benchlib import spec

        return spec(root)

    def bench_instance(self, generator: dict):
        from partialload_opt.partialloading.benchlib import bench_instance

        return bench_instance(generator)

    def bench_score(self, result, certificate) -> tuple:
        from partialload_opt.partialloading.benchlib import bench_score

        return bench_score(result, certificate)

    def certify(self, inst, semantics: str, time_limit: float):
        from partialload_opt.partialloading.benchlib import certify

        return certify(inst, semantics, time_limit)


PROBLEM: Problem[Instance, RunOptions, Schedule, Result, Context] = PartialLoading()
