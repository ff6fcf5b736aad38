"""Any stored result as one pandas DataFrame, for analysis without glue code: a sweep's store
(DIR/results.sqlite), a verification report (DIR/results.jsonl: its ``verify --solver`` checks) or a
benchmark run (DIR/scores.jsonl, ``partialload bench --out``).

Columns, whatever the source: solver, instance, case, semantics, served (QPART: the cost), optimum
(the proved optimum the row is paired with; NaN where none is known), gap (optimum - served; QPART:
the relative excess cost), time (seconds), status, source."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from partialload_opt.errors import InputError

COLUMNS = ["solver", "instance", "case", "semantics", "served", "optimum", "gap", "time", "status"]


def results_frame(path: str | Path) -> pd.DataFrame:
    """The rows of the store, report or benchmark run at ``path`` (a folder or the file itself)."""
    path = Path(path)
    candidates = (
        [path]
        if path.is_file()
        else [path / "results.sqlite", path / "results.jsonl", path / "scores.jsonl"]
    )
    for p in candidates:
        if p.exists():
            if p.suffix == ".sqlite":
                return _sweep(p)
            if p.name == "scores.jsonl":
                return _bench(p)
            return _verify(p)
    raise InputError(str(path), "", "holds no results.sqlite, results.jsonl or scores.jsonl")


def _sweep(path: Path) -> pd.DataFrame:
    """A sweep store belongs to the problem whose sweeps write it (``Problem.sweep_frame``)."""
    from partialload_opt import problem as problems

    for p in problems.every():
        df = p.sweep_frame(path)
        if df is not None:
            return _ordered(df, "sweep")
    raise InputError(str(path), "", "is a results.sqlite no problem's sweep reads")


def _verify(path: Path) -> pd.DataFrame:
    from partialload_opt.verify import SOLVER_PREFIX

    rows = []
    for line in path.read_text().splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        for c in row.get("checks", []):
            if not c["claim"].startswith(SOLVER_PREFIX) or c["status"] not in ("held", "violated"):
                continue
            v = c.get("values", {})
            optimum = v.get("optimum")
            served = v.get("served", v.get("objective"))
            gap = v.get("gap_users", v.get("gap_relative"))
            rows.append(
                {
                    "solver": c["claim"][len(SOLVER_PREFIX) :],
                    "instance": row["instance"],
                    "case": row.get("case"),
                    "semantics": c["semantics"],
                    "served": served,
                    "optimum": optimum,
                    "gap": gap,
                    "time": v.get("seconds"),
                    "status": v.get("status", c["status"]),
                }
            )
    return _ordered(pd.DataFrame(rows, columns=COLUMNS), "verify")


def _bench(path: Path) -> pd.DataFrame:
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    df = pd.DataFrame(rows)
    if df.empty:
        return _ordered(pd.DataFrame(columns=COLUMNS), "bench")
    df = df.rename(columns={"entry": "instance", "value": "served", "seconds": "time"})
    df["optimum"] = df["certified"].where(df["proved"])
    df["case"] = df["tier"]
    return _ordered(df, "bench")


def _ordered(df: pd.DataFrame, source: str) -> pd.DataFrame:
    for col in COLUMNS:
        if col not in df:
            df[col] = None
    out = df[COLUMNS + [c for c in df.columns if c not in COLUMNS]].copy()
    out["source"] = source
    return out.reset_index(drop=True)
