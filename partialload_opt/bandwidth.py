"""Uplink bandwidth: Proposition 1's optimal FDMA split (eqs. (11)-(12)) and the ablation's equal split."""

from __future__ import annotations

import numpy as np


def optimal_upload_time(p, bandwidth_hz: float) -> float:
    """eq. (11): t_up,min = sum_k p_k / B over the batch's users (all finish at the same instant)."""
    return float(np.sum(p)) / bandwidth_hz


def optimal_split(p) -> np.ndarray:
    """eq. (12): y_k = (p_k / B) / t_up,min = p_k / sum p. An all-zero batch gets an even split."""
    p = np.asarray(p, dtype=float)
    total = p.sum()
    return p / total if total > 0 else np.full(len(p), 1.0 / max(len(p), 1))


def equal_upload_time(p, bandwidth_hz: float, r: int) -> float:
    """Fig. 8's ablation: r sub-channels of B/r, one user each; the batch waits for its slowest user."""
    return float(np.max(p)) * r / bandwidth_hz if len(p) else 0.0


def fractions_upload_time(p, y, bandwidth_hz: float):
    """eqs. (4), (6)-(7) for explicit fractions y_k: max_k p_k / (y_k B) (inf where y_k = 0 < p_k).
    ``y`` may be a stack of splits (one per row): then one time per row."""
    p = np.asarray(p, dtype=float)
    y = np.asarray(y, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(p > 0, p / (y * bandwidth_hz), 0.0)
    if y.ndim > 1:
        return t.max(axis=-1) if p.size else np.zeros(y.shape[:-1])
    return float(np.max(t)) if len(t) else 0.0


def parse_bandwidth(spec) -> str | dict:
    """CLI/option form -> schedule form: 'optimal' | 'equal:R' | {'equal_subchannels': R}."""
    if spec in (None, "optimal"):
        return "optimal"
    if isinstance(spec, dict):
        return spec
    if isinstance(spec, str) and spec.startswith("equal:"):
        r = int(spec.split(":", 1)[1])
        if r < 1:
            raise ValueError("equal:R needs R >= 1")
        return {"equal_subchannels": r}
    raise ValueError(f"bandwidth must be 'optimal' or 'equal:R' (got {spec!r})")


def batch_cap(bandwidth) -> int | None:
    """Users per batch allowed by the bandwidth rule (equal split: r), or None for no extra cap."""
    if isinstance(bandwidth, dict) and "equal_subchannels" in bandwidth:
        return int(bandwidth["equal_subchannels"])
    return None
