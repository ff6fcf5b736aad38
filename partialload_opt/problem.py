"""The problems the toolkit knows, behind one ``Problem`` protocol. The core (registry, ``solve``, the
verification runner, shrinker and report, the CLI) reaches a problem only through this protocol, and
``PROBLEMS`` below is the one place that names them: adding a problem is one ``Problem`` object and a
line here (CONTRIBUTING.md shows it)."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

if TYPE_CHECKING:
    import pandas as pd
    import typer

    from partialload_opt.results import Certificate
    from partialload_opt.solver_info import SolverInfo
    from partialload_opt.verify.checks import Check, Claim

from partialload_opt.errors import InputError

PROBLEMS: Mapping[str, str] = {
    "partialload": "partialload_opt.partialloading.problem:PROBLEM",
    "qpart": "partialload_opt.qpart.problem:PROBLEM",
}
"""name -> ``module:attribute`` of its Problem object, imported on first use."""


@dataclass(frozen=True, kw_only=True)
class GeneratorOption:
    """One option of a problem's generator on the core `verify --generate` (``--NAME TEXT``; the
    problem parses the text in ``generator_sizes``)."""

    name: str
    default: str
    help: str


class ClaimCheck(Protocol):
    """A claim the verification runner checks: a claim module, a solver's claim, a user's claim.
    ``ctx`` is its problem's context (the one untyped parameter: a claim is looked up by id)."""

    CLAIM: Claim

    def check(self, ctx: Any, reading: str, semantics: str) -> Check: ...


InstanceT = TypeVar("InstanceT")  # the problem's instance (PartialLoading: Instance)
OptionsT = TypeVar("OptionsT")  # the validated options of one run (RunOptions)
StartT_co = TypeVar("StartT_co", covariant=True)  # the answer a run starts from (a Schedule)
ResultT = TypeVar("ResultT")  # a run's re-scored result (Result)
ContextT_co = TypeVar("ContextT_co", covariant=True)  # its verification context (claims' Context)


class Problem(Protocol[InstanceT, OptionsT, StartT_co, ResultT, ContextT_co]):
    """What the core needs of a problem. Instances, options, answers, results and contexts are the
    problem's own types (its type parameters); the core only passes them back to it. Each problem
    module declares its ``PROBLEM`` with its types, so mypy checks it against this protocol."""

    name: str  # the registry's key ("partialload")
    instance_format: str  # the "format" of its instance documents
    default_solver: str
    strategies: (
        str  # the module of its hypothesis strategies (re-exported by partialload_opt.testing)
    )
    keep_meta: bool  # a saved counterexample keeps the instance's meta (besides its own)
    charts: str  # the module of its notebook charts, imported by plot.py only to draw (matplotlib)
    semantics: tuple[str, ...]  # its time semantics ("-" when it has none)
    solver_traits: Mapping[str, object]  # a user's solver's traits and their defaults

    def owns(self, obj: object) -> bool:
        """An instance of this problem, or an instance document of its format."""

    def load(self, doc: dict, source: str) -> InstanceT:
        """The instance of a document (an InputError naming ``source`` when it is invalid)."""

    def describe(self, inst: InstanceT) -> tuple[dict, str]:
        """`partialload check`'s JSON fields and one-line description of an instance."""

    def cli(self) -> tuple[str | None, typer.Typer]:
        """Its command line: (the group name, or None to add its commands at the top; a typer app)."""

    def summary(self, inst: InstanceT) -> dict:
        """The size fields of a verification row: ``K``, ``I`` (its two sizes) and ``case``."""

    # --- solving -------------------------------------------------------------------------------
    def builtin_solvers(self) -> tuple[SolverInfo, ...]:
        """Its built-in SolverInfo rows."""

    def registration(self, name: str, func: Callable[..., object], traits: dict) -> dict:
        """The SolverInfo fields of a user's solver (checks its signature and traits)."""

    def options(self, info: SolverInfo, inst: InstanceT, given: dict) -> OptionsT:
        """The validated options object of one run (``partialload_opt.options.build``)."""

    def start(self, info: SolverInfo, inst: InstanceT, opts: OptionsT) -> StartT_co | None:
        """The answer a run starts from (a warm start), or None; runs inside the run's budget."""

    def call(self, info: SolverInfo, inst: InstanceT, opts: OptionsT) -> object:
        """Run the solver function (its calling convention: built-in or a user's)."""

    def rescore(
        self, info: SolverInfo, inst: InstanceT, opts: OptionsT, got: object, wall: float
    ) -> ResultT:
        """The Result of what the solver returned, re-scored by the problem's one evaluator."""

    def failed(
        self,
        info: SolverInfo,
        inst: InstanceT,
        opts: OptionsT,
        message: str,
        trace: str,
        wall: float,
    ) -> ResultT:
        """The 'error' Result of a run that raised."""

    # --- verification --------------------------------------------------------------------------
    def claims(self) -> dict[str, ClaimCheck]:
        """Its claims, id -> module/object with ``CLAIM`` and ``check(ctx, reading, semantics)``."""

    def solver_claim(self, name: str) -> ClaimCheck:
        """The claim 'solver NAME serves the optimum' for one of its solvers."""

    def context(
        self,
        inst: InstanceT,
        time_limit: float,
        threads: int | None,
        budget: float | None,
        audit: bool = True,
    ) -> ContextT_co:
        """The per-instance ground-truth context its claims check against; ``audit``: also
        cross-check its exact solvers (the shrinker needs the verdicts only)."""

    def generated(self, n: int, seed: int, **options: Any) -> Iterator[InstanceT]:
        """``n`` small generated instances, deterministic in ``seed``."""

    generator_options: tuple[GeneratorOption, ...]  # its options of `verify --generate`

    def generator_sizes(self, given: Mapping[str, str]) -> dict:
        """The keywords of ``generated`` from the texts of its ``generator_options`` (an
        InputError naming the option when one is invalid)."""

    def shrink_candidates(self, doc: dict) -> Iterator[dict]:
        """Smaller documents to try when shrinking a counterexample."""

    def shrink_valid(self, doc: dict) -> InstanceT | None:
        """The instance of a shrink candidate, or None when the candidate is not valid."""

    def note(self, inst: InstanceT, check: Check, folder: Path, name: str, quote: str) -> None:
        """Write a saved counterexample's Markdown note (and charts) beside its instance file."""

    def draw(self, inst: InstanceT, check: Check, path: Path) -> bool:
        """Draw a check's answers side by side into ``path``; False when the problem draws none."""

    def sweep_frame(self, path: Path) -> pd.DataFrame | None:
        """A results.sqlite of its sweeps as a DataFrame (frames.results_frame), or None if it
        writes none."""

    # --- the benchmark library (bench.py) ------------------------------------------------------
    def bench_spec(self, root: Path) -> Iterator[tuple[str, str, InstanceT, dict | None]]:
        """(tier, name, instance, generator arguments or None: a file) of its library entries."""

    def bench_instance(self, generator: dict) -> InstanceT:
        """The instance an entry's generator arguments make."""

    def bench_score(self, result: ResultT, certificate: Certificate) -> tuple:
        """(value, gap, relative gap, error) of a Result against a certificate."""

    def certify(self, inst: InstanceT, semantics: str, time_limit: float) -> Certificate:
        """The certificate of one instance in one semantics (bench.Certificate)."""


_loaded: dict[str, Problem] = {}


def get(name: str) -> Problem:
    """The Problem registered as ``name``."""
    if name not in _loaded:
        if name not in PROBLEMS:
            raise InputError("problem", name, f"is not a problem ({', '.join(PROBLEMS)})")
        module, _, attr = PROBLEMS[name].partition(":")
        _loaded[name] = getattr(importlib.import_module(module), attr)
    return _loaded[name]


def every() -> list[Problem]:
    return [get(n) for n in PROBLEMS]


def of(obj: object, field: str = "instance") -> Problem:
    """The problem an instance (or an instance document) belongs to."""
    for p in every():
        if p.owns(obj):
            return p
    what = obj.get("format") if isinstance(obj, dict) else type(obj).__name__
    formats = ", ".join(p.instance_format for p in every())
    raise InputError(field, str(what), f"is not an instance of a known problem ({formats})")
