"""Data of the compact (Theorem-2-form) models shared by milp-compact and cpsat.

Per cluster c (a component of the sharing graph; clusters are visited one after another without
loss, formulations/dp-exact.md), an optional-node circuit through a depot 0 and the cluster's
requested models; choosing model i with exactly k users costs serve_i(k); the arc j -> i costs the
load of i after j (after the depot: all of i). Slotted: the segment of i entered from j with k users
takes slots[j][i][k] = ceil((load(j->i) + serve_i(k)) / slot) whole slots, on the exact times
(timebase.py), as the evaluator counts them."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property

import numpy as np

from partialload_opt.partialloading.bandwidth import BandwidthRule
from partialload_opt.partialloading.instance import Instance
from partialload_opt.partialloading.segments import SegmentCosts

DEPOT = -1


@dataclass(frozen=True, eq=False)
class CompactData:
    inst: Instance
    bandwidth: str | dict | BandwidthRule = "optimal"

    @cached_property
    def costs(self) -> SegmentCosts:
        return SegmentCosts.of(self.inst, self.bandwidth, "optimal")

    @cached_property
    def clusters(self) -> tuple[tuple[int, ...], ...]:
        """Requested models of each cluster (clusters without users are dropped)."""
        out = []
        for c in self.inst.clusters:
            members = tuple(i for i in c if len(self.inst.users_of[i]) > 0)
            if members:
                out.append(members)
        return tuple(out)

    @property
    def models(self) -> list[int]:
        return [i for c in self.clusters for i in c]

    def n(self, i: int) -> int:
        return len(self.inst.users_of[i])

    def serve(self, i: int, k: int) -> float:
        return float(self.costs.serve[i][k])

    def serve_exact(self, i: int, k: int) -> Fraction:
        return self.costs.serve_exact[i][k]

    def load(self, j: int, i: int) -> float:
        """Seconds to load model i after j (DEPOT: nothing loaded)."""
        return self.inst.load_after(j, i)

    def load_exact(self, j: int, i: int) -> Fraction:
        return self.inst.exact.load_after(j, i)

    def arcs(self, c: int) -> list[tuple[int, int]]:
        """Arcs (j, i) of cluster c's circuit, DEPOT included, no self-loops."""
        nodes = [DEPOT, *self.clusters[c]]
        return [(j, i) for j in nodes for i in nodes if j != i]

    def entry_sets(self, c: int) -> list[tuple[int, ...]]:
        """The distinct owner sets O (within cluster c's requested models) of the blocks of positive
        size that cluster c's models hold: a circuit that visits a model of O enters O along an arc
        that loads those blocks ((C12), formulations/milp-compact.md)."""
        members = self.clusters[c]
        mask = self.inst.block_mask[list(members)]
        sizes = self.inst.block_size
        owners = {
            tuple(int(members[r]) for r in np.flatnonzero(mask[:, j]))
            for j in np.flatnonzero(mask.any(axis=0))
            if sizes[j] > 0
        }
        return sorted(owners)

    def slots(self, j: int, i: int) -> np.ndarray:
        """slots[k] of the segment of i (k users) entered from j (the evaluator's exact count);
        index 0 unused."""
        return self.costs.segment_slots(j, i)

    def all_times(self) -> list[Fraction]:
        """Every serve and load cost and the deadline, exactly (are integer units exact?)."""
        out = [self.inst.exact.deadline]
        for c, members in enumerate(self.clusters):
            for i in members:
                out += self.costs.serve_exact[i][1:]
            out += [self.load_exact(j, i) for j, i in self.arcs(c) if i != DEPOT]
        return out

    def segments_from_tour(
        self, succ: dict[int, int], counts: dict[int, int]
    ) -> list[tuple[int, int]]:
        """Follow the depot's successor chain of one cluster -> (model, k) segments in order."""
        out, node, seen = [], succ.get(DEPOT, DEPOT), set()
        while node != DEPOT and node not in seen:
            seen.add(node)
            if counts.get(node, 0) > 0:
                out.append((node, counts[node]))
            node = succ.get(node, DEPOT)
        return out
