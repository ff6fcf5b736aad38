"""Real quantization for QPART on a network that ships with the package: a 6-layer fully connected
classifier trained with scikit-learn on scikit-learn's digits (8x8 images, 10 classes; nothing is
downloaded). The paper's asymmetric uniform quantizer (eqs. (9)-(10)), per-layer sensitivities
measured on the logits, the robustness statistic, and the real accuracy of any decision.

Definitions (formulations/qpart.md, section 4; the paper's are lost):
* pi^W_l = mean ||Z(layer l's weights at b_ref bits) - Z||^2 * 4^b_ref over the calibration set (the
  training split), pi^A_l the same quantizing layer l's output activation (l = 0: the input);
* the adversarial margin r*_Z(x)^2 = min_k (z_top - z_k)^2 / 2 (DeepFool's linear case in logit
  space); for an accuracy demand A, t = the A-quantile of r*^2 over the calibration set, the same for
  every layer (isotropic noise: no per-layer directional factor);
* k = pi / t and C_A = 1: a total noise energy within t flips at most about a fraction A of the
  samples, if the noises add and are isotropic (assumptions the K8 check measures)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from partialload_opt.errors import InputError
from partialload_opt.results import Status

WEIGHTS = "digits-mlp.npz"
HIDDEN = (48, 40, 32, 24, 16)
B_REF = 8


def quantize(x: np.ndarray, bits: int) -> np.ndarray:
    """eqs. (9)-(10): Q(x) = Delta (clamp(round(x / Delta) + z, 0, 2^b - 1) - z), Delta = (max - min) /
    (2^b - 1), z = round(-min / Delta); min/max calibration per tensor, round to nearest."""
    lo, hi = float(np.min(x)), float(np.max(x))
    if hi == lo or bits >= 64:
        return x.copy()
    levels = 2**bits - 1
    delta = (hi - lo) / levels
    if delta == 0.0 or not np.isfinite(-lo / delta):
        return x.copy()  # a range below float resolution: nothing to round
    z = round(-lo / delta)
    return delta * (np.clip(np.round(x / delta) + z, 0, levels) - z)


@dataclass(frozen=True)
class Network:
    """The trained classifier: ReLU hidden layers, linear logits."""

    coefs: tuple[np.ndarray, ...]
    intercepts: tuple[np.ndarray, ...]
    meta: dict

    @property
    def widths(self) -> tuple[int, ...]:
        return (self.coefs[0].shape[0],) + tuple(c.shape[1] for c in self.coefs)

    def logits(self, X: np.ndarray, weight_bits=None, act_bits=None) -> np.ndarray:
        """Forward pass; ``weight_bits[l]`` quantizes layer l+1's weights and bias, ``act_bits[l]``
        the activation entering layer l+1 (index 0: the input), None: full precision."""
        h = X
        L = len(self.coefs)
        for layer in range(L):
            if act_bits is not None and act_bits[layer] is not None:
                h = quantize(h, act_bits[layer])
            W, b = self.coefs[layer], self.intercepts[layer]
            if weight_bits is not None and weight_bits[layer] is not None:
                W, b = quantize(W, weight_bits[layer]), quantize(b, weight_bits[layer])
            h = h @ W + b
            if layer < L - 1:
                h = np.maximum(h, 0.0)
        return h


def digits_split(seed: int = 0):
    """(X_train, X_test, y_train, y_test) of scikit-learn's digits, scaled to [0, 1]."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    X, y = load_digits(return_X_y=True)
    return train_test_split(X / 16.0, y, test_size=0.25, random_state=seed, stratify=y)


def train(seed: int = 0) -> Network:
    """Train the classifier (scikit-learn's MLPClassifier, Adam, early stopping off; about a second)."""
    from sklearn.neural_network import MLPClassifier

    Xtr, Xte, ytr, yte = digits_split(seed)
    clf = MLPClassifier(hidden_layer_sizes=HIDDEN, max_iter=600, random_state=seed, tol=1e-6)
    clf.fit(Xtr, ytr)
    import sklearn

    meta = {
        "seed": seed,
        "hidden": list(HIDDEN),
        "test_accuracy": float(clf.score(Xte, yte)),
        "scikit_learn": sklearn.__version__,
        "data": "sklearn.datasets.load_digits, 25% test split",
    }
    return Network(
        tuple(np.asarray(c, dtype=np.float64) for c in clf.coefs_),
        tuple(np.asarray(b, dtype=np.float64) for b in clf.intercepts_),
        meta,
    )


def save(net: Network, path: str | Path) -> None:
    arrays = {f"W{n}": c for n, c in enumerate(net.coefs)} | {
        f"b{n}": b for n, b in enumerate(net.intercepts)
    }
    np.savez_compressed(path, meta=np.array(json.dumps(net.meta)), **arrays)  # type: ignore[arg-type]


def load(path: str | Path | None = None) -> Network:
    """The shipped trained network (or one written by ``partialload qpart train``)."""
    source = (
        resources.files("partialload_opt.qpart.data").joinpath(WEIGHTS)
        if path is None
        else Path(path)
    )
    with source.open("rb") as f, np.load(f) as z:
        n = sum(1 for k in z.files if k.startswith("W"))
        return Network(
            tuple(z[f"W{i}"] for i in range(n)),
            tuple(z[f"b{i}"] for i in range(n)),
            json.loads(str(z["meta"])),
        )


def accuracy(net: Network, X, y, weight_bits=None, act_bits=None) -> float:
    return float(np.mean(net.logits(X, weight_bits, act_bits).argmax(axis=1) == y))


@dataclass(frozen=True)
class Sensitivity:
    pi_weights: tuple[float, ...]
    pi_activations: tuple[float, ...]  # layer l's output, l = 1..L (the logits' own is unused)
    pi_input: float
    margins_sq: np.ndarray  # r*_Z(x)^2 per calibration sample

    def robustness(self, demand: float) -> float:
        """t for an accuracy-drop demand A: the A-quantile of the squared adversarial margin."""
        return float(np.quantile(self.margins_sq, demand))


def sensitivity(net: Network, X: np.ndarray, b_ref: int = B_REF) -> Sensitivity:
    """pi^W, pi^A (eqs. (18)-(19)) and the margins, measured on ``X``."""
    L = len(net.coefs)
    z = net.logits(X)

    def energy(zq):
        return float(np.mean(np.sum((zq - z) ** 2, axis=1))) * 4.0**b_ref

    pi_w = tuple(
        energy(net.logits(X, [b_ref if n == layer else None for n in range(L)]))
        for layer in range(L)
    )
    acts = [
        energy(net.logits(X, None, [b_ref if n == layer else None for n in range(L)]))
        for layer in range(L)
    ]
    top = np.sort(z, axis=1)
    margins = (top[:, -1] - top[:, -2]) ** 2 / 2.0
    return Sensitivity(pi_w, tuple(acts[1:]) + (0.0,), acts[0], margins)


def decision_bits(inst, decision) -> tuple[list, list]:
    """(weight bit-widths per layer, activation bit-widths per layer input) that a decision applies
    to the network, under the instance's readings (server layers stay at full precision)."""
    from partialload_opt.qpart.evaluate import sent_bits

    L, p = inst.L, decision.partition
    weight_bits = [b for b in decision.bits] + [None] * (L - p)
    act_bits: list = [None] * L
    sent, quantized = sent_bits(inst, p, decision.bits, decision.activation_bits)
    if quantized and p < L:
        act_bits[p] = sent  # the tensor sent to the server enters layer p + 1
    if inst.reading("noise") == "weights+activations":
        for layer in range(1, p):
            act_bits[layer] = decision.bits[layer - 1]
    return weight_bits, act_bits


def decision_accuracy(net: Network, inst, decision, X, y) -> float:
    """The real accuracy of a decision on (X, y)."""
    weight_bits, act_bits = decision_bits(inst, decision)
    return accuracy(net, X, y, weight_bits, act_bits)


def check_digits(inst, source: str = "instance") -> None:
    """An InputError naming ``source`` unless the instance was made with ``--network digits``: only
    its decisions apply to the trained network."""
    if inst.network_name != "digits":
        raise InputError(
            source, "network.name", "must be 'digits' (the trained network) to measure"
        )


def measure(inst, decisions: Mapping, weights: str | Path | None = None) -> tuple[float, dict]:
    """(the unquantized network's test accuracy, each decision's real test accuracy by its key) on
    the trained digits network (``weights``, default the shipped one) of a digits instance."""
    check_digits(inst)
    net = load(weights)
    _, Xte, _, yte = digits_split(int(net.meta.get("seed", 0)))
    measured = {key: decision_accuracy(net, inst, d, Xte, yte) for key, d in decisions.items()}
    return accuracy(net, Xte, yte), measured


def measure_results(inst, results, weights: str | Path | None = None) -> tuple[float, dict]:
    """``measure`` of the decisions of solver runs (QResults; a run that ended in error or without a
    decision is left out), by solver name."""
    decisions = {
        r.solver: r.decision
        for r in results
        if r.decision is not None and r.status is not Status.ERROR
    }
    return measure(inst, decisions, weights)
