"""QPART instances: a network from the shared catalogue (networks.py) or a random MLP, the paper's
Table II constants (partialload_opt/profiles/qpart-table2.json, each value with its source), synthetic
per-layer sensitivities, and a budget C_A that uniform ``reference`` bits exactly use. Real
sensitivities come from quantizing a trained network (issue 14's next step)."""

from __future__ import annotations

import json
from importlib import resources

import numpy as np

from partialload_opt.errors import InputError
from partialload_opt.networks import RESNET_STAGES, Layer, mlp, resnet
from partialload_opt.qpart.instance import READINGS, Device, QInstance, Server

NETWORKS = ("mlp", *RESNET_STAGES, "random", "digits")
LEVEL_DEMANDS = (0.005, 0.01, 0.02, 0.05, 0.1)
"""The digits network's five accuracy levels (accuracy-drop demands; the paper's values are lost)."""
LEVEL_BITS = (4, 6, 8, 10, 12)
"""Algorithm 1's five levels (the paper's values are lost): the budgets uniform widths of 4..12 use."""


def table2() -> dict:
    """The profile's values (sources in the file)."""
    doc = json.loads(
        resources.files("partialload_opt.profiles").joinpath("qpart-table2.json").read_text("utf-8")
    )

    def values(node):
        if isinstance(node, dict) and "value" in node:
            return node["value"]
        return (
            {k: values(v) for k, v in node.items() if k != "description"}
            if isinstance(node, dict)
            else node
        )

    return values(doc)


def network(
    name: str, rng: np.random.Generator, layers: int | None = None
) -> tuple[list[Layer], int]:
    """(layers, input elements) of a catalogue network, or a random MLP of ``layers`` layers."""
    if name == "mlp":
        return mlp(), 784
    if name in RESNET_STAGES:
        return resnet(name), 3 * 224 * 224
    if name == "random":
        n = layers or int(rng.integers(2, 7))
        widths = (int(rng.integers(8, 65)),) + tuple(int(rng.integers(4, 65)) for _ in range(n))
        return mlp(widths), widths[0]
    raise InputError("--network", name, f"must be one of {', '.join(NETWORKS)}")


def digits(
    demand: float = 0.01,
    price_per_s: float | None = None,
    readings: dict | None = None,
    weights: str | None = None,
) -> QInstance:
    """The trained digits classifier (quantize.py) as a QPART instance: sensitivities k = pi / t
    measured on the training split with t for the accuracy-drop ``demand``, budget C_A = 1, and
    Algorithm 1's levels at LEVEL_DEMANDS as budgets t(A_k) / t(demand)."""
    from partialload_opt.networks import mlp as mlp_layers
    from partialload_opt.qpart import quantize as q

    if not 0 < demand < 1:
        raise InputError("--demand", str(demand), "must be an accuracy-drop fraction in (0, 1)")
    net = q.load(weights)
    Xtr, _, _, _ = q.digits_split(int(net.meta.get("seed", 0)))
    sens = q.sensitivity(net, Xtr)
    t = sens.robustness(demand)
    t2 = table2()
    dev, srv = t2["device"], t2["server"]
    return QInstance(
        f"qpart-digits-a{demand:g}",
        "digits",
        net.widths[0],
        tuple(mlp_layers(net.widths)),
        Device(
            dev["clock_hz"],
            dev["cycles_per_mac"],
            dev["kappa"],
            dev["tx_power_w"],
            dev["memory_bits"],
        ),
        Server(
            srv["clock_hz"],
            srv["cycles_per_mac"],
            srv["price_per_s"] if price_per_s is None else price_per_s,
        ),
        t2["channel"]["rate_bps"],
        (t2["objective"]["time"], t2["objective"]["energy"], t2["objective"]["cost"]),
        tuple(t2["bits"]),
        1.0,
        tuple(x / t for x in sens.pi_weights),
        tuple(x / t for x in sens.pi_activations),
        sens.pi_input / t,
        {**READINGS, "reference_bits": t2["reference_bits"], **(readings or {})},
        {
            "generator": "partialload_opt.qpart.generate.digits",
            "demand": demand,
            "robustness_t": t,
            "network": net.meta,
            "sensitivities": "measured (quantize.sensitivity, b_ref = 8)",
        },
        tuple(sorted(sens.robustness(a) / t for a in LEVEL_DEMANDS)),
    )


def generate(
    name: str = "mlp",
    seed: int = 0,
    layers: int | None = None,
    reference: int = 8,
    price_per_s: float | None = None,
    readings: dict | None = None,
) -> QInstance:
    """A QPART instance; C_A is what every quantized tensor at ``reference`` bits uses."""
    if name == "digits":
        return digits(price_per_s=price_per_s, readings=readings)
    rng = np.random.default_rng(seed)
    net, inputs = network(name, rng, layers)
    t2 = table2()
    L = len(net)
    k_w = tuple(float(x) for x in 10 ** rng.uniform(-1, 1, L))
    k_a = tuple(float(x) for x in 10 ** rng.uniform(-1, 1, L))
    k_in = float(10 ** rng.uniform(-1, 1))
    budget = float((sum(k_w) + sum(k_a) + k_in) * 4.0**-reference)
    dev, srv = t2["device"], t2["server"]
    price = srv["price_per_s"] if price_per_s is None else price_per_s
    return QInstance(
        f"qpart-{name}{'' if layers is None else f'-l{layers}'}-seed{seed}",
        name,
        inputs,
        tuple(net),
        Device(
            dev["clock_hz"],
            dev["cycles_per_mac"],
            dev["kappa"],
            dev["tx_power_w"],
            dev["memory_bits"],
        ),
        Server(srv["clock_hz"], srv["cycles_per_mac"], price),
        t2["channel"]["rate_bps"],
        (t2["objective"]["time"], t2["objective"]["energy"], t2["objective"]["cost"]),
        tuple(t2["bits"]),
        budget,
        k_w,
        k_a,
        k_in,
        {**READINGS, "reference_bits": t2["reference_bits"], **(readings or {})},
        {
            "generator": "partialload_opt.qpart.generate",
            "seed": seed,
            "reference_bits_budget": reference,
            "sensitivities": "synthetic: log-uniform in [0.1, 10]",
            "accuracy_levels": f"the budgets every tensor at {', '.join(map(str, LEVEL_BITS))} bits uses",
        },
        tuple(sorted(float((sum(k_w) + sum(k_a) + k_in) * 4.0**-r) for r in LEVEL_BITS)),
    )
