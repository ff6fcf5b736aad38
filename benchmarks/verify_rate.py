"""The verification throughput of issue 22: the whole ``partialload verify --generate N --users 3..12
--workers W --seed S`` command (checks, shrinking, counterexamples, report), timed as a process, R runs;
optionally the same command of another checkout (``--root``, e.g. an older commit) in turn, so both
see the same machine. Writes benchmarks/results-verify-rate.md.

    python benchmarks/verify_rate.py [--n 300] [--workers 2] [--repeats 3] [--root OLD_CHECKOUT]"""

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


def run_once(root: Path, n: int, workers: int, seed: int) -> tuple[float, dict]:
    """Wall seconds of one verify command run from ``root`` (its package first on the path), and
    the report's per-claim counts."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report"
        cmd = [sys.executable, "-m", "partialload_opt.cli", "verify", "--generate", str(n)]
        cmd += ["--users", "3..12", "--workers", str(workers), "--seed", str(seed)]
        cmd += ["--report", str(report), "--counterexamples", str(Path(tmp) / "cx")]
        env = dict(os.environ, PYTHONPATH=str(root))
        t = time.perf_counter()
        subprocess.run(cmd, cwd=root, env=env, capture_output=True, check=True)
        wall = time.perf_counter() - t
        doc = json.loads((report / "report.json").read_text(encoding="utf-8"))
    counts = {
        f"{e['id']}/{e.get('solver', '')}/{e['reading']}/{e['semantics']}": (
            e["checked"],
            e["violated"],
            e["skipped"],
        )
        for e in doc["claims"]
    }
    return wall, counts


def rate_lines(n: int, workers: int, seed: int, repeats: int, roots: dict[str, Path]) -> list[str]:
    """A Markdown table: per checkout, min / median / max wall and instances per minute."""
    walls: dict[str, list[float]] = {label: [] for label in roots}
    counts: dict[str, dict] = {}
    for _ in range(repeats):  # interleaved, so a noisy minute hits both alike
        for label, root in roots.items():
            wall, counts[label] = run_once(root, n, workers, seed)
            walls[label].append(wall)
            print(label, f"{wall:.2f} s", flush=True)
    lines = [
        f"`partialload verify --generate {n} --users 3..12 --workers {workers} --seed {seed}`, the whole "
        f"command, {repeats} runs each:",
        "",
        "| checkout | min s | median s | max s | instances per minute (median) |",
        "|---|---|---|---|---|",
    ]
    for label, w in walls.items():
        med = statistics.median(w)
        lines.append(
            f"| {label} | {min(w):.2f} | {med:.2f} | {max(w):.2f} | **{60 * n / med:.0f}** |"
        )
    if len(counts) > 1:
        same = len({json.dumps(c, sort_keys=True) for c in counts.values()}) == 1
        lines += [
            "",
            f"Per-claim counts (checked, violated, skipped) identical across checkouts: {same}.",
        ]
    return lines


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--root", default=None, help="another checkout to time the same way")
    ap.add_argument("--note", default="", help="the machine's state (other work running?)")
    ap.add_argument("--out", default=str(HERE / "results-verify-rate.md"))
    a = ap.parse_args()
    roots = {"this checkout": HERE.parent}
    if a.root:
        roots[f"{a.root}"] = Path(a.root).resolve()
    load = os.getloadavg()[0]
    lines = [
        "# Verification throughput (issue 22)",
        "",
        f"Machine: {os.cpu_count()} cores, {platform.machine()}, {platform.processor() or 'cpu'}, "
        f"Python {sys.version.split()[0]}; load average {load:.2f} at the start. Date: {date.today()}. "
        f"{a.note}".rstrip(),
        "",
        *rate_lines(a.n, a.workers, a.seed, a.repeats, roots),
        "",
        "Target: >= 1,000 instances per minute over K 3..12 on 2 workers.",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    Path(a.out).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
