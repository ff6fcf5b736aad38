"""Gantt chart of an evaluated schedule: upload / load / compute per batch, the deadline, slot grid."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
from matplotlib.colors import to_rgb

from partialload_opt.fileio import atomic_write_bytes_via
from partialload_opt.partialloading.schedule import Evaluation

COLORS = {"upload": "#4C72B0", "load": "#DD8452", "compute": "#55A868"}


def _row_label(b) -> str:
    """A batch's row: its index, model and size."""
    return f"{b.index}: {b.model} x{len(b.users)}"


def draw_gantt(ev: Evaluation, ax=None, title: str | None = None):
    """Draw one row per batch on ``ax`` (a new figure if None); returns the Axes."""
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 1.2 + 0.35 * max(len(ev.batches), 1)))
    ms = 1000.0
    rows = range(len(ev.batches))
    starts = [b.start_s * ms for b in ev.batches]
    alpha = [1.0 if b.on_time else 0.35 for b in ev.batches]
    for part in ("upload", "load", "compute"):  # one bar call per part: a row per batch
        widths = [getattr(b, f"{part}_s") * ms for b in ev.batches]
        colors = [(*to_rgb(COLORS[part]), a) for a in alpha]
        ax.barh(
            rows, widths, left=starts, color=colors, edgecolor="black", linewidth=0.3, label=part
        )
        starts = [s + w for s, w in zip(starts, widths)]
    ax.axvline(ev.deadline_s * ms, color="red", linestyle="--", linewidth=1.2, label="deadline")
    if ev.semantics == "slotted":
        n_slots = int(round(max(ev.makespan_s, ev.deadline_s) / ev.slot_s)) + 1
        grid = [s * ev.slot_s * ms for s in range(n_slots + 1)]
        ax.vlines(
            grid, 0, 1, transform=ax.get_xaxis_transform(), color="grey", linewidth=0.3, alpha=0.5
        )
    ax.set_yticks(range(len(ev.batches)))
    ax.set_yticklabels([_row_label(b) for b in ev.batches], fontsize=7)
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
    for ax in axes[:-1, 0]:  # one time axis, labelled at the bottom
        ax.set_xlabel("")
    # fixed margins (inches) instead of tight_layout, which draws the figure once more to measure it
    label = max((len(_row_label(b)) for ev, _ in charts for b in ev.batches), default=4)
    height = sum(heights)
    fig.subplots_adjust(
        left=min(0.45, (0.25 + 0.06 * label) / 10),
        right=0.98,
        top=1 - 0.35 / height,
        bottom=0.45 / height,
        hspace=0.3,
    )
    try:
        atomic_write_bytes_via(
            path, lambda tmp: fig.savefig(tmp, dpi=120, format=Path(path).suffix[1:] or "png")
        )
    finally:
        plt.close(fig)
