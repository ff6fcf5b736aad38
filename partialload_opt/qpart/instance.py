"""QPART instances (qpart-instance/1): the network, device, server and channel (the paper's Table II),
objective weights, the bit set, the accuracy budget C_A, per-layer sensitivities k = pi / t, and every
reading the paper leaves open as an explicit field with a default (formulations/qpart.md, section 1)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np

from partialload_opt import display
from partialload_opt.errors import InputError
from partialload_opt.fileio import atomic_write_json, read_json
from partialload_opt.networks import Layer
from partialload_opt.validation import validate_document

FORMAT = "qpart-instance/1"
READINGS = {
    "activation_bits": "shared",
    "input": "quantized",
    "noise": "weights+activations",
    "s_i": "payload",
    "reference_bits": 64,
}
"""The defaults of the open readings: the cut activation takes its layer's bit-width; the raw input is
quantized when everything is offloaded (Table III's accuracy at p = 0 differs from the baseline); the
constraint counts every device layer's weight noise and output-activation noise (eqs. (18)-(21) are
stated for layer i's weights and activation, and eq. (23) sums them over the device layers); s_i is
the payload weight; the unquantized reference is 64-bit (the paper's double precision)."""


OBJECTIVE = {"time": 1.0, "energy": 1.0, "cost": 1.0}
"""omega_t, omega_e, omega_c when a file leaves them out: the profile's (Table II's 1 and 1; omega_c,
never given, 1), so that a server price is never silently ignored."""


@dataclass(frozen=True)
class Device:
    clock_hz: float  # f_d
    cycles_per_mac: float  # c_d
    kappa: float  # energy per cycle = kappa f^2
    tx_power_w: float  # P
    memory_bits: float | None = None  # M_d (None: no memory constraint)


@dataclass(frozen=True)
class Server:
    clock_hz: float  # f_s
    cycles_per_mac: float  # c_s
    price_per_s: float  # mu


@dataclass(frozen=True)
class QInstance:
    """One QPART request. Partition p in 0..L-1: the device runs layers 1..p (convention C1)."""

    name: str
    network_name: str
    input_elements: int  # a_0
    layers: tuple[Layer, ...]
    device: Device
    server: Server
    rate_bps: float  # R
    weights: tuple[float, float, float]  # omega_t, omega_e, omega_c
    bits: tuple[int, ...]
    budget: float  # C_A
    k_weights: tuple[float, ...]  # k^W_l = pi^W_l / t_l
    k_activations: tuple[float, ...]  # k^A_l
    k_input: float  # k^A_0, the raw input's
    readings: dict = field(default_factory=lambda: dict(READINGS))
    meta: dict = field(default_factory=dict, compare=False)
    levels: tuple[
        float, ...
    ] = ()  # Algorithm 1's precomputed budgets C_1 < ... (empty: none given)

    @property
    def L(self) -> int:
        return len(self.layers)

    @cached_property
    def w(self) -> np.ndarray:
        """Parameters per layer."""
        return np.array([layer.params for layer in self.layers], dtype=np.int64)

    @cached_property
    def a(self) -> np.ndarray:
        """a[p]: elements sent at partition p (a[0] = the input)."""
        return np.array(
            [self.input_elements] + [layer.activations for layer in self.layers], dtype=np.int64
        )

    @cached_property
    def o(self) -> np.ndarray:
        """MACs per layer (eqs. (1)-(2))."""
        return np.array([layer.macs for layer in self.layers], dtype=np.float64)

    @cached_property
    def partitions(self) -> tuple[int, ...]:
        """Allowed partition points: 0 and every layer after which the network is a chain, < L."""
        return (0,) + tuple(p for p in range(1, self.L) if self.layers[p - 1].cut)

    def reading(self, name: str):
        return self.readings.get(name, READINGS[name])

    def __repr__(self) -> str:
        """One line: name, network, layers, partition points, bit set, budget (``to_dict()``: all)."""

        return (
            f"QInstance({self.name!r}, network {self.network_name!r}, L={self.L}, "
            f"{display.count(len(self.partitions), 'partition')}, bits {bit_set_text(self.bits)}, "
            f"C_A={display.number(self.budget)})"
        )

    def _repr_html_(self) -> str:
        """A notebook's summary: the request's numbers, then one row per layer."""
        dev, srv = self.device, self.server
        summary = display.fields(
            [
                ("network", f"{self.network_name}: {display.count(self.L, 'layer')}"),
                ("parameters", int(self.w.sum())),
                ("MACs", display.number(float(self.o.sum()))),
                ("partition points", ", ".join(map(str, self.partitions))),
                ("bits", bit_set_text(self.bits)),
                ("accuracy budget C_A", display.number(self.budget)),
                ("weights (time, energy, cost)", ", ".join(map(display.number, self.weights))),
                (
                    "device",
                    f"{display.number(dev.clock_hz / 1e9)} GHz, {display.number(dev.tx_power_w)} W",
                ),
                (
                    "server",
                    f"{display.number(srv.clock_hz / 1e9)} GHz, {display.number(srv.price_per_s)}/s",
                ),
                ("rate R", f"{display.number(self.rate_bps / 1e6)} Mbit/s"),
                ("readings", ", ".join(f"{k}={v}" for k, v in self.readings.items())),
            ]
        )
        layers = display.table(
            ["layer", "kind", "parameters", "MACs", "activations", "partition after"],
            [
                (
                    layer.name,
                    layer.kind,
                    int(self.w[n]),
                    display.number(float(self.o[n])),
                    int(self.a[n + 1]),
                    "yes" if n + 1 in self.partitions else "no",
                )
                for n, layer in enumerate(self.layers)
            ],
        )
        return display.card(repr(self), summary, layers)

    def to_dict(self) -> dict:
        layers = []
        for layer in self.layers:
            d = {
                "name": layer.name,
                "kind": layer.kind,
                "in_features": layer.in_features,
                "out_features": layer.out_features,
            }
            if layer.kind == "conv":
                d.update(
                    kernel=layer.kernel,
                    stride=layer.stride,
                    in_hw=list(layer.in_hw),
                    batch_norm=layer.batch_norm,
                )
            if not layer.cut:
                d["cut"] = False
            layers.append(d)
        dev = self.device
        return {
            "format": FORMAT,
            "name": self.name,
            "network": {
                "name": self.network_name,
                "input_elements": self.input_elements,
                "layers": layers,
            },
            "device": {
                "clock_hz": dev.clock_hz,
                "cycles_per_mac": dev.cycles_per_mac,
                "kappa": dev.kappa,
                "tx_power_w": dev.tx_power_w,
                "memory_bits": dev.memory_bits,
            },
            "server": {
                "clock_hz": self.server.clock_hz,
                "cycles_per_mac": self.server.cycles_per_mac,
                "price_per_s": self.server.price_per_s,
            },
            "channel": {"rate_bps": self.rate_bps},
            "objective": dict(zip(("time", "energy", "cost"), self.weights)),
            "bits": list(self.bits),
            "accuracy_budget": self.budget,
            "sensitivity": {
                "weights": list(self.k_weights),
                "activations": list(self.k_activations),
                "input": self.k_input,
            },
            "readings": dict(self.readings),
            **({"accuracy_levels": list(self.levels)} if self.levels else {}),
            "meta": dict(self.meta),
        }


def channel_rate(channel: dict, power_w: float) -> float:
    """R: given, or eqs. (11)-(13): h = beta g (``gain``), SNR = P h / noise, R = B_w log2(1 + SNR)."""
    if "rate_bps" in channel:
        return float(channel["rate_bps"])
    snr = power_w * channel["gain"] / channel["noise_w"]  # eqs. (11)-(12)
    return float(channel["bandwidth_hz"] * math.log2(1.0 + snr))  # eq. (13)


def _numbers(node, path: str):
    """(field path, value) of every number in a JSON node (booleans are not numbers)."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _numbers(value, f"{path}.{key}" if path else key)
    elif isinstance(node, list):
        for n, value in enumerate(node):
            yield from _numbers(value, f"{path}[{n}]")
    elif isinstance(node, float):
        yield path, node


def _require_finite(doc: dict, source: str) -> None:
    """NaN and infinity pass a JSON Schema's bounds: every number outside ``meta`` must be finite."""
    for path, value in _numbers({k: v for k, v in doc.items() if k != "meta"}, ""):
        if not math.isfinite(value):
            raise InputError(source, path, f"must be a finite number (got {value!r})")


def qinstance_from_dict(doc, source: str = "<qpart instance>") -> QInstance:
    """Validate (schema, then the rules a schema cannot say) and build; InputError names the field."""
    if isinstance(doc, dict):  # before the schema, whose bounds NaN and infinity slip through
        _require_finite(doc, source)
    validate_document(doc, FORMAT, source)
    net = doc["network"]
    layers = tuple(
        Layer(
            d["name"],
            d["kind"],
            d["in_features"],
            d["out_features"],
            d.get("kernel", 1),
            d.get("stride", 1),
            tuple(d.get("in_hw", (1, 1))),
            d.get("batch_norm", False),
            d.get("cut", True),
        )
        for d in net["layers"]
    )
    L = len(layers)
    sens = doc["sensitivity"]
    for key in ("weights", "activations"):
        if len(sens[key]) != L:
            raise InputError(
                source,
                f"sensitivity.{key}",
                f"must list one value per layer ({L}, got {len(sens[key])})",
            )
    for n, layer in enumerate(layers):
        if layer.kind == "conv" and layer.out_hw[0] < 1:
            raise InputError(source, f"network.layers[{n}].in_hw", "is smaller than the kernel")
    readings = dict(READINGS, **doc.get("readings", {}))
    obj = {**OBJECTIVE, **doc.get("objective", {})}
    dev, srv = doc["device"], doc["server"]
    return QInstance(
        doc["name"],
        net["name"],
        net["input_elements"],
        layers,
        Device(
            dev["clock_hz"],
            dev["cycles_per_mac"],
            dev["kappa"],
            dev["tx_power_w"],
            dev.get("memory_bits"),
        ),
        Server(srv["clock_hz"], srv["cycles_per_mac"], srv["price_per_s"]),
        channel_rate(doc["channel"], doc["device"]["tx_power_w"]),
        (obj["time"], obj["energy"], obj["cost"]),
        tuple(sorted(doc["bits"])),
        doc["accuracy_budget"],
        tuple(sens["weights"]),
        tuple(sens["activations"]),
        sens["input"],
        readings,
        dict(doc.get("meta", {})),
        tuple(sorted(doc.get("accuracy_levels", ()))),
    )


def load_qinstance(path: str | Path) -> QInstance:
    return qinstance_from_dict(read_json(path), str(path))


def save_qinstance(inst: QInstance, path: str | Path) -> None:
    atomic_write_json(path, inst.to_dict())


def bit_set_text(bits) -> str:
    """The bit set as read: ``2..16`` when it is every width between its ends, else ``{2, 28}``."""
    bits = sorted(bits)
    if len(bits) > 2 and bits == list(range(bits[0], bits[-1] + 1)):
        return f"{bits[0]}..{bits[-1]}"
    return "{" + ", ".join(map(str, bits)) + "}"
