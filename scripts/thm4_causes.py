"""Theorem 4's violations at the paper's scales, one cause each (partialloading/claims/thm4.py): dp-paper against
a proved optimum (in the BLS case Theorem 2's form is proved in both semantics, so dp-exact / cpsat
give it), else against the best known feasible schedule. Every point of the figure's BLS panels,
realization seeds 0..N-1 (the seeds of the sweeps). Writes docs/thm4-causes-FIGURE.json and prints
a Markdown table.

    python scripts/thm4_causes.py fig9 --realizations 1000
    python scripts/thm4_causes.py fig6 --realizations 10 --workers 2
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from concurrent.futures import as_completed
from pathlib import Path

from rich.progress import Progress

from partialload_opt.parallel import process_pool
from partialload_opt.partialloading.claims import thm4
from partialload_opt.partialloading.claims.context import Context
from partialload_opt.partialloading.experiments.figures import figure
from partialload_opt.partialloading.generate import generate

ROOT = Path(__file__).resolve().parents[1]


def one(name: str, panel_id: str, x, seed: int, time_limit: float) -> list[dict]:
    panel = next(p for p in figure(name) if p.panel == panel_id)
    inst = generate(panel.config(x, seed))
    ctx = Context(inst, time_limit)
    out = []
    for sem in ("slotted", "continuous"):
        c = thm4.check(ctx, "without-loss", sem)
        out.append(
            {
                "panel": panel_id,
                "x": x,
                "seed": seed,
                "semantics": sem,
                "status": c.status,
                "reason": c.reason if c.status == "skipped" else "",
                **c.values,
            }
        )
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("figure", choices=("fig6", "fig9"))
    ap.add_argument("--realizations", type=int, default=10, help="seeds 0..N-1 per point")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--time-limit", type=float, default=60.0)
    a = ap.parse_args()
    tasks = [
        (a.figure, p.panel, x, s, a.time_limit)
        for p in figure(a.figure)
        if p.case == "bls"
        for x in p.values
        for s in range(a.realizations)
    ]
    t0 = time.perf_counter()
    rows: list[dict] = []
    with Progress() as bar, process_pool(a.workers) as pool:
        job = bar.add_task(f"{a.figure}: thm4 causes", total=len(tasks))
        for fut in as_completed([pool.submit(one, *t) for t in tasks]):
            rows += fut.result()
            bar.advance(job)
    counts: dict[str, Counter] = {"slotted": Counter(), "continuous": Counter()}
    for r in rows:
        key = r.get("cause", "violated") if r["status"] == "violated" else r["status"]
        counts[r["semantics"]][
            key if r["status"] != "skipped" else f"skipped: {r['reason'][:50]}"
        ] += 1
    doc = {
        "figure": a.figure,
        "realizations_per_point": a.realizations,
        "instances": len(tasks),
        "seconds": round(time.perf_counter() - t0, 1),
        "counts": {k: dict(v) for k, v in counts.items()},
        "violations": sorted(
            (r for r in rows if r["status"] == "violated"),
            key=lambda r: (r["panel"], r["x"], r["seed"], r["semantics"]),
        ),
    }
    path = ROOT / "docs" / f"thm4-causes-{a.figure}.json"
    path.write_text(json.dumps(doc, indent=1) + "\n")
    cols = [
        "held",
        *thm4.CAUSES,
        *sorted({k for c in counts.values() for k in c} - {"held", *thm4.CAUSES}),
    ]
    print(f"| semantics | {' | '.join(cols)} |\n|---|{'---|' * len(cols)}")
    for sem, c in counts.items():
        print(f"| {sem} | " + " | ".join(str(c.get(k, 0)) for k in cols) + " |")
    print(f"{len(tasks)} instances; wrote {path} ({doc['seconds']} s)")


if __name__ == "__main__":
    main()
