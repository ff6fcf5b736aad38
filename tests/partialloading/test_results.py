"""partialload_opt/partialloading/results.py: what a Result says of itself in one line, in a notebook
(escaped HTML) and as a Gantt chart."""

from __future__ import annotations

from partialload_opt import Schedule, Status, solve
from partialload_opt.partialloading.results import Result

from conftest import handmade


def result(**changes) -> Result:
    fields = dict(
        solver="dp-exact",
        semantics="slotted",
        status=Status.OPTIMAL,
        served=58,
        bound=58,
        wall_s=0.0123,
        schedule=Schedule([("m0", ["u0"])], instance="paper"),
        bound_source="dp-exact",
    )
    return Result(**(fields | changes))


def test_a_result_says_what_it_is_in_one_line():
    assert repr(result()) == "Result(dp-exact, slotted, optimal, served 58, bound 58, 12.3 ms)"
    assert repr(result(status=Status.TIMEOUT, served=50, bound=61.0, wall_s=30.0)) == (
        "Result(dp-exact, slotted, timeout, served 50, bound 61, 30 s)"
    )
    form = result(status=Status.FEASIBLE, bound=None, form_optimal=True)
    assert repr(form) == (
        "Result(dp-exact, slotted, feasible (optimal over theorem-2 form), served 58, no bound, "
        "12.3 ms)"
    )
    error = result(status=Status.ERROR, served=0, bound=None, message="claims 3,\n evaluator 2")
    assert repr(error).endswith("served 0, no bound, 12.3 ms, 'claims 3, evaluator 2')")


def test_a_results_html_escapes_and_shows_the_key_numbers():
    html = result(status=Status.ERROR, message="<script>x & y</script>")._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;x &amp; y&lt;/script&gt;" in html
    html = result()._repr_html_()
    for fact in (">58<", ">12.3 ms<", ">dp-exact<", ">all schedules<", ">0<"):  # served, bound, gap
        assert fact in html, fact
    assert (
        "Schedule(1 batch, 1 model, 1 user, bandwidth optimal, instance &#x27;paper&#x27;)" in html
    )


def test_results_built_by_keyword_compare_and_hash_as_before():
    assert result() == result() and result() != result(served=57)
    assert result(stats={"x": 1}) != result()  # stats are compared, as before


def test_a_result_draws_its_schedule_in_its_own_semantics():
    import matplotlib.pyplot as plt

    inst = handmade("h3-abc")
    r = solve(inst, "dp-exact", semantics="slotted")
    ax = r.plot(inst)
    try:
        assert ax.get_title() == f"dp-exact, slotted: served {r.served} of 3"
        assert len(ax.get_yticklabels()) == len(r.schedule.batches)
    finally:
        plt.close(ax.figure)
