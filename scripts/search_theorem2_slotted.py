"""Search for instances where Theorem 2's form (each model visited once, a prefix of its users by
p_k, full batches first; any model order) loses users in slotted time, against the theorem-free
search. Prints the number of instances tried and every counterexample found; --save DIR keeps them.

    python scripts/search_theorem2_slotted.py --case bls --n 20000 --seed 0
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from partialload_opt import solve
from partialload_opt.partialloading.claims import search
from partialload_opt.partialloading.generate import slot_edge_instance


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--case", default="bls", choices=("bls", "general"))
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--save", type=Path)
    ap.add_argument(
        "--random", action="store_true", help="random users instead of a planted revisit"
    )
    ap.add_argument(
        "--pattern",
        default="random",
        choices=("random", "peak"),
        help="peak: plant X, H, Y, H, Z with H the highest level (BLS)",
    )
    ap.add_argument(
        "--stop-after", type=int, default=0, help="stop after this many counterexamples"
    )
    a = ap.parse_args()
    t0, tried, found, bls = time.perf_counter(), 0, [], 0
    for s in range(a.seed, a.seed + a.n):
        inst = slot_edge_instance(s, a.case, planted=not a.random, pattern=a.pattern)
        if a.case == "bls" and not inst.is_bls:
            continue
        tried += 1
        bls += inst.is_bls
        form = solve(inst, "dp-exact", semantics="slotted", method="subsets").served
        free, batches = search.best(inst, "slotted")
        if free > form:
            found.append(s)
            print(f"seed {s}: Theorem-2 form {form}, theorem-free {free}: {batches}", flush=True)
            if a.save:
                a.save.mkdir(parents=True, exist_ok=True)
                (a.save / f"{inst.name}.json").write_text(json.dumps(inst.to_dict(), indent=1))
            if a.stop_after and len(found) >= a.stop_after:
                break
    print(
        json.dumps(
            {
                "case": a.case,
                "seeds": [a.seed, s],
                "tried": tried,
                "bls": bls,
                "counterexamples": len(found),
                "seconds": round(time.perf_counter() - t0, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
