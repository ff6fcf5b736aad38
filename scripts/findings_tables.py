"""FINDINGS.md's tables from a verify run's report.json: every claim entry (checked, held, violated,
skipped) and Theorem 4's causes. Prints Markdown.

    python scripts/findings_tables.py runs/verify10k/report.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main(path: str) -> None:
    rep = json.loads(Path(path).read_text(encoding="utf-8"))
    print(
        f"{rep['instances']} instances, seed {rep['seed']}; solver disagreements: {len(rep['solver_bugs'])}; "
        f"internal errors: {len(rep['internal_errors'])}.\n"
    )
    print(
        "| claim | reading | semantics | checked | held | violated | skipped | causes / verdict |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for e in rep["claims"]:
        extra = ""
        if e.get("causes"):
            extra = ", ".join(f"{k} {v}" for k, v in e["causes"].items() if v) or "-"
        elif e.get("verdict"):
            extra = f"verdict: {e['verdict']}"
        print(
            f"| {e['id']} | {e['reading']} | {e['semantics']} | {e['checked']} | {e['held']} | "
            f"{e['violated']} | {e['skipped']} | {extra} |"
        )
    gaps = next((e for e in rep["claims"] if e["id"] == "gaps"), None)
    if gaps and gaps.get("measurement"):
        print(
            "\n| gaps (slotted, to a proved optimum) | n | mean | median | 90% | worst |\n|---|---|---|---|---|---|"
        )
        for k, v in gaps["measurement"].items():
            print(
                f"| {k} | {v['n']} | {100 * v['mean']:.2f}% | {100 * v['median']:.2f}% | {100 * v['q90']:.2f}% | "
                f"{100 * v['worst']:.1f}% |"
            )


if __name__ == "__main__":
    main(sys.argv[1])
