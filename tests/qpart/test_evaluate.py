"""The QPART evaluator on the hand-worked instance, and the decision rules it enforces."""

from __future__ import annotations

import math

import pytest

from partialload_opt.qpart import Decision, evaluate, load_qinstance

from conftest import INSTANCES

TINY = INSTANCES / "qpart" / "tiny-handmade.json"


def test_the_hand_worked_terms():  # instances/qpart/README.md
    inst = load_qinstance(TINY)
    ev = evaluate(inst, Decision(1, (4,)))
    assert ev.feasible
    expected = {
        "t_local": 0.008,
        "e_local": 0.008,
        "t_server": 0.0002,
        "c_server": 0.0001,
        "payload_weights": 40,
        "payload_activation": 8,
        "t_tx": 0.048,
        "e_tx": 0.048,
        "objective": 0.1123,
        "accuracy_used": 0.0078125,
    }
    for key, value in expected.items():
        assert math.isclose(getattr(ev, key), value, rel_tol=1e-12), key
    ev0 = evaluate(inst, Decision(0, (), 2))
    assert (
        ev0.feasible
        and math.isclose(ev0.objective, 0.0175)
        and math.isclose(ev0.accuracy_used, 0.0625)
    )


@pytest.mark.parametrize(
    "decision, rule",
    [
        (Decision(2, (4, 4)), "partition 2 is not a partition point"),
        (Decision(1, (4, 4)), "2 bit-widths for partition 1"),
        (Decision(1, (3,)), "3 bits is not in the bit set"),
        (Decision(0, (), None), "the sent tensor's bit-width None"),
        (Decision(1, (2,)), "accuracy budget used 0.125 > C_A = 0.1"),
    ],
)
def test_a_decision_that_breaks_a_rule_says_which(decision, rule):
    ev = evaluate(load_qinstance(TINY), decision)
    assert not ev.feasible and any(rule in v for v in ev.violations), ev.violations


def test_the_readings_change_what_is_sent_and_counted():
    import dataclasses

    inst = load_qinstance(TINY)
    sep = dataclasses.replace(inst, readings=dict(inst.readings, activation_bits="separate"))
    ev = evaluate(sep, Decision(1, (4,), 8))
    assert ev.sent_bits == 8 and ev.payload_activation == 16
    assert math.isclose(ev.accuracy_used, 4.0**-4 + 4.0**-8)
    ref = dataclasses.replace(inst, readings=dict(inst.readings, input="reference"))
    ev = evaluate(ref, Decision(0, ()))
    assert ev.sent_bits == 64 and ev.accuracy_used == 0 and ev.payload == 4 * 64
    weights_only = dataclasses.replace(inst, readings=dict(inst.readings, noise="weights"))
    assert math.isclose(evaluate(weights_only, Decision(1, (4,))).accuracy_used, 4.0**-4)
