"""Figures and gain tables from a sweep's rows (functions of a DataFrame, each taking an Axes)."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from partialload_opt.fileio import atomic_write_bytes_via, atomic_write_text
from partialload_opt.partialloading.experiments.figures import AXIS_LABEL

BASELINE = {
    "fig6": "independent (slotted)",
    "fig7": "independent (slotted)",
    "fig9": "exhaustive (slotted)",
}


def label(row) -> str:
    tail = "" if row["bandwidth"] == "optimal" else f" [{row['bandwidth']}]"
    return f"{row['solver']} ({row['semantics']}){tail}"


def summary(df: pd.DataFrame) -> pd.DataFrame:
    """Mean served ratio with a 95% confidence half-width per (panel, x, run); only finished runs
    (status optimal/feasible/timeout) count, and their count n is kept."""
    ok = df[df["status"].isin(["optimal", "feasible", "timeout"])].copy()
    ok["run"] = ok.apply(label, axis=1)
    g = ok.groupby(["figure", "panel", "axis", "x", "run"])
    out = g["ratio"].agg(["mean", "std", "count"]).reset_index()
    out["ci95"] = 1.96 * out["std"].fillna(0) / np.sqrt(out["count"].clip(lower=1))
    if "wall_s" in ok:
        out["wall_ms"] = g["wall_s"].mean().to_numpy() * 1e3
    return out


def draw_point(s: pd.DataFrame, title: str = ""):
    """A panel with one setting (Fig. 9): mean served ratio (95% bars) and mean running time per run."""
    s = s.sort_values("mean")
    fig, (left, right) = plt.subplots(1, 2, figsize=(8.5, 3.4), sharey=True)
    ys = np.arange(len(s))
    left.barh(ys, s["mean"], xerr=s["ci95"], color="tab:blue", alpha=0.75)
    left.set_yticks(ys, s["run"], fontsize=7)
    left.set_xlim(
        max(0.0, float(s["mean"].min()) - 0.1), 1.1
    )  # room for the labels right of the bars
    left.set_xlabel("served user ratio")
    left.set_title(title)
    for y, v, e in zip(ys, s["mean"], s["ci95"]):  # right of the error bar's cap, never on it
        left.text(v + e, y, f" {v:.3f}", va="center", fontsize=7)
    right.barh(ys, s["wall_ms"], color="tab:gray", alpha=0.75)
    right.set_xscale("log")
    right.set_xlabel("mean running time per instance (ms, log)")
    for y, v in zip(ys, s["wall_ms"]):
        right.text(v, y, f" {v:.3g}", va="center", fontsize=7)
    for ax in (left, right):
        ax.grid(alpha=0.3, axis="x")
    return fig


def draw_panel(s: pd.DataFrame, ax=None, title: str = ""):
    """Mean served ratio vs the panel's axis, one line per run, 95% bands; exact optima dashed."""
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 3.6))
    most = int(s["count"].max())
    for run, d in s.groupby("run"):
        d = d.sort_values("x")
        exact = run.startswith(("dp-exact", "cpsat", "exhaustive"))
        n = int(d["count"].min())
        name = run if n == most else f"{run}, {n} realizations"  # a subsample (slow exact solves)
        ax.plot(
            d["x"],
            d["mean"],
            marker="o",
            ms=3,
            linestyle="--" if exact else "-",
            label=name,
            linewidth=1.2 if exact else 1.6,
        )
        ax.fill_between(d["x"], d["mean"] - d["ci95"], d["mean"] + d["ci95"], alpha=0.15)
    axis = s["axis"].iloc[0]
    ax.set_xlabel(AXIS_LABEL.get(axis, axis))
    ax.set_ylabel("served user ratio")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=6)
    return ax


def gains(s: pd.DataFrame, figure: str) -> pd.DataFrame:
    """Relative gain (mean over the panel's points of (run - baseline) / baseline), the paper's way
    of stating "improves the served user ratio by about 24%". Baseline: Independent Loading
    (Figs. 6-7), the optimal-bandwidth algorithm against its equal-split variants (Fig. 8), the
    exhaustive search (Fig. 9: a negative gain is the paper's "x% lower")."""
    rows = []
    for panel, d in s.groupby("panel"):
        piv = d.pivot_table(index="x", columns="run", values="mean")
        if figure == "fig8":
            base_runs = [
                c
                for c in piv.columns
                if "[equal:" not in c and c.startswith(("dp-paper", "greedy-paper"))
            ]
            if not base_runs:
                continue
            top = base_runs[0]
            for c in piv.columns:
                if "[equal:" in c:
                    rows.append(
                        {
                            "panel": panel,
                            "run": top,
                            "vs": c,
                            "gain_pct": float(((piv[top] - piv[c]) / piv[c]).mean() * 100),
                        }
                    )
        else:
            base = BASELINE.get(figure)
            if base not in piv.columns:
                continue
            for c in piv.columns:
                if c != base:
                    rows.append(
                        {
                            "panel": panel,
                            "run": c,
                            "vs": base,
                            "gain_pct": float(((piv[c] - piv[base]) / piv[base]).mean() * 100),
                        }
                    )
    return pd.DataFrame(rows)


PAIR = ["figure", "panel", "x", "seed", "semantics", "bandwidth"]
"""A realization in one semantics and bandwidth rule: the rows a gap to its optimum pairs."""


def paired_gaps(df: pd.DataFrame) -> pd.DataFrame:
    """Every finished row with the proved optimum of its realization (in its semantics and
    bandwidth rule: any row of the sweep that is ``optimal`` there) and its gap to it, in users and
    relative; rows of realizations without a proved optimum are left out."""
    ok = df[df["status"].isin(["optimal", "feasible", "timeout"])].copy()
    if ok.empty or "served" not in ok:  # nothing finished, or a frame of ratios only
        return ok.iloc[0:0].assign(run=[], optimum=[], gap=[], gap_rel=[])
    ok["run"] = ok.apply(label, axis=1)
    best = df[df["status"] == "optimal"].groupby(PAIR)["served"].max().rename("optimum")
    out = ok.join(best, on=PAIR, how="inner")
    out["gap"] = out["optimum"] - out["served"]
    out["gap_rel"] = (out["gap"] / out["optimum"].where(out["optimum"] > 0)).fillna(0.0)
    return out


def gaps(df: pd.DataFrame) -> pd.DataFrame:
    """Per (figure, panel, axis, x, run): the mean and worst gap to the proved optimum on the paired
    realizations (users and relative), and how many were paired."""
    p = paired_gaps(df)
    if p.empty:
        return pd.DataFrame(
            columns=[
                "figure",
                "panel",
                "axis",
                "x",
                "run",
                "n",
                "mean_gap",
                "worst_gap",
                "mean_rel",
            ]
        )
    g = p.groupby(["figure", "panel", "axis", "x", "run"])
    return g.agg(
        n=("gap", "size"),
        mean_gap=("gap", "mean"),
        worst_gap=("gap", "max"),
        mean_rel=("gap_rel", "mean"),
        worst_rel=("gap_rel", "max"),
    ).reset_index()


def gaps_markdown(g: pd.DataFrame, df: pd.DataFrame) -> str:
    """gaps.md: one table per panel (rows: the swept value; columns: the runs' mean gap, relative),
    or why there is none."""
    if g.empty:
        why = (
            "No realization has a proved optimum: no run of this sweep proved one (add an exact "
            "solver, e.g. `--solvers cpsat-segment` or `cpsat`, with `--exact-realizations N`)."
            if not (df["status"] == "optimal").any()
            else "No finished run shares a realization with a proved optimum."
        )
        return f"# Gaps to the proved optimum\n\n{why}\n"
    lines = [
        "# Gaps to the proved optimum",
        "",
        "Mean gap (users) on the realizations where some run proved the optimum, in the same "
        "semantics and bandwidth rule; relative in brackets; n: realizations paired.",
        "",
    ]
    for (figure, panel), d in g.groupby(["figure", "panel"]):
        axis = d["axis"].iloc[0]
        runs = list(dict.fromkeys(d["run"]))
        lines += [
            f"## {figure}({panel}): {AXIS_LABEL.get(axis, axis)}",
            "",
            "| " + AXIS_LABEL.get(axis, axis) + " | " + " | ".join(runs) + " |",
            "|---" * (len(runs) + 1) + "|",
        ]
        for x, row in d.groupby("x"):
            cells = []
            for run in runs:
                r = row[row["run"] == run]
                cells.append(
                    "-"
                    if r.empty
                    else f"{r['mean_gap'].iloc[0]:.2f} ({100 * r['mean_rel'].iloc[0]:.1f} %, "
                    f"n={int(r['n'].iloc[0])})"
                )
            lines.append(f"| {x:g} | " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines)


def draw_gaps(d: pd.DataFrame, title: str = ""):
    """Mean gap to the proved optimum against the swept setting, one line per run."""
    fig, ax = plt.subplots(figsize=(5, 3.6))
    for run, r in d.groupby("run"):
        r = r.sort_values("x")
        ax.plot(r["x"], r["mean_gap"], marker="o", ms=3, label=run)
    axis = d["axis"].iloc[0]
    ax.set_xlabel(AXIS_LABEL.get(axis, axis))
    ax.set_ylabel("mean gap to the optimum (users)")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=6)
    return fig


def gains_markdown(g: pd.DataFrame, figure: str) -> str:
    if g.empty:
        base = BASELINE.get(figure)
        why = (
            f"No gain table: its baseline, {base}, was not run in this sweep."
            if base
            else "No gain table: gains are measured against a figure's baseline (Independent "
            "Loading for Figs. 6-7, the exhaustive search for Fig. 9, the equal splits for Fig. 8); "
            "this sweep has none."
        )
        return f"{why}\n"
    md = ["| panel | run | vs | mean relative gain |", "|---|---|---|---|"]
    md += [f"| {r.panel} | {r.run} | {r.vs} | {r.gain_pct:.1f}% |" for r in g.itertuples()]
    return "\n".join(md) + "\n"


def plot_sweep(df: pd.DataFrame, out: Path) -> list[Path]:
    """One PNG and one PDF per panel, plus summary.csv, gains.csv / gains.md (or why there is no
    gain table) and gaps.csv / gaps.md with a gap-against-the-swept-setting figure per panel (or why
    there is no proved optimum to pair with), under out/figures; returns every file written."""
    folder = out / "figures"
    folder.mkdir(parents=True, exist_ok=True)
    s = summary(df)
    written = []
    for (figure, panel), d in s.groupby(["figure", "panel"]):
        if d["x"].nunique() == 1 and "wall_ms" in d:
            fig = draw_point(
                d,
                title=f"{figure}({panel}), {AXIS_LABEL.get(d['axis'].iloc[0], '')} = {d['x'].iloc[0]:g}",
            )
        else:
            fig = draw_panel(d, title=f"{figure}({panel})").figure
        fig.tight_layout()
        for ext in ("png", "pdf"):
            path = folder / f"{figure}-{panel}.{ext}"
            atomic_write_bytes_via(
                path, lambda tmp, ext=ext, fig=fig: fig.savefig(tmp, dpi=130, format=ext)
            )
            written.append(path)
        plt.close(fig)
    figure = df["figure"].iloc[0]
    g = gains(s, figure)
    atomic_write_text(folder / "summary.csv", s.to_csv(index=False))
    atomic_write_text(folder / "gains.csv", g.to_csv(index=False))
    atomic_write_text(folder / "gains.md", gains_markdown(g, figure))
    gp = gaps(df)
    atomic_write_text(folder / "gaps.csv", gp.to_csv(index=False))
    atomic_write_text(folder / "gaps.md", gaps_markdown(gp, df))
    for (fig_name, panel), d in gp.groupby(["figure", "panel"]):
        if d["x"].nunique() < 2:
            continue
        fig = draw_gaps(d, title=f"{fig_name}({panel}): gap to the optimum")
        fig.tight_layout()
        path = folder / f"gaps-{fig_name}-{panel}.png"
        atomic_write_bytes_via(path, lambda tmp, fig=fig: fig.savefig(tmp, dpi=130, format="png"))
        written.append(path)
        plt.close(fig)
    tables = ["summary.csv", "gains.csv", "gains.md", "gaps.csv", "gaps.md"]
    return written + [folder / name for name in tables]
