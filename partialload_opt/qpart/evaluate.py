"""QPART decisions (qpart-decision/1) and the ONE QPART evaluator: a decision (partition, bits) ->
time, energy and server-cost terms (eqs. (5)-(8), (14)-(16)), payload (eq. (14)), the objective
(eqs. (17), (24)-(26)), the accuracy budget used (eqs. (18)-(23)), memory, and every violation. Every
QPART solver's answer is re-scored here."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from math import nan
from pathlib import Path

from partialload_opt import display
from partialload_opt.errors import InputError
from partialload_opt.fileio import atomic_write_json, read_json
from partialload_opt.qpart.instance import QInstance
from partialload_opt.validation import validate_document

FORMAT = "qpart-decision/1"
BUDGET_TOL = 1e-9
"""Relative slack on the accuracy budget: used <= C_A (1 + 1e-9) is within it (floating point only)."""


@dataclass(frozen=True)
class Decision:
    """The device runs layers 1..partition, layer l quantized at bits[l-1]; ``activation_bits``
    quantizes the sent tensor where a reading makes it a choice of its own."""

    partition: int
    bits: tuple[int, ...] = ()
    activation_bits: int | None = None
    instance: str = ""
    meta: dict = field(default_factory=dict, compare=False)

    def to_dict(self) -> dict:
        out = {
            "format": FORMAT,
            "instance": self.instance,
            "partition": self.partition,
            "bits": list(self.bits),
            "activation_bits": self.activation_bits,
        }
        if self.meta:
            out["meta"] = self.meta
        return out

    @classmethod
    def from_dict(cls, doc, source: str = "<decision>") -> Decision:
        validate_document(doc, FORMAT, source)
        return cls(
            doc["partition"],
            tuple(doc["bits"]),
            doc.get("activation_bits"),
            doc.get("instance", ""),
            dict(doc.get("meta", {})),
        )


def load_decision(path: str | Path) -> Decision:
    return Decision.from_dict(read_json(path), str(path))


def save_decision(decision: Decision, path: str | Path) -> None:
    atomic_write_json(path, decision.to_dict())


@dataclass(frozen=True, kw_only=True)
class QEvaluation:
    partition: int
    bits: tuple[int, ...]
    budget: float
    violations: tuple[str, ...] = ()
    sent_bits: int = 0  # bits per element of the transmitted tensor
    t_local: float = nan  # eq. (5)
    e_local: float = nan  # eq. (6)
    t_server: float = nan  # eq. (7)
    c_server: float = nan  # eq. (8)
    payload_weights: float = nan  # D_w, eq. (14)
    payload_activation: float = nan  # D_a
    t_tx: float = nan  # eq. (15)
    e_tx: float = nan  # eq. (16)
    objective: float = nan  # eq. (17)
    accuracy_used: float = nan  # eq. (23)'s left-hand side
    memory_bits: float = nan

    @property
    def payload(self) -> float:
        return self.payload_weights + self.payload_activation

    @property
    def feasible(self) -> bool:
        return not self.violations

    def __repr__(self) -> str:
        """One line: the decision, its objective and accuracy budget used, or its violations."""

        head = f"QEvaluation(partition {self.partition}, bits {bits_text(self.bits)}"
        if math.isnan(self.objective):  # a decision that breaks a rule has no costs
            return f"{head}, {display.count(len(self.violations), 'violation')})"
        verdict = "feasible" if self.feasible else display.count(len(self.violations), "violation")
        return (
            f"{head}, objective {display.number(self.objective)}, accuracy used "
            f"{display.number(self.accuracy_used)} of C_A {display.number(self.budget)}, {verdict})"
        )

    def _repr_html_(self) -> str:
        """A notebook's view: every term of the objective and the budget used, and violations."""
        terms = display.fields(
            [
                ("partition", f"{self.partition} (the device runs layers 1..{self.partition})"),
                ("bits", ", ".join(map(str, self.bits)) or "-"),
                ("sent tensor", f"{self.sent_bits} bits per element"),
                ("device time", display.seconds(self.t_local)),
                ("transmission time", display.seconds(self.t_tx)),
                ("server time", display.seconds(self.t_server)),
                ("device energy (J)", display.number(self.e_local)),
                ("transmission energy (J)", display.number(self.e_tx)),
                ("server cost", display.number(self.c_server)),
                ("payload (bits)", display.number(self.payload)),
                ("objective", display.number(self.objective)),
                (
                    "accuracy used",
                    f"{display.number(self.accuracy_used)} of C_A {display.number(self.budget)}",
                ),
            ]
        )
        violations = display.items(self.violations) if self.violations else ""
        return display.card(repr(self), terms, violations)

    def plot(self, ax=None, title: str | None = None):
        """Device, transmission and server on one time axis (qpart/charts.py) on ``ax`` (a new
        figure if None); returns the Axes."""
        from partialload_opt import plot

        return plot.gantt(None, self, ax=ax, title=title, problem="qpart")

    def to_dict(self) -> dict:
        d = {k: getattr(self, k) for k in self.__dataclass_fields__}
        d["bits"] = list(self.bits)
        d["violations"] = list(self.violations)
        return d | {"payload": self.payload, "feasible": self.feasible}


def bits_text(bits, shown: int = 8) -> str:
    """A decision's bit-widths on one line: ``[8, 4]``, or the first ``shown`` and how many."""
    bits = list(bits)
    if len(bits) <= shown:
        return str(bits)
    return "[" + ", ".join(map(str, bits[:shown])) + f", … {len(bits)} widths]"


def sent_bits(inst: QInstance, p: int, bits, activation_bits) -> tuple[int, bool]:
    """(bits per element of the tensor sent at partition p, whether it is quantized): the layer's own
    bit-width (shared), the decision's activation bit-width (separate, or the raw input at p = 0 when
    quantized), or the reference width (unquantized input)."""
    if p == 0 and inst.reading("input") == "reference":
        return int(inst.reading("reference_bits")), False
    if p >= 1 and inst.reading("activation_bits") == "shared":
        return int(bits[-1]), True
    return int(activation_bits) if activation_bits is not None else int(
        inst.reading("reference_bits")
    ), True


def segment_costs(inst: QInstance, p: int) -> tuple[float, float, float, float]:
    """(T_loc, E_loc, T_ser, C_ser) of partition p: eqs. (3)-(8)."""
    o1, o2 = float(inst.o[:p].sum()), float(inst.o[p:].sum())
    dev, srv = inst.device, inst.server
    t_loc = dev.cycles_per_mac * o1 / dev.clock_hz  # eq. (5)
    e_loc = dev.kappa * dev.cycles_per_mac * o1 * dev.clock_hz**2  # eq. (6)
    t_ser = srv.cycles_per_mac * o2 / srv.clock_hz  # eq. (7)
    return t_loc, e_loc, t_ser, srv.price_per_s * t_ser  # eq. (8)


def accuracy_used(inst: QInstance, p: int, bits, sent: int, quantized: bool) -> float:
    """eq. (23)'s sum of theta terms, k 4^-b per quantized tensor the ``noise`` reading counts."""
    used = sum(inst.k_weights[layer] * 4.0**-b for layer, b in enumerate(bits))  # eqs. (18), (20)
    noise = inst.reading("noise")
    if noise != "weights" and quantized:  # the transmitted tensor, eqs. (19), (21)
        used += (inst.k_activations[p - 1] if p >= 1 else inst.k_input) * 4.0**-sent
    if noise == "weights+activations":  # every other activation computed on the device
        used += sum(inst.k_activations[layer] * 4.0**-b for layer, b in enumerate(bits[:-1]))
    return used


def evaluate(inst: QInstance, decision: Decision) -> QEvaluation:
    """Score a decision; a decision that breaks a rule is reported with every violation."""
    p, bits = decision.partition, tuple(decision.bits)
    violations: list[str] = []
    if p not in inst.partitions:
        violations.append(
            f"partition {p} is not a partition point (allowed: {', '.join(map(str, inst.partitions))})"
        )
    if len(bits) != p:
        violations.append(f"{len(bits)} bit-widths for partition {p} (one per device layer)")
    allowed = set(inst.bits)
    for n, b in enumerate(bits):
        if b not in allowed:
            violations.append(f"layer {n + 1}: {b} bits is not in the bit set")
    own = (
        inst.reading("input") == "quantized"
        if p == 0
        else inst.reading("activation_bits") == "separate"
    )
    if own and decision.activation_bits not in allowed:
        violations.append(
            f"the sent tensor's bit-width {decision.activation_bits} is not in the bit set"
        )
    if violations:
        return QEvaluation(  # a decision that breaks a rule has no costs
            partition=p, bits=bits, budget=inst.budget, violations=tuple(violations)
        )
    sent, quantized = sent_bits(inst, p, bits, decision.activation_bits)
    t_loc, e_loc, t_ser, c_ser = segment_costs(inst, p)
    d_w = float(sum(int(inst.w[layer]) * b for layer, b in enumerate(bits)))
    d_a = float(int(inst.a[p]) * sent)
    rate, power = inst.rate_bps, inst.device.tx_power_w
    t_tx, e_tx = (d_w + d_a) / rate, power * (d_w + d_a) / rate  # eqs. (15)-(16)
    wt, we, wc = inst.weights
    objective = wt * (t_loc + t_tx + t_ser) + we * (e_loc + e_tx) + wc * c_ser  # eq. (17)
    used = accuracy_used(inst, p, bits, sent, quantized)
    if used > inst.budget * (1 + BUDGET_TOL):
        violations.append(f"accuracy budget used {used:.6g} > C_A = {inst.budget:.6g}")
    mem = inst.device.memory_bits
    if mem is not None and d_w > mem:
        violations.append(f"device segment needs {d_w:.6g} bits > memory {mem:.6g}")
    return QEvaluation(
        partition=p,
        bits=bits,
        budget=inst.budget,
        violations=tuple(violations),
        sent_bits=sent,
        t_local=t_loc,
        e_local=e_loc,
        t_server=t_ser,
        c_server=c_ser,
        payload_weights=d_w,
        payload_activation=d_a,
        t_tx=t_tx,
        e_tx=e_tx,
        objective=objective,
        accuracy_used=used,
        memory_bits=d_w,
    )


def check_decision(inst: QInstance, decision: Decision, source: str) -> None:
    """A decision file for this instance: the partition point and bit-widths must be the instance's
    (one line naming the field; used by the CLI before evaluating)."""
    if decision.partition not in inst.partitions:
        raise InputError(
            source,
            "partition",
            f"{decision.partition} is not a partition point of {inst.name} "
            f"({', '.join(map(str, inst.partitions))})",
        )
    for n, b in enumerate(decision.bits):
        if b not in inst.bits:
            raise InputError(source, f"bits[{n}]", f"{b} is not in the bit set {list(inst.bits)}")
