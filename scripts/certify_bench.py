"""Prove the benchmark library from scratch and write its manifest (partialload_opt/benchlib/).

Every problem's entries (``Problem.bench_spec``: its tiers, instances and generator arguments) are
certified in every semantics of the problem (``Problem.certify``: the proved optimum, else the best
answer and the best bound found, an ``open`` entry) and written as pl-bench-manifest/1; small
instances are written as files beside it, large ones keep their generator arguments and the SHA-256 of
the instance they make. Resumable: finished entries are kept in WORK/certified.jsonl and skipped.

Run: python scripts/certify_bench.py [--tiers small,paper] [--workers 2] [--limit 120] [--work DIR]
(a subset of tiers replaces those tiers' entries in the existing manifest and keeps the others)."""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict
from datetime import date
from pathlib import Path

from rich.progress import Progress

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from partialload_opt import bench, problem  # noqa: E402
from partialload_opt.fileio import atomic_write_json, atomic_write_text  # noqa: E402
from partialload_opt.parallel import run_each  # noqa: E402


def certify_one(
    name: str, problem_name: str, doc: dict, semantics: list[str], limit: float
) -> list[dict]:
    """The certificates of one instance document (a worker's task; ``name``: its entry's)."""
    prob = problem.get(problem_name)
    inst = prob.load(doc, "<certify>")
    return [asdict(prob.certify(inst, sem, limit)) for sem in semantics]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--library", default=bench.LIBRARY)
    ap.add_argument("--tiers", default=None, help="comma-separated (default: every tier)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--limit", type=float, default=120.0, help="seconds per exact solve")
    ap.add_argument("--work", type=Path, default=ROOT / "build" / "certify")
    args = ap.parse_args()
    tiers = set(args.tiers.split(",")) if args.tiers else None
    lib_dir = bench.library_root() / args.library.replace("/", "-")
    args.work.mkdir(parents=True, exist_ok=True)
    store = args.work / f"{args.library.replace('/', '-')}.jsonl"
    done = {}
    if store.exists():
        for line in store.read_text().splitlines():
            if line.strip():
                e = json.loads(line)
                done[e["name"]] = e
    todo, planned, seen = [], [], set()
    for prob in problem.every():
        semantics = [s for s in prob.semantics] or ["-"]
        for tier, name, inst, generator in prob.bench_spec(ROOT):
            if tiers is not None and tier not in tiers:
                continue
            sha = bench.digest(inst)
            if sha in seen:  # the same instance under another name (e.g. Figs. 6 and 8)
                continue
            seen.add(sha)
            entry = {
                "name": name,
                "tier": tier,
                "problem": prob.name,
                "sha256": sha,
                "file": None if generator is not None else f"{lib_dir.name}/{tier}/{name}.json",
                "generator": generator,
                "meta": {"K": getattr(inst, "K", None), "case": inst.meta.get("case")},
            }
            if entry["file"] is not None:
                atomic_write_json(bench.library_root() / entry["file"], inst.to_dict())
            planned.append(entry)
            old = done.get(name)
            if old is None or old["sha256"] != sha:
                todo.append((name, prob.name, inst.to_dict(), semantics, args.limit))
    t0 = time.perf_counter()
    with Progress() as bar, store.open("a") as sink:
        job = bar.add_task("certifying", total=len(planned), completed=len(planned) - len(todo))
        entry_of = {e["name"]: e for e in planned}
        for task, certs in run_each(certify_one, todo, args.workers):
            e = dict(entry_of[task[0]], certificates=certs)
            if all(c["value"] == 0 for c in certs) and e["problem"] == "partialload":
                e["trivial"] = True  # no schedule serves anyone: nothing to score, left out
            done[e["name"]] = e
            sink.write(json.dumps(e) + "\n")
            sink.flush()
            bar.advance(job)
    _write_manifest(args.library, planned, done, tiers)
    print(f"certified {len(planned)} entries in {time.perf_counter() - t0:.0f} s")


def _write_manifest(version: str, planned: list[dict], done: dict, tiers) -> None:
    path = bench.manifest_path(version)
    kept = []
    if tiers is not None and path.exists():
        old = json.loads(path.read_text())
        kept = [e for e in old["entries"] if e["tier"] not in tiers]
    fresh = [done[e["name"]] for e in planned if not done[e["name"]].get("trivial")]
    for e in planned:
        if done[e["name"]].get("trivial") and e["file"]:
            (bench.library_root() / e["file"]).unlink(missing_ok=True)
    doc = {
        "format": "pl-bench-manifest/1",
        "library": version,
        "certified": str(date.today()),
        "command": "python scripts/certify_bench.py",
        "entries": kept + fresh,
    }
    atomic_write_text(path, json.dumps(doc, indent=1) + "\n")
    print(f"wrote {path} ({len(doc['entries'])} entries)")


if __name__ == "__main__":
    main()
