"""QPART for a fixed partition point p, as every exact solver sees it: a multiple-choice knapsack.
One *group* per bit-width decision (each device layer, and the sent tensor where it has a bit-width
of its own), one *choice* per bit-width: it adds ``slope * b`` bits of payload and ``k 4^-b`` of
accuracy budget. Minimise the payload subject to the budget; the objective is ``const + beta *
payload`` (formulations/qpart.md, section 2)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from partialload_opt.qpart.evaluate import BUDGET_TOL, Decision, segment_costs
from partialload_opt.qpart.instance import QInstance


@dataclass(frozen=True)
class Group:
    role: str  # "layer" | "sent"
    layer: int  # 1-based layer (role "layer"); the partition (role "sent")
    slope: float  # payload bits per bit of width (w_l, a_p, or w_p + a_p when shared)
    k: float  # accuracy coefficient: the budget used is k 4^-b

    def payload(self, bits: np.ndarray) -> np.ndarray:
        return self.slope * bits

    def acc(self, bits: np.ndarray) -> np.ndarray:
        return self.k * np.power(4.0, -bits.astype(float))


@dataclass(frozen=True)
class Knapsack:
    p: int
    groups: tuple[Group, ...]
    fixed_payload: float  # the unquantized input's bits (p = 0, reference reading)
    const: float  # Psi_loc(p) + Psi_ser(p), eqs. (24)-(25)
    beta: float  # (omega_t + omega_e P) / R, eq. (26): objective per payload bit
    budget: float
    bits: np.ndarray  # the bit set, ascending

    def objective(self, payload: float) -> float:
        return self.const + self.beta * (self.fixed_payload + payload)

    def within(self, used):
        """``used`` (a number or an array) is within the budget (the evaluator's tolerance)."""
        return used <= self.budget * (1 + BUDGET_TOL)

    def decision(self, inst: QInstance, widths) -> Decision:
        """The Decision of one bit-width per group."""
        layer_bits = [0] * self.p
        sent = None
        for g, b in zip(self.groups, widths):
            if g.role == "layer":
                layer_bits[g.layer - 1] = int(b)
            else:
                sent = int(b)
        return Decision(self.p, tuple(layer_bits), sent, inst.name)


def knapsack(inst: QInstance, p: int) -> Knapsack:
    """The subproblem of partition p under the instance's readings."""
    shared = inst.reading("activation_bits") == "shared"
    noise = inst.reading("noise")
    cut, every = noise != "weights", noise == "weights+activations"
    groups = []
    for layer in range(1, p + 1):
        slope, k = float(inst.w[layer - 1]), inst.k_weights[layer - 1]
        if every and layer < p:
            k += inst.k_activations[layer - 1]
        if shared and layer == p:  # the sent activation takes layer p's bit-width
            slope += float(inst.a[p])
            k += inst.k_activations[p - 1] if cut else 0.0
        groups.append(Group("layer", layer, slope, k))
    fixed = 0.0
    if p == 0 and inst.reading("input") == "reference":
        fixed = float(inst.a[0]) * int(inst.reading("reference_bits"))
    elif p == 0 or not shared:
        k = (inst.k_activations[p - 1] if p else inst.k_input) if cut else 0.0
        groups.append(Group("sent", p, float(inst.a[p]), k))
    t_loc, e_loc, t_ser, c_ser = segment_costs(inst, p)
    wt, we, wc = inst.weights
    const = wt * (t_loc + t_ser) + we * e_loc + wc * c_ser
    beta = (wt + we * inst.device.tx_power_w) / inst.rate_bps
    return Knapsack(
        p, tuple(groups), fixed, const, beta, inst.budget, np.array(inst.bits, dtype=np.int64)
    )


def memory_ok(inst: QInstance, ks: Knapsack, widths) -> bool:
    """The device segment's weights fit the memory (when a memory limit is given)."""
    mem = inst.device.memory_bits
    if mem is None:
        return True
    return (
        sum(float(inst.w[g.layer - 1]) * b for g, b in zip(ks.groups, widths) if g.role == "layer")
        <= mem
    )
