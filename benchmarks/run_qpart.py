"""QPART solver timings against issue 14's targets: the 6-layer MLP with 15 bit-widths (milp <= 50 ms,
pareto <= 10 ms, brute force <= 5 s) and a ResNet-50-sized network (milp and pareto <= 2 s). Median
of 5 solves (3 for ResNet-50) of the shipped generator's instance at a server price where an interior
partition point is optimal. Writes benchmarks/results-qpart.md."""

from __future__ import annotations

import platform
import statistics
from datetime import date
from pathlib import Path

from partialload_opt.qpart import solve
from partialload_opt.qpart.generate import generate

HERE = Path(__file__).resolve().parent
TARGETS = {
    ("mlp", "qpart-milp"): 0.05,
    ("mlp", "qpart-pareto"): 0.01,
    ("mlp", "qpart-brute"): 5.0,
    ("resnet50", "qpart-milp"): 2.0,
    ("resnet50", "qpart-pareto"): 2.0,
}


def main() -> None:
    rows = [
        "# QPART solvers",
        "",
        f"{platform.machine()}, Python {platform.python_version()}, {date.today()}; "
        "`generate(network, seed=1, price_per_s=300)`, median wall time of `qpart.solve`.",
        "",
        "| network | solver | status | objective | partition | median | target | met |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for network, runs in (("mlp", 5), ("resnet18", 3), ("resnet50", 3)):
        inst = generate(network, 1, price_per_s=300.0)
        names = ["closed-form", "qpart-pareto", "qpart-milp", "qpart-cpsat"] + (
            ["qpart-brute"] if network == "mlp" else []
        )
        for name in names:
            results = [solve(inst, name) for _ in range(runs)]
            wall = statistics.median(r.wall_s for r in results)
            r = results[0]
            target = TARGETS.get((network, name))
            met = "-" if target is None else ("yes" if wall <= target else "**no**")
            rows.append(
                f"| {network} (L={inst.L}) | {name} | {r.status.value} | {r.objective:.6g} | "
                f"{r.decision.partition} | {wall * 1e3:.1f} ms | {'-' if target is None else f'{target * 1e3:g} ms'} | {met} |"
            )
            print(rows[-1])
    (HERE / "results-qpart.md").write_text("\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
