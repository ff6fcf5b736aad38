"""The Section V figures from ``experiments.section_v``'s stored results (PNG + PDF each): Figs. 3, 5
and 6 (QPART beside no optimization) and Figs. 7-10 (the four schemes)."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt

from partialload_opt.fileio import atomic_write_bytes_via


def _rows(results: dict, scheme: str, demand: float) -> list[dict]:
    return sorted(
        (r for r in results["per_partition"] if r["scheme"] == scheme and r["demand"] == demand),
        key=lambda r: r["partition"],
    )


def _save(fig, folder: Path, name: str) -> list[Path]:
    fig.tight_layout()
    out = []
    for ext in ("png", "pdf"):
        path = folder / f"{name}.{ext}"
        atomic_write_bytes_via(path, lambda tmp, ext=ext: fig.savefig(tmp, dpi=130, format=ext))
        out.append(path)
    plt.close(fig)
    return out


def draw_all(results: dict, folder: Path, demand: float = 0.01) -> list[Path]:
    """fig3 (per-layer size reduction), fig5 (time, energy, server cost vs partition), fig6 (device
    weights vs accuracy demand), and figs 7-10 when the results hold the baselines; returns every
    file written."""
    folder.mkdir(parents=True, exist_ok=True)
    ref = results["reference_bits"]
    written = []
    full = _rows(results, "QPART", demand)[-1]  # the deepest partition: every quantized layer
    fig, ax = plt.subplots(figsize=(5, 3.2))
    red = [100 * (1 - b / ref) for b in full["bits"]]
    ax.bar(range(1, len(red) + 1), red, color="tab:blue")
    for i, v in enumerate(red, start=1):
        ax.text(i, v + 1, f"{v:.0f}%", ha="center", fontsize=7)
    ax.set(
        xlabel="layer",
        ylabel=f"parameter size reduction vs {ref}-bit (%)",
        ylim=(0, 105),
        title=f"Fig. 3: per layer, partition {full['partition']}, demand {100 * demand:g}%",
    )
    written += _save(fig, folder, "qpart-fig3")
    fig, axes = plt.subplots(1, 3, figsize=(12, 3.2))
    for ax, key, label in zip(
        axes,
        ("time_s", "energy_j", "server_cost"),
        ("total time (s)", "device energy (J)", "server cost"),
    ):
        for scheme, style in (("QPART", "-o"), ("no optimization", "--s")):
            rows = _rows(results, scheme, demand)
            ax.plot(
                [r["partition"] for r in rows], [r[key] for r in rows], style, ms=3, label=scheme
            )
        ax.set(xlabel="partition point p", ylabel=label)
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=7)
    fig.suptitle(
        f"Fig. 5 (price {results['price_for_partitions']:g} per server-second)", fontsize=9
    )
    written += _save(fig, folder, "qpart-fig5")
    fig, ax = plt.subplots(figsize=(5, 3.2))
    demands = sorted({r["demand"] for r in results["per_partition"]})
    sizes = [_rows(results, "QPART", d)[-1]["weights_bits"] / 8e3 for d in demands]
    ax.plot([100 * d for d in demands], sizes, "-o", ms=3)
    ax.set(
        xlabel="accuracy-drop demand (%)",
        ylabel="device weights (kB)",
        xscale="log",
        title="Fig. 6: optimized size vs accuracy demand",
    )
    ax.grid(alpha=0.3)
    written += _save(fig, folder, "qpart-fig6")
    if any(r["scheme"] == "autoencoder" for r in results["per_partition"]):
        written += draw_schemes(results, folder, results.get("scheme_demand") or demand)
    return written


SCHEME_STYLES = {
    "QPART": "-o",
    "no optimization": "--s",
    "autoencoder": "-.^",
    "pruning": ":v",
}
FIGS_7_10 = (
    ("qpart-fig7", "objective", "objective (eq. (17))", 1.0),
    ("qpart-fig8", "time_s", "total time (ms)", 1e3),
    ("qpart-fig9", "energy_j", "device energy (mJ)", 1e3),
    ("qpart-fig10", "payload_bits", "communication payload (kbit)", 1e-3),
)
"""Figs. 7-10: (file, result field, y label, scale) against the partition point, four schemes."""


def draw_schemes(results: dict, folder: Path, demand: float) -> list[Path]:
    """Figs. 7-10: objective, time, energy and payload of the four schemes per partition point."""
    written = []
    for n, (name, key, label, scale) in enumerate(FIGS_7_10, start=7):
        fig, ax = plt.subplots(figsize=(5, 3.2))
        for scheme, style in SCHEME_STYLES.items():
            rows = _rows(results, scheme, demand)
            ax.plot(
                [r["partition"] for r in rows],
                [scale * r[key] for r in rows],
                style,
                ms=3,
                label=scheme,
            )
        ax.set(
            xlabel="partition point p",
            ylabel=label,
            title=f"Fig. {n}: four schemes, demand {100 * demand:g}%, "
            f"price {results['price_for_partitions']:g}",
        )
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7)
        written += _save(fig, folder, name)
    return written
