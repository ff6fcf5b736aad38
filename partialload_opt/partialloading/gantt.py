"""Gantt chart of an evaluated schedule: upload / load / compute per batch, the deadline, slot grid."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt

from partialload_opt.fileio import atomic_write_bytes_via
from partialload_opt.partialloading.schedule import Evaluation

COLORS = {"upload": "#4C72B0", "load": "#DD8452", "compute": "#55A868"}


def draw_gantt(ev: Evaluation, ax=None, title: str | None = None):
    """Draw one row per batch on ``ax`` (a new figure if None); returns the Axes."""
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 1.2 + 0.35 * max(len(ev.batches), 1)))
    ms = 1000.0
    for row, b in enumerate(ev.batches):
        t = b.start_s
        for part, dur in (("upload", b.upload_s), ("load", b.load_s), ("compute", b.compute_s)):
            ax.barh(
                row,
                dur * ms,
                left=t * ms,
                color=COLORS[part],
                alpha=1.0 if b.on_time else 0.35,
                edgecolor="black",
                linewidth=0.3,
                label=part if row == 0 else None,
            )
            t += dur
    ax.axvline(ev.deadline_s * ms, color="red", linestyle="--", linewidth=1.2, label="deadline")
    if ev.semantics == "slotted":
        n_slots = int(round(max(ev.makespan_s, ev.deadline_s) / ev.slot_s)) + 1
        for s in range(n_slots + 1):
            ax.axvline(s * ev.slot_s * ms, color="grey", linewidth=0.3, alpha=0.5)
    ax.set_yticks(range(len(ev.batches)))
    ax.set_yticklabels([f"{b.index}: {b.model} x{len(b.users)}" for b in ev.batches], fontsize=7)
    ax.invert_yaxis()
    ax.set_xlabel("time (ms)")
    ax.set_title(
        title
        or f"{ev.semantics}, served {ev.served}"
        + ("" if ev.feasible else f", {len(ev.violations)} violation(s)")
    )
    ax.legend(loc="lower right", fontsize=7)
    return ax


def save_gantt(ev: Evaluation, path: str | Path, title: str | None = None) -> None:
    """Write the chart to ``path`` (PNG, PDF, SVG by suffix), atomically."""
    save_gantts([(ev, title)], path)


def save_gantts(charts: list[tuple[Evaluation, str | None]], path: str | Path) -> None:
    """Several charts stacked on one time axis (e.g. a heuristic's schedule above the optimum)."""
    heights = [1.2 + 0.35 * max(len(ev.batches), 1) for ev, _ in charts]
    fig, axes = plt.subplots(
        len(charts),
        1,
        figsize=(10, sum(heights)),
        sharex=True,
        gridspec_kw={"height_ratios": heights},
        squeeze=False,
    )
    for ax, (ev, title) in zip(axes[:, 0], charts):
        draw_gantt(ev, ax=ax, title=title)
    fig.tight_layout()
    try:
        atomic_write_bytes_via(
            path, lambda tmp: fig.savefig(tmp, dpi=120, format=Path(path).suffix[1:] or "png")
        )
    finally:
        plt.close(fig)
