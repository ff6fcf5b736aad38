"""Regenerate the shipped instances in instances/paper and instances/small (deterministic).

Run: python scripts/make_instances.py   (tests load these files; they never rebuild them)."""

from __future__ import annotations

import itertools
from pathlib import Path

from partialload_opt.partialloading.generate import (
    GeneratorConfig,
    SmallConfig,
    generate,
    small_instance,
)
from partialload_opt.partialloading.instance import save_instance

ROOT = Path(__file__).resolve().parents[1] / "instances"


def paper() -> None:
    settings = {
        "fig6-default": dict(case="bls", users=80, bandwidth_mhz=200, deadline_ms=700, theta=0.85),
        "fig7-default": dict(
            case="general", users=80, bandwidth_mhz=200, deadline_ms=700, theta=0.85
        ),
        "fig9-bls": dict(case="bls", users=20, models=5, deadline_ms=200, theta=0.85),
        "fig9-general": dict(case="general", users=20, models=5, deadline_ms=200, theta=0.85),
    }
    for tag, kw in settings.items():
        for seed in range(3):
            inst = generate(GeneratorConfig(seed=seed, **kw))
            save_instance(inst, ROOT / "paper" / f"{tag}-seed{seed}.json")
    # Fig. 6(b) / 7(b)'s largest point, K = 100: the slow paper-scale agreement test solves these
    for tag, case in (("fig6-k100", "bls"), ("fig7-k100", "general")):
        kw = dict(case=case, users=100, bandwidth_mhz=200, deadline_ms=700, theta=0.85)
        save_instance(generate(GeneratorConfig(seed=0, **kw)), ROOT / "paper" / f"{tag}-seed0.json")


def small() -> None:
    grid = itertools.product(range(2), ("bls", "general"), (0.1, 0.3, 0.6, 1.2), (0, 1, 2, 3))
    for n, (_rep, case, factor, variant) in enumerate(grid):
        cfg = SmallConfig(
            case=case,
            users=6 + (n % 7),
            models=2 + (n % 4),
            deadline_factor=factor,
            bmax_one=variant == 1,
            zero_compute=variant == 2,
            align_deadline=variant != 3,
            slot_ms=1.0 if n % 2 else 2.5,
            seed=n,
        )
        save_instance(small_instance(cfg), ROOT / "small" / f"{cfg.case}-{n:03d}.json")


if __name__ == "__main__":
    paper()
    small()
