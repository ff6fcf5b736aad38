"""Uplink bandwidth: Proposition 1's optimal FDMA split (eqs. (11)-(12)) and the ablation's equal split."""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True)
class BandwidthRule:
    """How each batch's band is split, parsed once: Proposition 1's optimal split, ``r`` equal
    sub-channels (the ablation of Fig. 8: at most ``r`` users per batch), or explicit fractions.
    ``parse`` takes the option form ('optimal', 'equal:R'), the schedule-file form, or a rule."""

    kind: str = "optimal"  # "optimal" | "equal" | "fractions"
    subchannels: int | None = None
    fractions: tuple[tuple[float, ...], ...] | None = None

    @classmethod
    def parse(cls, spec) -> BandwidthRule:
        if isinstance(spec, BandwidthRule):
            return spec
        if spec in (None, "optimal"):
            return cls()
        if isinstance(spec, str) and spec.startswith("equal:"):
            try:
                r = int(spec.split(":", 1)[1])
            except ValueError:
                raise ValueError(f"equal:R needs a whole number R (got {spec!r})") from None
            if r < 1:
                raise ValueError("equal:R needs R >= 1")
            return cls("equal", r)
        if isinstance(spec, dict) and "equal_subchannels" in spec:
            return cls("equal", int(spec["equal_subchannels"]))
        if isinstance(spec, dict) and "fractions" in spec:
            return cls(
                "fractions", fractions=tuple(tuple(map(float, f)) for f in spec["fractions"])
            )
        raise ValueError(f"bandwidth must be 'optimal' or 'equal:R' (got {spec!r})")

    @property
    def cap(self) -> int | None:
        """Users per batch the rule allows (equal split: r), None for no extra cap."""
        return self.subchannels if self.kind == "equal" else None

    @property
    def spec(self) -> str | dict:
        """The schedule-file form (partialload-schedule/1's ``bandwidth``)."""
        if self.kind == "equal":
            return {"equal_subchannels": self.subchannels}
        if self.kind == "fractions":
            return {"fractions": [list(f) for f in self.fractions or ()]}
        return "optimal"

    def __str__(self) -> str:
        return f"equal:{self.subchannels}" if self.kind == "equal" else self.kind


def parse_bandwidth(spec) -> str | dict:
    """Any bandwidth form -> the schedule-file form."""
    return BandwidthRule.parse(spec).spec


def batch_cap(bandwidth) -> int | None:
    """Users per batch allowed by the bandwidth rule (equal split: r), or None for no extra cap."""
    return BandwidthRule.parse(bandwidth).cap
