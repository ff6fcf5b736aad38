"""How cost grows with K: every exact method and the paper's algorithms on the scale family's
generator (bls: Tbar 700 ms; general: Tbar 500 ms, B = 50 MHz), K = 10 .. 1,280, both semantics;
writes benchmarks/results-scaling.md, the rows as .jsonl beside it and benchmarks/scaling.png
(time against K, log-log, one panel per family and semantics, with the fitted growth).

Each (method, family, semantics) runs up the sizes until it stops: the first size where no seed
finishes within --limit (a timeout, or the method refuses the size: a state or user limit) ends its
line, and the table says where and why. A run's time is ``solve``'s whole call on a freshly generated
instance (its derived data, the re-score and the bound included); the growth is the slope of
log(median time) against log(K) over the sizes where every seed finished.

Run: python benchmarks/scaling.py [--seeds 3] [--limit 60] [--resume]"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import numpy as np
from rich.progress import Progress

from partialload_opt import solve
from partialload_opt.partialloading.generate import generate
from partialload_opt.results import Unsupported

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from scale_proofs import FAMILIES, config, stored_rows  # noqa: E402  (the scale family's generator settings)

SIZES = (10, 20, 40, 80, 160, 320, 640, 1280)
EXACT = ("dp-exact", "cpsat", "milp-compact", "cpsat-batch", "milp-batch", "exhaustive")
METHODS = {
    "continuous": EXACT,
    "slotted": (*EXACT, "cpsat-segment", "milp-segment", "dp-paper", "greedy-paper", "independent"),
}
FINISHED = ("optimal", "feasible")  # a heuristic's answer, or an exact method's within the limit


def run_one(family: str, K: int, seed: int, name: str, sem: str, limit: float) -> dict:
    inst = generate(config(family, K, seed))
    t = time.perf_counter()
    try:
        r = solve(inst, name, semantics=sem, time_limit=limit)
        status, served, bound, message = r.status.value, r.served, r.bound, r.message
    except Unsupported as e:
        status, served, bound, message = "refused", None, None, str(e)
    return {
        "family": family, "K": K, "seed": seed, "solver": name, "semantics": sem,
        "status": status, "served": served, "bound": bound,
        "seconds": round(time.perf_counter() - t, 4), "message": message[:200],
    }  # fmt: skip


def lines() -> list[tuple[str, str, str]]:
    return [(f, sem, m) for f in FAMILIES for sem, ms in METHODS.items() for m in ms]


def sweep(args, rows: list[dict], sink) -> None:
    """Each line up the sizes until it stops (resumes from ``rows``)."""
    done = {(r["family"], r["K"], r["seed"], r["solver"], r["semantics"]): r for r in rows}
    with Progress() as bar:
        job = bar.add_task("lines", total=len(lines()))
        for family, sem, name in lines():
            for K in SIZES:
                got = []
                for seed in range(args.seeds):
                    key = (family, K, seed, name, sem)
                    if key not in done:
                        done[key] = run_one(family, K, seed, name, sem, args.limit)
                        rows.append(done[key])
                        sink.write(json.dumps(done[key]) + "\n")
                        sink.flush()
                    got.append(done[key])
                if not any(g["status"] in FINISHED for g in got):
                    break  # its line stops here
            bar.advance(job)


def growth(points: list[tuple[int, float]]) -> float | None:
    """The slope of log(time) against log(K) (None with fewer than 3 sizes)."""
    if len(points) < 3:
        return None
    k, t = np.log([p[0] for p in points]), np.log([max(p[1], 1e-5) for p in points])
    return float(np.polyfit(k, t, 1)[0])


def summary(rows: list[dict], seeds: int) -> dict:
    """(family, semantics, method) -> {points: [(K, median s)], stops: text, proved: {K: n}}."""
    by = defaultdict(lambda: defaultdict(list))
    for r in rows:
        by[(r["family"], r["semantics"], r["solver"])][r["K"]].append(r)
    out = {}
    for key, per_k in by.items():
        points, stops, proved = [], "-", {}
        for K in sorted(per_k):
            runs = per_k[K]
            proved[K] = sum(r["status"] == "optimal" for r in runs)
            if len(runs) == seeds and all(r["status"] in FINISHED for r in runs):
                points.append((K, statistics.median(r["seconds"] for r in runs)))
            else:
                why = Counter(r["status"] for r in runs if r["status"] not in FINISHED)
                why_text = ", ".join(f"{n} {st}" for st, n in sorted(why.items()))
                stops = f"K = {K} ({why_text})"
                break
        out[key] = {"points": points, "stops": stops, "proved": proved}
    return out


def report(rows: list[dict], args, wall: float) -> str:
    s = summary(rows, args.seeds)
    head = "| family | semantics | method | " + " | ".join(f"K={K}" for K in SIZES)
    out = [
        "# How cost grows with K",
        "",
        f"`python benchmarks/scaling.py --seeds {args.seeds} --limit {args.limit:g}`, {date.today()}, "
        f"{platform.machine()} ({os.cpu_count()} cores), Python {platform.python_version()}, "
        f"{wall / 60:.1f} min. Median seconds of `solve()` over {args.seeds} seeds (the number proved "
        "optimal beside it where not all); `-`: the line stopped before. Growth: time ~ K^b over the "
        "sizes where every seed finished. Families: bls (Tbar 700 ms), general (Tbar 500 ms, B = 50 MHz).",
        "",
        head + " | growth b | stops at |",
        "|---" * (len(SIZES) + 5) + "|",
    ]
    for (family, sem, name), v in sorted(s.items()):
        cells = []
        times = dict(v["points"])
        for K in SIZES:
            if K in times:
                p = v["proved"].get(K, 0)
                tag = "" if p == args.seeds else f" ({p}/{args.seeds})"
                cells.append(f"{times[K]:.3g}{tag}")
            else:
                cells.append("-")
        b = growth(v["points"])
        out.append(
            f"| {family} | {sem} | {name} | " + " | ".join(cells)
            + f" | {'-' if b is None else f'{b:.2f}'} | {v['stops']} |"
        )  # fmt: skip
    out += ["", "![time against K](scaling.png)", ""]
    return "\n".join(out) + "\n"


def plot(rows: list[dict], seeds: int, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    s = summary(rows, seeds)
    panels = [(f, sem) for f in FAMILIES for sem in METHODS]
    fig, axes = plt.subplots(2, 2, figsize=(12, 9), sharex=True, sharey=True)
    for ax, (family, sem) in zip(axes.flat, panels):
        for (f, se, name), v in sorted(s.items()):
            if (f, se) != (family, sem) or not v["points"]:
                continue
            k, t = zip(*v["points"])
            b = growth(v["points"])
            label = name + ("" if b is None else f" (K^{b:.1f})")
            ax.plot(k, t, marker="o", label=label)
        ax.set(xscale="log", yscale="log", title=f"{family}, {sem}", xlabel="K (users)")
        ax.set_ylabel("seconds (median)")
        ax.legend(fontsize=7)
        ax.grid(True, which="both", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--limit", type=float, default=60.0, help="seconds per solve")
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--out", type=Path, default=HERE / "results-scaling.md")
    args = ap.parse_args()
    store, rows = stored_rows(args.out, args.resume)
    t0 = time.perf_counter()
    with store.open("a") as sink:
        sweep(args, rows, sink)
    args.out.write_text(report(rows, args, time.perf_counter() - t0))
    plot(rows, args.seeds, args.out.with_name("scaling.png"))
    print(f"wrote {args.out}, {args.out.with_name('scaling.png')}")


if __name__ == "__main__":
    main()
