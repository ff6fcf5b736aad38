"""partialload_opt/plot.py: one entry for every problem's charts (each problem's charts module draws),
returning matplotlib Axes; matplotlib is imported only when something is drawn."""

from __future__ import annotations

import subprocess
import sys

import matplotlib.pyplot as plt
import pytest

from partialload_opt import InputError, Schedule, evaluate, plot, solve
from partialload_opt.qpart import Decision, load_qinstance

from conftest import INSTANCES, handmade


@pytest.fixture(autouse=True)
def _figures_closed():
    yield
    plt.close("all")


def test_importing_the_package_and_plot_imports_no_matplotlib():
    code = "import sys, partialload_opt, partialload_opt.plot; print('matplotlib' in sys.modules)"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and r.stdout.strip() == "False", r.stdout + r.stderr


def test_a_gantt_chart_of_a_schedule_a_result_or_an_evaluation_is_the_same_timeline():
    inst = handmade("h3-abc")
    r = solve(inst, "dp-exact", semantics="slotted")
    charts = [
        plot.gantt(inst, r.schedule, semantics="slotted"),
        plot.gantt(inst, r),
        plot.gantt(inst, evaluate(inst, r.schedule, semantics="slotted")),
    ]
    widths = [[p.get_width() for p in ax.patches] for ax in charts]
    assert widths[0] == widths[1] == widths[2] and len(widths[0]) == 3 * len(r.schedule.batches)
    assert charts[1].get_title() == f"dp-exact, slotted: served {r.served} of 3"


def test_a_gantt_chart_draws_on_the_axes_given():
    inst = handmade("h1-batching")
    _, ax = plt.subplots()
    assert plot.gantt(inst, Schedule([("M", ["u1"])]), ax=ax, title="mine") is ax
    assert ax.get_title() == "mine"


def test_a_qpart_answer_is_drawn_by_qparts_charts():
    inst = load_qinstance(INSTANCES / "qpart" / "tiny-handmade.json")
    ax = plot.gantt(inst, Decision(1, (4,)))
    assert [t.get_text() for t in ax.get_yticklabels()] == ["device", "transmission", "server"]
    with pytest.raises(InputError, match="QPART has no time semantics"):
        plot.gantt(inst, Decision(1, (4,)), semantics="slotted")
    with pytest.raises(InputError, match="breaks a rule"):
        plot.gantt(inst, Decision(2, (4, 4)))


def test_what_cannot_be_drawn_is_an_input_error():
    inst = handmade("h1-batching")
    with pytest.raises(InputError, match="must be a Schedule, a Result or an Evaluation"):
        plot.gantt(inst, [("M", ["u1"])])
    with pytest.raises(InputError, match="is not an instance of a known problem"):
        plot.gantt("h1-batching", Schedule())
    with pytest.raises(InputError, match="runs no sweeps"):
        plot.sweep_curves("anywhere", problem="qpart")


def _store(folder):
    from partialload_opt.partialloading.experiments.store import Row, Store

    store = Store(folder / "results.sqlite")
    for panel, axis in (("a", "users"), ("b", "deadline_ms")):
        for x in (10.0, 20.0):
            rows = [
                Row(
                    "demo",
                    panel,
                    axis,
                    x,
                    0,
                    solver,
                    "slotted",
                    "optimal",
                    "bls",
                    10,
                    served,
                    served / 10,
                    "optimal" if solver == "dp-exact" else "feasible",
                    None,
                    0.01,
                    "",
                    "{}",
                )
                for solver, served in (("dp-exact", 9), ("greedy-paper", 7))
            ]
            store.add(("demo", panel, x, 0), rows)
    frame = store.frame()
    store.close()
    return frame


def test_a_sweeps_curves_one_axes_per_panel_from_its_folder_file_or_frame(tmp_path):
    frame = _store(tmp_path)
    axes = plot.sweep_curves(tmp_path)
    assert [ax.get_title() for ax in axes] == ["demo(a)", "demo(b)"]
    assert sorted(line.get_label() for line in axes[0].get_lines()) == [
        "dp-exact (slotted)",
        "greedy-paper (slotted)",
    ]
    assert [line.get_ydata().tolist() for line in axes[0].get_lines()] == [[0.9, 0.9], [0.7, 0.7]]
    assert len(plot.sweep_curves(tmp_path / "results.sqlite")) == 2
    _, ax = plt.subplots()
    assert plot.sweep_curves(frame, panel="b", ax=ax) == [ax] and ax.get_title() == "demo(b)"


def test_a_sweep_that_is_not_there_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="holds no sweep store"):
        plot.sweep_curves(tmp_path)
    assert not (tmp_path / "results.sqlite").exists()  # nothing created on the way
    _store(tmp_path)
    with pytest.raises(InputError, match="is not a panel of the sweep \\(a, b\\)"):
        plot.sweep_curves(tmp_path, panel="c")
    _, ax = plt.subplots()
    with pytest.raises(InputError, match="draws one panel of 2"):
        plot.sweep_curves(tmp_path, ax=ax)
