"""The one evaluator on hand-computed cases (instances/handmade/README.md has the arithmetic)."""

from __future__ import annotations

import pytest

from partialload_opt.partialloading.schedule import (
    Batch,
    Schedule,
    evaluate,
    load_schedule,
    save_schedule,
)

from conftest import handmade


def sched(inst, *batches, bandwidth="optimal"):
    return Schedule(tuple(Batch(m, tuple(us)) for m, us in batches), bandwidth, inst.name)


def test_h1_two_batches_the_second_ends_exactly_at_the_deadline():
    """Batch {u1,u2}: upload 1+2 = 3 ms (sum, Prop. 1) + load 2 + compute 2*1+2 = 4 -> 9 ms.
    Batch {u3}: upload 3 + load 0 (same model) + compute 1+2 -> 15 ms = Tbar: served."""
    inst = handmade("h1-batching")
    ev = evaluate(inst, sched(inst, ("M", ["u1", "u2"]), ("M", ["u3"])))
    b0, b1 = ev.batches
    assert (b0.upload_s, b0.load_s, b0.compute_s) == pytest.approx((0.003, 0.002, 0.004))
    assert b0.end_s == pytest.approx(0.009)
    assert (b1.upload_s, b1.load_s, b1.load_bytes, b1.compute_s) == pytest.approx(
        (0.003, 0.0, 0.0, 0.003)
    )
    assert b1.end_s == pytest.approx(0.015)
    assert ev.served == 3 and ev.feasible and ev.makespan_s == pytest.approx(0.015)


def test_h1_slot_rounding_one_segment_of_15ms_takes_4_slots_of_4ms():
    """One segment (both batches are model M) of 15 ms -> ceil(15/4) = 4 slots > T = 3: nobody
    served; the first batch alone is 9 ms -> 3 slots <= 3: 2 served."""
    inst = handmade("h1-batching")
    assert inst.T == 3
    ev = evaluate(inst, sched(inst, ("M", ["u1", "u2"]), ("M", ["u3"])), semantics="slotted")
    assert ev.slots_used == 4 and ev.served == 0 and not ev.feasible
    assert "ends at slot 4 > T = 3" in ev.violations[0]
    ev = evaluate(inst, sched(inst, ("M", ["u1", "u2"])), semantics="slotted")
    assert ev.slots_used == 3 and ev.served == 2 and ev.feasible


def test_slot_rounding_does_not_round_up_an_exact_multiple():
    """h4: X, Y, Z take 6 + 4 + 2 = 12 ms in three segments of 6, 4, 2 slots of 1 ms: T = 12."""
    inst = handmade("h4-ascending-l")
    ev = evaluate(
        inst, sched(inst, ("X", ["uX"]), ("Y", ["uY"]), ("Z", ["uZ"])), semantics="slotted"
    )
    assert [b.slot_end for b in ev.batches] == [6, 10, 12]
    assert ev.served == 3 and ev.feasible


def test_eq16_note_sum_not_max_of_the_batch():
    """h2: {u1 (1 ms), u2 (3 ms)} uploads in 4 ms (sum), not 3 ms (eq. (16)'s slowest user);
    + load 1 ms = 5 ms > Tbar = 4.5 ms. Under the max reading it would end at 4 ms and be served."""
    inst = handmade("h2-eq16-sum-vs-max")
    ev = evaluate(inst, sched(inst, ("M", ["u1", "u2"])))
    assert ev.batches[0].upload_s == pytest.approx(0.004)
    max_reading = inst.p.max() / inst.bandwidth_hz + ev.batches[0].load_s
    assert max_reading <= inst.deadline_s < ev.batches[0].end_s
    assert ev.served == 0
    # and no explicit split of the band achieves the max reading's 3 ms
    for y1 in (0.1, 0.25, 0.5, 0.75, 0.9):
        ev_y = evaluate(
            inst, sched(inst, ("M", ["u1", "u2"]), bandwidth={"fractions": [[y1, 1 - y1]]})
        )
        assert ev_y.batches[0].upload_s >= 0.004 - 1e-12


def test_h3_shared_vs_independent_loading():
    """A, B, C: 7 + 5 + 5 = 17 ms = Tbar with sharing; 7 + 9 + 5 = 21 ms independent."""
    inst = handmade("h3-abc")
    s = sched(inst, ("A", ["uA"]), ("B", ["uB"]), ("C", ["uC"]))
    shared = evaluate(inst, s)
    assert [b.end_s for b in shared.batches] == pytest.approx([0.007, 0.012, 0.017])
    assert shared.served == 3
    ind = evaluate(inst, s, loading="independent")
    assert [b.end_s for b in ind.batches] == pytest.approx([0.007, 0.016, 0.021])
    assert ind.served == 2 and not ind.feasible  # the batch of C ends at 21 ms


def test_equal_bandwidth_upload_and_cap():
    """Equal split, r = 2 sub-channels: {u1,u2} upload max(1,3) ms * 2 = 6 ms; 3 users > r."""
    inst = handmade("h2-eq16-sum-vs-max")
    ev = evaluate(inst, sched(inst, ("M", ["u1", "u2"])), bandwidth="equal:2")
    assert ev.batches[0].upload_s == pytest.approx(0.006)
    inst1 = handmade("h1-batching")
    ev = evaluate(inst1, sched(inst1, ("M", ["u1", "u2", "u3"])), bandwidth="equal:2")
    assert any("only 2 equal sub-channels" in v for v in ev.violations)


@pytest.mark.parametrize(
    "batches,needle",
    [
        ([("M", ["u1"]), ("M", ["u1"])], "scheduled twice"),
        ([("M", [])], "empty batch"),
        ([("Q", ["u1"])], "'Q' is not a model id"),
        ([("M", ["zz"])], "'zz' is not a user id"),
        ([("M", ["u1", "u2", "u3"])], "exceed b_max = 2"),
    ],
)
def test_violations_are_plain_sentences(batches, needle):
    inst = handmade("h1-batching")
    ev = evaluate(inst, sched(inst, *batches))
    assert not ev.feasible
    assert any(needle in v for v in ev.violations), ev.violations


def test_user_of_the_wrong_model_and_fractions_over_one():
    inst = handmade("h3-abc")
    ev = evaluate(inst, sched(inst, ("A", ["uB"])))
    assert any("requests 'B', not 'A'" in v for v in ev.violations)
    ev = evaluate(inst, sched(inst, ("A", ["uA"]), bandwidth={"fractions": [[1.5]]}))
    assert any("sum to 1.5 > 1" in v for v in ev.violations)


def test_schedule_round_trip_and_gantt(tmp_path):
    inst = handmade("h1-batching")
    s = sched(inst, ("M", ["u1", "u2"]), ("M", ["u3"]))
    save_schedule(s, tmp_path / "s.json")
    assert load_schedule(tmp_path / "s.json") == s
    from partialload_opt.partialloading.gantt import save_gantt

    for semantics in ("continuous", "slotted"):
        save_gantt(evaluate(inst, s, semantics=semantics), tmp_path / f"g-{semantics}.png")
        assert (tmp_path / f"g-{semantics}.png").read_bytes()[:4] == b"\x89PNG"


def test_semantics_are_parsed_once_and_behave_as_their_names():
    import pytest

    from partialload_opt.errors import InputError
    from partialload_opt.partialloading.schedule import Semantics

    s = Semantics.parse("slotted")
    assert (
        s is Semantics.SLOTTED and s == "slotted" and {"slotted": 1}[s] == 1 and f"{s}" == "slotted"
    )
    with pytest.raises(InputError, match="semantics: discrete must be continuous or slotted"):
        Semantics.parse("discrete")


def test_a_schedule_and_its_evaluation_say_what_they_are_in_one_line():
    inst = handmade("h1-batching")
    s = sched(inst, ("M", ["u1", "u2"]), ("M", ["u3"]))
    assert (
        repr(s)
        == "Schedule(2 batches, 1 model, 3 users, bandwidth optimal, instance 'h1-batching')"
    )
    assert repr(Schedule([("M", ["u1"])], "equal:2")) == (
        "Schedule(1 batch, 1 model, 1 user, bandwidth equal:2)"
    )
    assert repr(evaluate(inst, s)) == (
        "Evaluation(continuous, served 3, feasible, 2 batches, makespan 15 ms, deadline 15 ms)"
    )
    late = evaluate(inst, sched(inst, ("M", ["u1"]), ("M", ["u2"]), ("M", ["u3"])), "slotted")
    assert repr(late).startswith("Evaluation(slotted, served ") and " violation" in repr(late)
    assert "slots, deadline 15 ms)" in repr(late)


def test_equal_schedules_stay_equal_and_hash_alike():
    inst = handmade("h1-batching")
    a = sched(inst, ("M", ["u1", "u2"]))
    b = Schedule.from_ids(inst, [("M", ["u1", "u2"])], meta={"note": "meta is not compared"})
    assert a == b and hash(a) == hash(b)


def test_schedule_and_evaluation_html_escape_ids_and_show_the_timeline():
    from dataclasses import replace

    inst = handmade("h1-batching")
    s = Schedule([("M", ["u1", "<u2>"])], instance="h1")
    html = s._repr_html_()
    assert "<u2>" not in html and "&lt;u2&gt;" in html and "u1, &lt;u2&gt;" in html
    ev = evaluate(inst, s)  # '<u2>' is not a user: a violation, escaped too
    assert "&#x27;&lt;u2&gt;&#x27; is not a user id" in ev._repr_html_()
    ok = evaluate(inst, sched(inst, ("M", ["u1", "u2"]), ("M", ["u3"])))
    html = ok._repr_html_()
    assert ">9<" in html and ">15<" in html and ">yes<" in html  # end times (ms), on time
    assert "<strong>Evaluation(continuous, served 3," in html
    assert replace(ok, violations=("a <b>",))._repr_html_().count("a &lt;b&gt;") == 1


def test_an_evaluation_draws_its_gantt_chart():
    import matplotlib.pyplot as plt

    inst = handmade("h1-batching")
    ax = evaluate(inst, sched(inst, ("M", ["u1", "u2"]), ("M", ["u3"]))).plot()
    try:
        assert [t.get_text() for t in ax.get_yticklabels()] == ["0: M x2", "1: M x1"]
        assert ax.get_title() == "continuous, served 3"
    finally:
        plt.close(ax.figure)
