"""PartialLoading's notebook charts, reached through ``partialload_opt.plot``: an answer's Gantt chart
(gantt.draw_gantt of the one evaluator's timeline) and a sweep's curves (experiments/plots.py's
summary and draw_panel on its store's rows). Imported only to draw: it imports matplotlib."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from partialload_opt.errors import InputError
from partialload_opt.partialloading.experiments.plots import draw_panel, summary
from partialload_opt.partialloading.experiments.store import Store
from partialload_opt.partialloading.gantt import draw_gantt
from partialload_opt.partialloading.instance import Instance
from partialload_opt.partialloading.results import Result
from partialload_opt.partialloading.schedule import Evaluation, Schedule, evaluate


def timeline(inst: Instance, answer, semantics: str | None = None) -> Evaluation:
    """The evaluator's timeline of ``answer``: a Schedule (in ``semantics``, by default the
    evaluator's, continuous), a Result (by default in its own semantics) or an Evaluation (as is)."""
    if isinstance(answer, Evaluation):
        if semantics is not None and semantics != answer.semantics:
            raise InputError(
                "semantics",
                str(semantics),
                f"an Evaluation is drawn in its own ({answer.semantics})",
            )
        return answer
    if isinstance(answer, Result):
        return evaluate(inst, answer.schedule, semantics=semantics or answer.semantics)
    if isinstance(answer, Schedule):
        return evaluate(inst, answer, semantics=semantics or "continuous")
    raise InputError(
        "answer", type(answer).__name__, "must be a Schedule, a Result or an Evaluation"
    )


def gantt(inst: Instance, answer, semantics: str | None = None, ax=None, title: str | None = None):
    """One row per batch (upload, load, compute; late batches faded), the deadline and, slotted, the
    slot grid, on ``ax`` (a new figure if None); returns the Axes."""
    ev = timeline(inst, answer, semantics)
    if title is None and isinstance(answer, Result):
        title = f"{answer.solver}, {ev.semantics}: served {ev.served} of {inst.K}"
    return draw_gantt(ev, ax=ax, title=title)


def sweep_frame(source) -> pd.DataFrame:
    """The rows of a sweep: its store's DataFrame, from the folder that holds results.sqlite, the
    file itself, or the DataFrame (``Store.frame()``) as is."""
    if isinstance(source, pd.DataFrame):
        return source
    path = Path(source)
    file = path / "results.sqlite" if path.is_dir() else path
    if not file.is_file():  # Store() would create an empty one
        raise InputError(str(path), "", "holds no sweep store (results.sqlite)")
    store = Store(file)
    try:
        return store.frame()
    finally:
        store.close()


def sweep_curves(source, panel: str | None = None, ax=None) -> list:
    """Mean served ratio against each panel's swept setting, one line per run with its 95% band
    (draw_panel), for every panel of the sweep or the one named ``panel``; on ``ax`` when one panel
    is drawn, else on a new figure with one Axes per panel. Returns the Axes."""
    s = summary(sweep_frame(source))
    if s.empty:
        raise InputError(str(source), "rows", "the sweep has no finished run to draw")
    groups = list(s.groupby(["figure", "panel"]))
    if panel is not None:
        names = sorted({str(p) for (_, p), _ in groups})
        groups = [g for g in groups if g[0][1] == panel]
        if not groups:
            raise InputError(
                "panel", str(panel), f"is not a panel of the sweep ({', '.join(names)})"
            )
    if ax is not None and len(groups) > 1:
        raise InputError("ax", "one Axes", f"draws one panel of {len(groups)}: name it with panel=")
    if ax is not None:
        draw_panel(groups[0][1], ax=ax, title="{}({})".format(*groups[0][0]))
        return [ax]
    import matplotlib.pyplot as plt

    fig, grid = plt.subplots(1, len(groups), figsize=(5 * len(groups), 3.6), squeeze=False)
    for a, ((figure, name), d) in zip(grid[0], groups):
        draw_panel(d, ax=a, title=f"{figure}({name})")
    fig.tight_layout()
    return list(grid[0])
