"""The results store: one SQLite file per sweep (DIR/results.sqlite).

SQLite because it ships with Python, commits a realization's rows atomically (a SIGKILL loses at
most the realization being written, never a finished one), and pandas reads it in one line. One
row per (figure, panel, x, seed, solver, semantics, bandwidth); a `done` row per finished task."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

SCHEMA = """
CREATE TABLE IF NOT EXISTS rows (
  figure TEXT, panel TEXT, axis TEXT, x REAL, seed INTEGER, solver TEXT, semantics TEXT,
  bandwidth TEXT, case_ TEXT, K INTEGER, served INTEGER, ratio REAL, status TEXT, bound REAL,
  wall_s REAL, message TEXT, params TEXT, optimal_over TEXT,
  PRIMARY KEY (figure, panel, x, seed, solver, semantics, bandwidth));
CREATE TABLE IF NOT EXISTS done (figure TEXT, panel TEXT, x REAL, seed INTEGER,
  PRIMARY KEY (figure, panel, x, seed));
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
"""


@dataclass(frozen=True)
class Row:
    figure: str
    panel: str
    axis: str
    x: float
    seed: int
    solver: str
    semantics: str
    bandwidth: str
    case_: str
    K: int
    served: int
    ratio: float
    status: str
    bound: float | None
    wall_s: float
    message: str
    params: str  # JSON of the instance's generator settings
    optimal_over: str | None = None  # Result.optimal_over: 'problem', 'theorem-2 form' or None


class Store:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.executescript(SCHEMA)
        columns = {row[1] for row in self.db.execute("PRAGMA table_info(rows)")}
        if "optimal_over" not in columns:  # a store written before the column existed
            with self.db:
                self.db.execute("ALTER TABLE rows ADD COLUMN optimal_over TEXT")

    def set_meta(self, **kw) -> None:
        with self.db:
            self.db.executemany(
                "INSERT OR REPLACE INTO meta VALUES (?, ?)",
                [(k, json.dumps(v)) for k, v in kw.items()],
            )

    def meta(self) -> dict:
        return {k: json.loads(v) for k, v in self.db.execute("SELECT key, value FROM meta")}

    def done_runs(self) -> set[tuple]:
        """(figure, panel, x, seed, solver, semantics, bandwidth) of every row on disk: a resumed
        sweep that asks for more solvers runs only the missing ones."""
        return set(
            self.db.execute("SELECT figure, panel, x, seed, solver, semantics, bandwidth FROM rows")
        )

    def add(self, task: tuple, rows: list[Row]) -> None:
        """A task's rows and its done mark, in one transaction."""
        with self.db:
            names = list(asdict(rows[0])) if rows else []
            self.db.executemany(
                f"INSERT OR REPLACE INTO rows ({','.join(names)}) VALUES ({','.join('?' * len(names))})",
                [tuple(asdict(r).values()) for r in rows],
            )
            self.db.execute("INSERT OR REPLACE INTO done VALUES (?, ?, ?, ?)", task)

    def frame(self) -> pd.DataFrame:
        return pd.read_sql_query("SELECT * FROM rows", self.db)

    def close(self) -> None:
        self.db.close()


def sweep_frame(path: Path) -> pd.DataFrame:
    """A store's rows in ``partialload_opt.results_frame``'s columns: each row paired with its
    realization's proved optimum (plots.paired_gaps) and its gap to it; ``instance`` names the
    realization (figure, panel, setting, seed); a bandwidth other than the optimal split is part of
    the solver's name."""
    from partialload_opt.partialloading.experiments.plots import paired_gaps

    store = Store(path)
    try:
        df = store.frame()
    finally:
        store.close()
    keys = ["figure", "panel", "x", "seed", "solver", "semantics", "bandwidth"]
    paired = paired_gaps(df)[[*keys, "optimum", "gap"]]
    df = df.merge(paired, on=keys, how="left")
    df["instance"] = (
        df["figure"] + df["panel"] + "-" + df["axis"] + df["x"].map("{:g}".format)
        + "-seed" + df["seed"].astype(str)
    )  # fmt: skip
    df = df.rename(columns={"case_": "case", "wall_s": "time"})
    df["solver"] = [
        s if b == "optimal" else f"{s} [{b}]" for s, b in zip(df["solver"], df["bandwidth"])
    ]
    return df
