"""Verification on Dask (issue 31): instances per minute of the whole ``partialload verify --generate
N --users 3..12 --seed S --engine dask --workers W`` command (a LocalCluster of W single-threaded
worker processes, started and closed by the command), timed as a process, R runs, for each W; the
local engine's ``--workers W`` beside it, in turn, so both see the same machine. Writes
benchmarks/results-verify-dask.md.

    python benchmarks/verify_dask.py [--n 200] [--workers 1 2] [--repeats 2] [--note TEXT]"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def command(n: int, seed: int, engine: str, workers: int) -> list[str]:
    return [
        *("partialload", "verify", "--generate", str(n), "--users", "3..12", "--seed", str(seed)),
        *("--engine", engine, "--workers", str(workers)),
    ]


def run_once(n: int, seed: int, engine: str, workers: int) -> tuple[float, dict]:
    """Wall seconds of one verify command run from this checkout, and the report's per-claim counts
    (checked, violated, skipped) and counterexample names."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report"
        cmd = [sys.executable, "-m", "partialload_opt.cli", *command(n, seed, engine, workers)[1:]]
        cmd += ["--report", str(report), "--counterexamples", str(Path(tmp) / "cx")]
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        t = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, check=True)
        wall = time.perf_counter() - t
        doc = json.loads((report / "report.json").read_text(encoding="utf-8"))
    counts = {
        f"{e['id']}/{e.get('solver', '')}/{e['reading']}/{e['semantics']}": (
            e["checked"],
            e["violated"],
            e["skipped"],
            sorted(Path(p).name for p in e["counterexamples"]),
        )
        for e in doc["claims"]
    }
    return wall, counts


def rate_lines(n: int, seed: int, workers: list[int], repeats: int) -> list[str]:
    """A Markdown table: per (engine, workers), min / median / max wall and instances per minute."""
    runs = [(engine, w) for w in workers for engine in ("dask", "local")]
    walls: dict[tuple, list[float]] = {r: [] for r in runs}
    counts: dict[tuple, dict] = {}
    for _ in range(repeats):  # interleaved, so a noisy minute hits every configuration alike
        for engine, w in runs:
            wall, counts[engine, w] = run_once(n, seed, engine, w)
            walls[engine, w].append(wall)
            print(engine, w, f"{wall:.2f} s", flush=True)
    lines = [
        f"`partialload verify --generate {n} --users 3..12 --seed {seed} --engine ENGINE --workers W`, "
        "the whole command (the dask rows "
        f"include starting and closing the LocalCluster), {repeats} runs each:",
        "",
        "| engine | workers | min s | median s | max s | instances per minute (median) |",
        "|---|---|---|---|---|---|",
    ]
    for (engine, w), t in walls.items():
        med = statistics.median(t)
        lines.append(
            f"| {engine} | {w} | {min(t):.2f} | {med:.2f} | {max(t):.2f} | **{60 * n / med:.0f}** |"
        )
    same = len({json.dumps(c, sort_keys=True) for c in counts.values()}) == 1
    lines += [
        "",
        "Per-claim counts (checked, violated, skipped) and counterexample names identical across "
        f"engines and worker counts: {same}.",
    ]
    return lines


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--note", default="", help="the machine's state (other work running?)")
    ap.add_argument("--out", default=str(HERE / "results-verify-dask.md"))
    a = ap.parse_args()
    start = os.getloadavg()[0]
    table = rate_lines(a.n, a.seed, a.workers, a.repeats)
    lines = [
        "# Verification on Dask (issue 31)",
        "",
        f"Machine: {os.cpu_count()} cores, {platform.machine()}, {platform.processor() or 'cpu'}, "
        f"Python {sys.version.split()[0]}; load average {start:.2f} at the start, "
        f"{os.getloadavg()[0]:.2f} at the end. Date: {date.today()}. Command: "
        f"`python benchmarks/verify_dask.py --n {a.n} --seed {a.seed} --workers "
        f"{' '.join(map(str, a.workers))} --repeats {a.repeats}`. {a.note}".rstrip(),
        "",
        *table,
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    Path(a.out).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
