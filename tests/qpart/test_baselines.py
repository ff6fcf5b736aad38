"""Section V's autoencoder and pruning baselines: what they send and run is scored by the one QPART
evaluator, and their accuracy is measured on the test split."""

from __future__ import annotations

import numpy as np
import pytest

from partialload_opt.qpart import baselines
from partialload_opt.qpart import quantize as q
from partialload_opt.qpart.generate import digits


@pytest.fixture(scope="module")
def setting():
    net = q.load()
    Xtr, Xte, ytr, yte = q.digits_split(0)
    return digits(0.01, 300.0), net, (Xtr, Xte, ytr, yte)


def test_the_autoencoder_sends_its_code_and_the_encoder_and_runs_both_halves(setting):
    inst, net, (Xtr, Xte, ytr, yte) = setting
    p = 5
    got = baselines.autoencoder(inst, net, p, Xtr, Xte, yte)
    m, a_p, ref = got.detail["bottleneck"], int(inst.a[p]), 64
    assert m == int(np.ceil(baselines.BOTTLENECK * a_p))
    encoder = a_p * m + m
    assert got.evaluation.payload == (int(inst.w[:p].sum()) + encoder) * ref + m * ref
    assert (
        got.evaluation.t_local
        > inst.device.cycles_per_mac * inst.o[:p].sum() / inst.device.clock_hz
    )
    assert got.evaluation.feasible and 0.1 < got.accuracy <= 1.0


def test_pruning_removes_device_neurons_and_keeps_the_accuracy_drop_within_the_target(setting):
    inst, net, (Xtr, Xte, ytr, yte) = setting
    pruned = baselines.prune(net, 2, 0.5)
    assert pruned.widths == (64, 24, 20, 32, 24, 16, 10)  # layers 1..2 halved, layer 3 loses inputs
    target = 0.5  # loose: the largest fraction tried passes
    got = baselines.pruning(inst, net, 1, target, Xtr, ytr, Xte, yte)
    base = q.accuracy(net, Xte, yte)
    assert got.detail["pruned_fraction"] == max(baselines.PRUNE_FRACTIONS)
    assert base - got.accuracy <= target
    assert (
        got.evaluation.payload
        < baselines.evaluate(
            baselines.unquantized(inst, inst.layers), baselines.reference_decision(inst, 1)
        ).payload
    )
    nothing = baselines.pruning(inst, net, 0, 0.0, Xtr, ytr, Xte, yte)  # no device layer at p = 0
    assert nothing.detail["pruned_fraction"] == 0.0 and nothing.accuracy == base
