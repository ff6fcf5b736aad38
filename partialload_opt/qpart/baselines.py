"""The two compression baselines of QPART's Section V (Figs. 7-10, Table III) on the trained digits
network, measured: autoencoder-based offloading (an encoder on the device and a decoder on the server
compress the cut activation; Hu et al., the paper's [17]/[35]) and pruning-based offloading (neurons of
the device layers pruned, then a short retrain, until the accuracy drop matches QPART's; the paper's
[44]-[45]). Accuracy is measured on the test split; time, energy, server cost and payload come from
the one QPART evaluator, on an instance whose layers are what the scheme runs (formulations/qpart.md,
section 6)."""

from __future__ import annotations

import dataclasses
import math
import warnings
from dataclasses import dataclass

import numpy as np

from partialload_opt.networks import Layer, mlp
from partialload_opt.qpart import quantize as q
from partialload_opt.qpart.evaluate import Decision, QEvaluation, evaluate
from partialload_opt.qpart.instance import QInstance

BOTTLENECK = 0.5
"""The autoencoder's bottleneck width as a fraction of the cut activation (rounded up; the paper's is
not given, only that the autoencoder "slightly reduces" the payload): the sent tensor halved."""
AE_EPOCHS = 200
"""At most this many Adam epochs for each autoencoder (scikit-learn's MLPRegressor, seeded)."""
PRUNE_FRACTIONS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
"""The share of every device layer's neurons pruned, tried from the largest down."""
RETRAIN_EPOCHS = 30
"""Epochs of the short retrain after pruning (Adam on the training split, seeded)."""


@dataclass(frozen=True)
class SchemeCost:
    """What one scheme runs at one partition: the instance and decision the evaluator scores, the
    evaluation, the measured test accuracy and the scheme's own parameters."""

    instance: QInstance
    decision: Decision
    evaluation: QEvaluation
    accuracy: float
    detail: dict


def unquantized(inst: QInstance, layers: tuple[Layer, ...]) -> QInstance:
    """``inst`` with these layers, every tensor at the reference width and no accuracy budget (the
    baselines do not quantize): what the evaluator scores a baseline on."""
    ref = int(inst.reading("reference_bits"))
    extra = len(layers) - inst.L
    pad = (0.0,) * max(extra, 0)
    return dataclasses.replace(
        inst,
        layers=layers,
        bits=tuple(sorted(set(inst.bits) | {ref})),
        budget=math.inf,
        k_weights=(inst.k_weights + pad)[: len(layers)],
        k_activations=(inst.k_activations + pad)[: len(layers)],
        levels=(),
    )


def reference_decision(inst: QInstance, p: int) -> Decision:
    """Partition p, every device layer and the sent tensor at the reference width."""
    ref = int(inst.reading("reference_bits"))
    own = p == 0 or inst.reading("activation_bits") == "separate"
    return Decision(partition=p, bits=(ref,) * p, activation_bits=ref if own else None)


def _forward(net: q.Network, X: np.ndarray, start: int, stop: int) -> np.ndarray:
    """Layers start+1..stop of the network on X (ReLU after every hidden layer)."""
    h = X
    for layer in range(start, stop):
        h = h @ net.coefs[layer] + net.intercepts[layer]
        if layer < len(net.coefs) - 1:
            h = np.maximum(h, 0.0)
    return h


def autoencoder(
    inst: QInstance, net: q.Network, p: int, Xtr, Xte, yte, seed: int = 0
) -> SchemeCost:
    """Autoencoder-based offloading at partition p: the device runs layers 1..p and an encoder
    (a_p -> m, ReLU), sends the m-element code at the reference width, and the server runs the decoder
    (m -> a_p, clipped at 0 after a ReLU layer) and layers p+1..L. The encoder and decoder are one
    MLPRegressor trained to reconstruct layer p's output on the training split."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPRegressor

    a_p = int(inst.a[p])
    m = max(1, math.ceil(BOTTLENECK * a_p))
    ae = MLPRegressor(hidden_layer_sizes=(m,), max_iter=AE_EPOCHS, random_state=seed, tol=1e-6)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ae.fit(_forward(net, Xtr, 0, p), _forward(net, Xtr, 0, p))
    (W_enc, W_dec), (b_enc, b_dec) = ae.coefs_, ae.intercepts_
    code = np.maximum(_forward(net, Xte, 0, p) @ W_enc + b_enc, 0.0)
    decoded = code @ W_dec + b_dec
    if p > 0:  # layer p's output is a ReLU's: the server clips the reconstruction likewise
        decoded = np.maximum(decoded, 0.0)
    logits = _forward(net, decoded, p, len(net.coefs))
    accuracy = float(np.mean(logits.argmax(axis=1) == yte))
    layers = (
        inst.layers[:p]
        + (Layer("encoder", "linear", a_p, m), Layer("decoder", "linear", m, a_p))
        + inst.layers[p:]
    )
    scored = unquantized(inst, layers)
    decision = reference_decision(scored, p + 1)  # the device runs 1..p and the encoder
    detail = {"bottleneck": m}
    return SchemeCost(scored, decision, evaluate(scored, decision), accuracy, detail)


def prune(net: q.Network, p: int, fraction: float) -> q.Network:
    """Remove ``fraction`` of the neurons of each device layer 1..p (at least one kept), those with the
    smallest incoming weight norm; the next layer loses the matching inputs."""
    coefs, intercepts = list(net.coefs), list(net.intercepts)
    for layer in range(p):
        W = coefs[layer]
        keep_n = max(1, W.shape[1] - int(round(fraction * W.shape[1])))
        keep = np.sort(np.argsort(-np.linalg.norm(W, axis=0), kind="stable")[:keep_n])
        coefs[layer], intercepts[layer] = W[:, keep], intercepts[layer][keep]
        coefs[layer + 1] = coefs[layer + 1][keep, :]
    return q.Network(tuple(coefs), tuple(intercepts), dict(net.meta, pruned=fraction))


def retrain(net: q.Network, Xtr, ytr, seed: int = 0) -> q.Network:
    """A short retrain of the pruned network from its pruned weights (MLPClassifier, Adam)."""
    from sklearn.neural_network import MLPClassifier

    clf = MLPClassifier(hidden_layer_sizes=net.widths[1:-1], random_state=seed)
    classes = np.unique(ytr)
    clf.partial_fit(Xtr[:1], ytr[:1], classes=classes)  # builds the layers and Adam's state
    clf.coefs_ = [c.copy() for c in net.coefs]
    clf.intercepts_ = [b.copy() for b in net.intercepts]
    rng = np.random.default_rng(seed)
    for _ in range(RETRAIN_EPOCHS):
        order = rng.permutation(len(ytr))
        for start in range(0, len(order), 200):
            batch = order[start : start + 200]
            clf.partial_fit(Xtr[batch], ytr[batch])
    return q.Network(
        tuple(np.asarray(c) for c in clf.coefs_),
        tuple(np.asarray(b) for b in clf.intercepts_),
        net.meta,
    )


def pruning(
    inst: QInstance, net: q.Network, p: int, target_drop: float, Xtr, ytr, Xte, yte, seed: int = 0
) -> SchemeCost:
    """Pruning-based offloading at partition p: the largest fraction of PRUNE_FRACTIONS whose
    retrained network loses at most ``target_drop`` of test accuracy (QPART's drop there), else none
    pruned; every tensor at the reference width."""
    base = q.accuracy(net, Xte, yte)
    chosen, accuracy = net, base
    fraction = 0.0
    if p > 0:
        for f in sorted(PRUNE_FRACTIONS, reverse=True):
            cand = retrain(prune(net, p, f), Xtr, ytr, seed)
            acc = q.accuracy(cand, Xte, yte)
            if base - acc <= target_drop + 1e-12:
                chosen, accuracy, fraction = cand, acc, f
                break
    scored = unquantized(inst, tuple(mlp(chosen.widths)))
    decision = reference_decision(scored, p)
    detail = {"pruned_fraction": fraction, "widths": list(chosen.widths)}
    return SchemeCost(scored, decision, evaluate(scored, decision), accuracy, detail)
