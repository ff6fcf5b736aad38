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


def test_an_evaluation_says_what_it_is_in_one_line():
    inst = load_qinstance(TINY)
    assert repr(evaluate(inst, Decision(1, (4,)))) == (
        "QEvaluation(partition 1, bits [4], objective 0.1123, accuracy used 0.007812 of C_A 0.1, "
        "feasible)"
    )
    assert repr(evaluate(inst, Decision(1, (2,)))).endswith("of C_A 0.1, 1 violation)")
    assert repr(evaluate(inst, Decision(2, (4, 4)))) == (
        "QEvaluation(partition 2, bits [4, 4], 1 violation)"  # no costs: a rule is broken
    )


def test_an_evaluations_html_escapes_and_shows_every_term():
    import dataclasses

    ev = evaluate(load_qinstance(TINY), Decision(1, (4,)))
    html = ev._repr_html_()
    for fact in (">8 ms<", ">48 ms<", ">200 us<", ">0.0001<", ">48<", ">0.1123<", "of C_A 0.1"):
        assert fact in html, fact  # t_local, t_tx, t_server, c_server, payload, objective, budget
    html = dataclasses.replace(ev, violations=("<b> & co",))._repr_html_()
    assert "<b>" not in html and "&lt;b&gt; &amp; co" in html


def test_an_evaluation_draws_the_device_the_upload_and_the_server_in_turn():
    import matplotlib.pyplot as plt

    ax = evaluate(load_qinstance(TINY), Decision(1, (4,))).plot()
    try:
        bars = [(p.get_x(), p.get_width()) for p in ax.patches]
        assert [round(x, 9) for x, _ in bars] == [0, 8, 56]  # ms: each starts as the last ends
        assert ax.get_title() == "partition 1: objective 0.1123"
    finally:
        plt.close(ax.figure)
