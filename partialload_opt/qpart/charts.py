"""QPART's notebook chart, reached through ``partialload_opt.plot``: one request's timeline, the device
running layers 1..p, the upload of the payload, the server running the rest (eqs. (5), (7), (15)),
from the one QPART evaluator. Imported only to draw: it imports matplotlib."""

from __future__ import annotations

import math

from partialload_opt.errors import InputError
from partialload_opt.qpart.evaluate import Decision, QEvaluation, evaluate
from partialload_opt.qpart.instance import QInstance
from partialload_opt.qpart.solving import QResult

PARTS = (
    ("device", "t_local", "#DD8452"),
    ("transmission", "t_tx", "#4C72B0"),
    ("server", "t_server", "#55A868"),
)


def timeline(inst: QInstance | None, answer, semantics: str | None = None) -> QEvaluation:
    """The evaluator's terms of ``answer``: a QEvaluation as is, a QResult's, or a Decision's on
    ``inst``. QPART has no time semantics (``semantics``: None or "-")."""
    if semantics not in (None, "-"):
        raise InputError("semantics", str(semantics), "QPART has no time semantics (None or '-')")
    if isinstance(answer, QResult):
        if answer.evaluation is None:
            raise InputError(
                "answer", answer.solver, f"has no decision to draw ({answer.status.value})"
            )
        return answer.evaluation
    if isinstance(answer, Decision):
        if inst is None:
            raise InputError("instance", "None", "a Decision is drawn on its instance")
        return evaluate(inst, answer)
    if isinstance(answer, QEvaluation):
        return answer
    raise InputError(
        "answer", type(answer).__name__, "must be a Decision, a QResult or a QEvaluation"
    )


def draw_timeline(ev: QEvaluation, ax=None, title: str | None = None):
    """One bar per stage on one time axis (ms), each starting when the previous ends, on ``ax`` (a
    new figure if None); returns the Axes."""
    if math.isnan(ev.t_local):  # a decision that breaks a rule has no costs
        raise InputError("decision", f"partition {ev.partition}", "breaks a rule: no times to draw")
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(8, 1.8))
    start = 0.0
    for row, (_, attr, color) in enumerate(PARTS):
        width = getattr(ev, attr) * 1e3
        ax.barh(row, width, left=start, color=color, edgecolor="black", linewidth=0.3)
        ax.text(start + width, row, f" {width:.3g} ms", va="center", fontsize=7)
        start += width
    ax.set_yticks(range(len(PARTS)))
    ax.set_yticklabels([name for name, _, _ in PARTS], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, start * 1.2 or 1.0)
    ax.set_xlabel("time (ms)")
    ax.set_title(
        title
        or f"partition {ev.partition}: objective {ev.objective:.4g}"
        + ("" if ev.feasible else f", {len(ev.violations)} violation(s)")
    )
    return ax


def gantt(inst: QInstance | None, answer, semantics: str | None = None, ax=None, title=None):
    """``plot.gantt`` for QPART: the request's timeline (draw_timeline)."""
    return draw_timeline(timeline(inst, answer, semantics), ax=ax, title=title)
