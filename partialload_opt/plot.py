"""Charts for a notebook, whatever the problem: an answer's Gantt chart and a sweep's curves, each drawn
by its problem's charts module (``Problem.charts``) and returned as matplotlib Axes, so a caller can
place them in its own figure (``ax=``). matplotlib is imported only when something is drawn:
``import partialload_opt`` stays light (benchmarks/results-startup.md)."""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

from partialload_opt import problem as problems
from partialload_opt.errors import InputError

__all__ = ["gantt", "sweep_curves"]


def _charts(p: problems.Problem) -> ModuleType:
    return importlib.import_module(p.charts)


def gantt(
    instance: Any,
    answer: Any,
    semantics: str | None = None,
    ax: Any = None,
    title: str | None = None,
    problem: str | None = None,
) -> Any:
    """The timeline of ``answer`` on ``instance``, re-scored by the problem's one evaluator, on ``ax``
    (a new figure if None); returns the Axes.

    PartialLoading: a Schedule (in ``semantics``, default continuous), a Result (default: its own
    semantics) or an Evaluation; one row per batch, upload, load and compute, late batches faded,
    the deadline and the slot grid. QPART: a Decision, a QResult or a QEvaluation; the device, the
    transmission and the server on one time axis. ``problem``: whose answer it is when there is no
    ``instance`` (an Evaluation, a QResult: they carry their own timeline)."""
    owner = (
        problems.of(instance) if instance is not None or problem is None else problems.get(problem)
    )
    charts = _charts(owner)
    return charts.gantt(instance, answer, semantics=semantics, ax=ax, title=title)


def sweep_curves(
    source: Any, panel: str | None = None, ax: Any = None, problem: str = "partialload"
) -> list:
    """A sweep's curves: mean served ratio against each panel's setting, one line per run with its
    95% band. ``source``: the sweep's folder (``partialload sweep ... --out DIR``), its
    results.sqlite, or the store's DataFrame. Every panel on a new figure, or the one named
    ``panel`` (on ``ax`` if given); returns the Axes, one per panel."""
    draw = getattr(_charts(problems.get(problem)), "sweep_curves", None)
    if draw is None:
        raise InputError("problem", problem, "runs no sweeps")
    return draw(source, panel=panel, ax=ax)
