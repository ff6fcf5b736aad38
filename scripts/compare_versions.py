"""Two versions of the toolkit on every shipped instance, side by side: a restructuring changes no
answer a user sees (status, served count, bound; QPART: status and objective), and verification's
report keeps its counts.

    git worktree add /tmp/before <commit>
    python scripts/compare_versions.py --against /tmp/before [--out docs/compare-NAME.md]

Each version runs in its own interpreter, from its own checkout (``PYTHONPATH`` puts its package
first), on this checkout's instances. Every registered
built-in solver of each problem runs on each shipped instance (counterexamples, handmade, small,
regression, paper, qpart) in each semantics it supports, with ``--limit`` seconds; PartialLoading
instances above ``--max-users`` users get the paper's algorithms and dp-exact only (the exact models
would stop at the time limit, where answers depend on the machine). A row that timed out in either
version is listed apart (timing, not an answer), not as a difference. Then `partialload verify
--generate N` with the same seed in both, compared claim by claim. Exits 1 on any difference."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = ("handmade", "small", "regression", "counterexamples", "paper", "qpart")
FAST = ("dp-paper", "greedy-paper", "independent", "dp-exact")

RUN = r"""
import json, sys, warnings
from pathlib import Path
warnings.simplefilter("ignore")
from partialload_opt import solve
from partialload_opt.registry import solvers
from partialload_opt.results import Unsupported

paths, limit, max_users, fast = json.loads(sys.argv[1])
from partialload_opt import problem as problems

for path in paths:
    doc = json.loads(Path(path).read_text())
    owner = problems.of(doc)
    inst = owner.load(doc, path)
    qpart = owner.name == "qpart"
    problem = owner.name
    for name, info in sorted(solvers(problem).items()):
        if info.user or info.missing_extra():
            continue
        if not qpart and inst.K > max_users and name not in fast:
            continue
        for sem in (info.semantics or ("-",)) if not qpart else ("-",):
            try:
                kw = {} if qpart else {"semantics": sem}
                r = solve(inst, name, time_limit=limit, **kw)
            except Unsupported:
                continue
            d = r.to_dict()
            print(json.dumps({
                "instance": "/".join(Path(path).parts[-2:]), "solver": name,
                "semantics": sem, "status": d.get("status"),
                "value": d.get("served", d.get("objective")), "bound": d.get("bound"),
            }), flush=True)
"""


def instances() -> list[Path]:
    return sorted(p for f in FOLDERS for p in (ROOT / "instances" / f).glob("*.json"))


def run_rows(code: Path, paths: list[Path], args) -> dict[tuple, dict]:
    """Every (instance, solver, semantics) row of one version."""
    env = dict(os.environ, PYTHONPATH=str(code))
    job = json.dumps([[str(p) for p in paths], args.limit, args.max_users, list(FAST)])
    out = subprocess.run(
        [sys.executable, "-c", RUN, job], cwd=code, env=env, capture_output=True, text=True
    )
    if out.returncode:
        sys.exit(f"{code}: {out.stderr[-2000:]}")
    rows = [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]
    return {(r["instance"], r["solver"], r["semantics"]): r for r in rows}


def verify_counts(code: Path, args) -> dict:
    """claim (reading, semantics) -> its counts in `partialload verify --generate N --seed S`."""
    env = dict(os.environ, PYTHONPATH=str(code))
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "partialload_opt.cli", "verify", "--generate",
               str(args.verify), "--seed", "0", "--report", tmp + "/r", "--no-shrink",
               "--workers", "1"]  # fmt: skip
        subprocess.run(cmd, cwd=code, env=env, capture_output=True, text=True)
        doc = json.loads(Path(tmp, "r", "report.json").read_text())
    return {
        f"{c['id']} ({c['reading']}, {c['semantics']})": {
            k: c.get(k) for k in ("checked", "held", "violated", "skipped")
        }
        for c in doc["claims"]
    }


def compare(before: dict, after: dict) -> tuple[list[str], list[str]]:
    """(differences, rows that timed out in either version)."""
    diffs, timing = [], []
    for key in sorted(set(before) | set(after)):
        b, a = before.get(key), after.get(key)
        if b is None or a is None:
            diffs.append(f"{key}: only {'after' if b is None else 'before'}")
            continue
        if "timeout" in (b["status"], a["status"]):
            timing.append(f"{key}: {b['status']} -> {a['status']}")
            continue
        seen = [(x["status"], x["value"], x["bound"]) for x in (b, a)]
        if seen[0] != seen[1]:
            diffs.append(f"{key}: {seen[0]} -> {seen[1]}")
    return diffs, timing


def version(root: Path) -> str:
    """A checkout's commit, ``-dirty`` when its tracked files differ from it."""
    out = subprocess.run(
        ["git", "-C", str(root), "describe", "--always", "--dirty"],
        capture_output=True,
        text=True,
        check=False,
    )
    return out.stdout.strip() or str(root)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--against", type=Path, required=True, help="a checkout of the other version")
    ap.add_argument("--limit", type=float, default=20.0, help="seconds per solve")
    ap.add_argument("--max-users", type=int, default=12)
    ap.add_argument("--verify", type=int, default=100, help="generated instances verified")
    ap.add_argument("--out", type=Path, help="also write the comparison as Markdown here")
    args = ap.parse_args()
    paths = instances()
    before, after = run_rows(args.against, paths, args), run_rows(ROOT, paths, args)
    diffs, timing = compare(before, after)
    vb, va = verify_counts(args.against, args), verify_counts(ROOT, args)
    vdiffs = [
        f"{c}: {vb.get(c)} -> {va.get(c)}"
        for c in sorted(set(vb) | set(va))
        if vb.get(c) != va.get(c)
    ]
    lines = [
        f"# {version(args.against)} (before) against {version(ROOT)} (after)",
        "",
        f"{len(paths)} shipped instances, {len(after)} solver rows (limit {args.limit} s); "
        f"{len(diffs)} differences, {len(timing)} rows timed out in a version (not compared).",
        f"`verify --generate {args.verify} --seed 0`: {len(vb)} claims, {len(vdiffs)} differences.",
        "",
        *(f"- {d}" for d in diffs + vdiffs),
        *(["", "Timed out (timing, not an answer):"] if timing else []),
        *(f"- {t}" for t in timing),
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    sys.exit(1 if diffs or vdiffs else 0)


if __name__ == "__main__":
    main()
