"""Sweeps: the store, resume after SIGKILL, local = Dask, plots, and bad input."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pandas as pd
import pytest
from typer.testing import CliRunner

from partialload_opt.cli import app
from partialload_opt.partialloading.experiments import figures
from partialload_opt.partialloading.experiments.plots import gains, plot_sweep, summary
from partialload_opt.partialloading.experiments.sweep import run_sweep

from conftest import ROOT

TOML = """
name = "t"
case = "bls"
realizations = 3
solvers = ["dp-paper:slotted", "greedy-paper:slotted", "independent:slotted", "dp-exact:continuous"]
[grid]
deadline_ms = [300, 600]
[generator]
users = 12
models = 6
"""


def rows(path) -> pd.DataFrame:
    df = pd.read_sql_query("SELECT * FROM rows", sqlite3.connect(path))
    return (
        df.drop(columns=["wall_s"])
        .sort_values(["panel", "x", "seed", "solver", "semantics", "bandwidth"])
        .reset_index(drop=True)
    )


def test_toml_sweep_and_plot(tmp_path):
    spec = tmp_path / "t.toml"
    spec.write_text(TOML)
    r = CliRunner().invoke(app, ["sweep", str(spec), "--out", str(tmp_path / "run")])
    assert r.exit_code == 0, r.output
    df = rows(tmp_path / "run" / "results.sqlite")
    assert len(df) == 2 * 3 * 4 and set(df["status"]) <= {"optimal", "feasible"}
    assert (df["ratio"] == df["served"] / df["K"]).all()
    r = CliRunner().invoke(app, ["plot", str(tmp_path / "run")])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "run" / "figures" / "t-a.png").exists() and (
        tmp_path / "run" / "figures" / "t-a.pdf"
    ).exists()
    r = CliRunner().invoke(app, ["sweep", str(spec), "--out", str(tmp_path / "run")])
    assert r.exit_code == 2 and "--resume" in r.stderr


def test_gains_follow_the_papers_definition():
    df = pd.DataFrame(
        {
            "figure": "fig6",
            "panel": "a",
            "axis": "users",
            "x": [1, 1, 2, 2],
            "seed": 0,
            "solver": ["dp-paper", "independent"] * 2,
            "semantics": "slotted",
            "bandwidth": "optimal",
            "ratio": [0.6, 0.5, 0.9, 0.6],
            "status": "feasible",
        }
    )
    g = gains(summary(df), "fig6")
    # mean over points of (0.6 - 0.5) / 0.5 = 20% and (0.9 - 0.6) / 0.6 = 50%: 35%
    assert g.loc[0, "gain_pct"] == pytest.approx(35.0)


def test_resume_with_more_solvers_runs_only_the_missing_ones(tmp_path):
    spec = tmp_path / "t.toml"
    spec.write_text(TOML)
    base = ["sweep", str(spec), "--out", str(tmp_path / "run")]
    r = CliRunner().invoke(app, base + ["--solvers", "dp-paper,greedy-paper"])
    assert r.exit_code == 0, r.output
    first = rows(tmp_path / "run" / "results.sqlite")
    assert set(first["solver"]) == {"dp-paper", "greedy-paper"} and len(first) == 2 * 3 * 2
    walls = pd.read_sql_query(
        "SELECT solver, seed, x, wall_s FROM rows",
        sqlite3.connect(tmp_path / "run" / "results.sqlite"),
    )
    r = CliRunner().invoke(app, base + ["--resume"])
    assert r.exit_code == 0, r.output
    both = rows(tmp_path / "run" / "results.sqlite")
    assert len(both) == 2 * 3 * 4 and set(both["solver"]) == {
        "dp-paper",
        "greedy-paper",
        "independent",
        "dp-exact",
    }
    again = pd.read_sql_query(
        "SELECT solver, seed, x, wall_s FROM rows",
        sqlite3.connect(tmp_path / "run" / "results.sqlite"),
    )
    kept = again.merge(walls, on=["solver", "seed", "x"], suffixes=("", "_first"))
    assert len(kept) == len(walls) and (kept["wall_s"] == kept["wall_s_first"]).all(), (
        "finished rows were recomputed"
    )
    r = CliRunner().invoke(app, ["sweep", str(spec), "--out", str(tmp_path / "whole")])
    assert r.exit_code == 0, r.output
    pd.testing.assert_frame_equal(both, rows(tmp_path / "whole" / "results.sqlite"))


def test_a_one_setting_panel_is_drawn_as_ratio_and_time_bars(tmp_path):
    df = pd.DataFrame(
        {
            "figure": "fig9",
            "panel": "a",
            "axis": "users",
            "x": 20.0,
            "seed": [0, 1, 0, 1],
            "solver": ["exhaustive", "exhaustive", "dp-paper", "dp-paper"],
            "semantics": "slotted",
            "bandwidth": "optimal",
            "ratio": [0.9, 1.0, 0.8, 1.0],
            "status": ["optimal"] * 2 + ["feasible"] * 2,
            "wall_s": [0.02, 0.03, 0.001, 0.003],
        }
    )
    written = plot_sweep(df, tmp_path)
    assert tmp_path / "figures" / "fig9-a.png" in written
    s = pd.read_csv(tmp_path / "figures" / "summary.csv").set_index("run")
    assert s.loc["exhaustive (slotted)", "wall_ms"] == pytest.approx(25.0)
    assert s.loc["dp-paper (slotted)", "mean"] == pytest.approx(0.9)


def test_killed_sweep_resumes_to_the_same_rows(tmp_path):
    spec = tmp_path / "t.toml"
    spec.write_text(TOML.replace("realizations = 3", "realizations = 40"))
    cmd = [
        sys.executable,
        "-m",
        "partialload_opt.cli",
        "sweep",
        str(spec),
        "--out",
        str(tmp_path / "killed"),
    ]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    db = tmp_path / "killed" / "results.sqlite"
    deadline = time.time() + 120
    while time.time() < deadline:
        time.sleep(0.2)
        try:
            n = sqlite3.connect(db).execute("SELECT COUNT(*) FROM done").fetchone()[0]
        except sqlite3.Error:
            n = 0
        if n >= 3:
            break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    partial = sqlite3.connect(db).execute("SELECT COUNT(*) FROM done").fetchone()[0]
    assert 3 <= partial < 80, "kill the sweep halfway"
    r = subprocess.run(cmd + ["--resume"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "partialload_opt.cli",
            "sweep",
            str(spec),
            "--out",
            str(tmp_path / "whole"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr
    pd.testing.assert_frame_equal(rows(db), rows(tmp_path / "whole" / "results.sqlite"))


def test_dask_engine_gives_the_local_numbers(tmp_path):
    pytest.importorskip("dask.distributed", reason="needs the [dask] extra")
    panels = [
        figures.Panel(
            "t",
            "a",
            "deadline_ms",
            (300.0,),
            "bls",
            (figures.Run("dp-paper", "slotted"), figures.Run("dp-exact", "continuous")),
            {"users": 10, "models": 5},
        )
    ]
    local = run_sweep(panels, tmp_path / "local", 3)
    dask = run_sweep(panels, tmp_path / "dask", 3, engine="dask", workers=1)
    local.close()
    dask.close()
    pd.testing.assert_frame_equal(
        rows(tmp_path / "local" / "results.sqlite"), rows(tmp_path / "dask" / "results.sqlite")
    )


def test_bad_sweep_input_exits_2(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('case = "weird"\n[grid]\nusers = [1]\n')
    r = CliRunner().invoke(app, ["sweep", str(bad), "--out", str(tmp_path / "o")])
    assert r.exit_code == 2 and "case must be bls or general" in r.stderr
    r = CliRunner().invoke(app, ["sweep", "fig42", "--out", str(tmp_path / "o")])
    assert r.exit_code == 2
    bad.write_text("[grid]\nwarp_factor = [1]\n")
    r = CliRunner().invoke(app, ["sweep", str(bad), "--out", str(tmp_path / "o")])
    assert r.exit_code == 2 and "warp_factor" in r.stderr


def test_figure_definitions_follow_section_vii():
    f6 = figures.figure("fig6")
    assert [p.axis for p in f6] == ["bandwidth_mhz", "users", "deadline_ms", "theta"]
    assert f6[0].values == (10, 50, 100, 200, 300, 400)
    assert figures.DEFAULTS == {
        "bandwidth_mhz": 200.0,
        "users": 80,
        "deadline_ms": 700.0,
        "theta": 0.85,
        "slot_ms": 10.0,
    }
    assert {r.bandwidth for r in figures.figure("fig8")[0].runs} == {
        "optimal",
        "equal:5",
        "equal:10",
        "equal:20",
    }
    cfg = figures.figure("fig9")[0].config(20, seed=3)
    assert (cfg.users, cfg.models, cfg.deadline_ms) == (20, 5, 200.0)


@pytest.mark.slow
def test_fig9_at_the_papers_scale_exact_solvers_agree_and_bound_the_heuristics(tmp_path):
    """Fig. 9 (K=20, I=5, Tbar=200 ms), 100 realizations per panel on 2 workers."""
    store = run_sweep(figures.figure("fig9"), tmp_path, 100, workers=2)
    df = store.frame()
    store.close()
    assert len(df) == 100 * (5 + 4) and set(df["status"]) <= {"optimal", "feasible"}
    piv = df.pivot_table(index=["panel", "seed"], columns=["solver", "semantics"], values="served")
    assert (piv[("exhaustive", "slotted")] == piv[("dp-exact", "slotted")]).all()
    for heur in ("greedy-paper", "dp-paper"):
        got = piv[(heur, "slotted")].dropna()
        assert (got <= piv[("exhaustive", "slotted")].loc[got.index]).all()
    assert (piv[("dp-exact", "continuous")] >= piv[("dp-exact", "slotted")]).all()


def test_a_store_written_before_the_optimal_over_column_gains_it(tmp_path):
    from partialload_opt.partialloading.experiments.store import SCHEMA, Row, Store

    old = SCHEMA.replace(" optimal_over TEXT,", "")
    db = sqlite3.connect(tmp_path / "results.sqlite")
    db.executescript(old)
    db.close()
    store = Store(tmp_path / "results.sqlite")
    row = Row(
        "fig9",
        "a",
        "users",
        20.0,
        0,
        "cpsat",
        "slotted",
        "optimal",
        "bls",
        20,
        19,
        0.95,
        "optimal",
        19.0,
        0.1,
        "",
        "{}",
        "all schedules",
    )
    store.add(("fig9", "a", 20.0, 0), [row])
    assert store.frame()["optimal_over"].tolist() == ["all schedules"]
    store.close()


GAP_TOML = """
name = "greedy-gap"
case = "general"
realizations = 2
solvers = ["greedy-paper:slotted", "cpsat-segment:slotted"]
[grid]
users = [12, 20]
[generator]
models = 6
deadline_ms = 200
"""


def test_a_sweep_writes_the_gap_to_the_proved_optimum_per_point_and_a_gap_figure(tmp_path):
    """Issue 30's research question from the toolkit's own output: greedy-paper's gap to the proved
    slotted optimum as K grows, general case, no glue code."""
    from partialload_opt import results_frame

    spec = tmp_path / "g.toml"
    spec.write_text(GAP_TOML)
    run = tmp_path / "run"
    assert CliRunner().invoke(app, ["sweep", str(spec), "--out", str(run)]).exit_code == 0
    r = CliRunner().invoke(app, ["plot", str(run)])
    assert r.exit_code == 0, r.output
    figs = run / "figures"
    table = (figs / "gaps.md").read_text()
    assert "| K | cpsat-segment (slotted) | greedy-paper (slotted) |" in table
    gaps = pd.read_csv(figs / "gaps.csv")
    assert set(gaps["x"]) == {12.0, 20.0} and (gaps["n"] == 2).all()
    exact = gaps[gaps["run"] == "cpsat-segment (slotted)"]
    assert (exact["mean_gap"] == 0).all()  # proved on every realization here
    assert (figs / "gaps-greedy-gap-a.png").exists()
    df = results_frame(run)
    assert list(df.columns[:9]) == [
        "solver", "instance", "case", "semantics", "served", "optimum", "gap", "time", "status",
    ]  # fmt: skip
    greedy = df[df["solver"] == "greedy-paper"]
    assert (greedy["gap"] == greedy["optimum"] - greedy["served"]).all()
    mean = greedy.groupby("K")["gap"].mean()
    assert list(mean.round(6)) == list(
        gaps[gaps["run"].str.startswith("greedy")]["mean_gap"].round(6)
    )
    assert "No gain table" in (figs / "gains.md").read_text()


def test_without_a_proved_optimum_the_gap_table_says_why(tmp_path):
    from partialload_opt.partialloading.experiments.plots import gaps, gaps_markdown

    df = pd.DataFrame(
        [dict(figure="t", panel="a", axis="users", x=10.0, seed=0, solver="greedy-paper",
              semantics="slotted", bandwidth="optimal", served=3, status="feasible")]
    )  # fmt: skip
    g = gaps(df)
    assert g.empty and "no run of this sweep proved one" in gaps_markdown(g, df)


@pytest.mark.parametrize("spec", sorted((ROOT / "sweeps").glob("*.toml")), ids=lambda p: p.name)
def test_the_shipped_sweep_files_read(spec):
    name, panels, opts = figures.from_toml(spec)
    assert name == spec.stem and panels and all(p.runs for p in panels)
