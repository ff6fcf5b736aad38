"""How long a fresh process takes to import the package and to list the solvers, and which solver
backends listing imports (none since issue 12's lazy registry). Writes benchmarks/results-startup.md.

    python benchmarks/run_startup.py [--root CHECKOUT] [--label NAME] [--out FILE]

--root times another checkout (e.g. an older commit) with the same method: 5 runs, median."""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
LIST = (
    "import sys; from typer.testing import CliRunner; from partialload_opt.cli import app; "
    "CliRunner().invoke(app, ['solvers']); "
    "print(','.join(m for m in ('pyomo', 'ortools', 'pyscipopt') if m in sys.modules) or 'none')"
)


def median_s(cmd: list[str], root: Path, runs: int = 5) -> float:
    env = dict(os.environ, PYTHONPATH=str(root))
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, cwd=root, env=env, capture_output=True, check=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", default=str(HERE.parent))
    ap.add_argument("--label", default="this tree")
    ap.add_argument("--out", default=str(HERE / "results-startup.md"))
    args = ap.parse_args()
    root = Path(args.root)
    py = sys.executable
    imp = median_s([py, "-c", "import partialload_opt"], root)
    lst = median_s([py, "-m", "partialload_opt.cli", "solvers"], root)
    env = dict(os.environ, PYTHONPATH=str(root))
    backends = subprocess.run(
        [py, "-c", LIST], cwd=root, env=env, capture_output=True, text=True
    ).stdout.strip()
    row = f"| {args.label} | {imp * 1e3:.0f} ms | {lst * 1e3:.0f} ms | {backends} |"
    out = Path(args.out)
    head = [
        "# Startup",
        "",
        f"{platform.processor() or platform.machine()}, Python {platform.python_version()}, "
        f"{date.today()}; median of 5 fresh processes.",
        "",
        "| tree | `import partialload_opt` | `partialload solvers` | backends imported by listing |",
        "|---|---|---|---|",
    ]
    lines = out.read_text().splitlines() if out.exists() else head
    out.write_text("\n".join(lines + [row]) + "\n")
    print(row)


if __name__ == "__main__":
    main()
