"""PartialLoading's run options: the core's SolveOptions plus the time semantics and the bandwidth
rule, validated once by ``solve`` and passed down to every built-in solver."""

from __future__ import annotations

from dataclasses import dataclass, field

from partialload_opt.options import SolveOptions
from partialload_opt.partialloading.bandwidth import BandwidthRule


@dataclass(frozen=True, kw_only=True)
class RunOptions(SolveOptions):
    """SolveOptions with PartialLoading's own: the time semantics, the bandwidth rule, and whether
    ``solve`` attaches its cheap bound (bounds.py) to an answer without a proved one (on by default;
    off only to measure what it costs, benchmarks/sweep_bound_cost.py)."""

    semantics: str = "continuous"
    bandwidth: BandwidthRule = field(default_factory=lambda: BandwidthRule.parse("optimal"))
    cheap_bound: bool = True
