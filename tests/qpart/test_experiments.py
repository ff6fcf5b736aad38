"""QPART's Section V: the sweep computes what the reproduction reports, and the reproduction is a
function of the stored results (docs/QPART-REPRODUCTION.md is regenerated from docs/qpart)."""

from __future__ import annotations

import json
import subprocess
import sys

from typer.testing import CliRunner

from partialload_opt.cli import app
from partialload_opt.qpart.experiments import section_v

from conftest import ROOT


def test_section_v_compares_qpart_with_no_optimization_per_partition():
    res = section_v(demands=(0.01,), prices=(0.0, 1000.0), scheme_demand=None)
    q = sorted(
        (r for r in res["per_partition"] if r["scheme"] == "QPART"), key=lambda r: r["partition"]
    )
    n = sorted(
        (r for r in res["per_partition"] if r["scheme"] == "no optimization"),
        key=lambda r: r["partition"],
    )
    assert [r["partition"] for r in q] == [r["partition"] for r in n] == list(range(6))
    assert all(
        a["payload_bits"] < b["payload_bits"] and a["time_s"] < b["time_s"] for a, b in zip(q, n)
    )
    assert all(r["accuracy"] == res["baseline_accuracy"] for r in n)  # 64 bits changes nothing
    assert [r["partition"] for r in res["best_by_price"]] == [
        0,
        5,
    ]  # free server: offload everything


def test_the_sweep_stores_results_and_figures_and_the_reproduction_is_written_from_them(tmp_path):
    r = CliRunner().invoke(
        app, ["qpart", "sweep", "--out", str(tmp_path / "q"), "--demand", "0.01", "--price", "300"]
    )
    assert r.exit_code == 0, r.output
    written = [line.split()[-1] for line in r.output.splitlines() if line.startswith("wrote")]
    assert len(written) == 15 and all((tmp_path / "q" / p.split("/")[-1]).exists() for p in written)
    out = tmp_path / "REPRO.md"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "qpart_reproduction.py"),
            str(tmp_path / "q"),
            str(out),
        ],
        check=True,
        cwd=ROOT,
    )
    text = out.read_text()
    assert "## Table III" in text and "## Fig. 5" in text and "interior partition" in text
    assert "## Figs. 7-10" in text and "autoencoder" in text and "pruning" in text


def test_the_shipped_reproduction_matches_its_stored_results():
    stored = json.loads((ROOT / "docs" / "qpart" / "results.json").read_text())
    assert stored == json.loads(json.dumps(section_v()))  # the stored run is this code's output
