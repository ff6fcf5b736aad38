"""partialload_opt/qpart/solving.py: what a QResult says of itself in one line, in a notebook (escaped
HTML) and as a chart."""

from __future__ import annotations

from partialload_opt.qpart import load_qinstance, solve
from partialload_opt.qpart.solving import QResult
from partialload_opt.results import Status

from conftest import INSTANCES

TINY = INSTANCES / "qpart" / "tiny-handmade.json"


def test_a_result_says_what_it_is_in_one_line():
    r = solve(load_qinstance(TINY), "qpart-pareto")
    assert repr(r).startswith(
        "QResult(qpart-pareto, optimal, objective 0.0175, bound 0.0175, partition 0, bits [], "
    )
    failed = QResult(
        solver="mine",
        status=Status.ERROR,
        objective=None,
        bound=None,
        wall_s=2.5,
        decision=None,
        evaluation=None,
        message="boom",
    )
    assert repr(failed) == "QResult(mine, error, objective -, no bound, no decision, 2.5 s, 'boom')"


def test_a_results_html_escapes_and_shows_its_decisions_terms():
    r = solve(load_qinstance(TINY), "qpart-pareto")
    html = r._repr_html_()
    assert html.count("<strong>") == 2  # the result, then its evaluation
    for fact in (">qpart-pareto<", ">optimal<", ">0.0175<", "QEvaluation(partition 0"):
        assert fact in html, fact
    bad = QResult(
        solver="<mine>",
        status=Status.ERROR,
        objective=None,
        bound=None,
        wall_s=0.0,
        decision=None,
        evaluation=None,
        message="a < b",
    )
    html = bad._repr_html_()
    assert "<mine>" not in html and "&lt;mine&gt;" in html and "a &lt; b" in html


def test_a_result_draws_its_decisions_timeline():
    import matplotlib.pyplot as plt

    ax = solve(load_qinstance(TINY), "qpart-pareto").plot()
    try:
        assert [t.get_text() for t in ax.get_yticklabels()] == ["device", "transmission", "server"]
    finally:
        plt.close(ax.figure)
