"""QPART's Section V: the sweep computes what the reproduction reports, and the reproduction is a
function of the stored results (docs/QPART-REPRODUCTION.md is regenerated from docs/qpart)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
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


# How a stored number meets a fresh one. Floats: relative 1e-9 (another numpy or BLAS sums in another
# order and moves the last digits: numpy 2.4.6 moved budget_used by 6e-16). Measured accuracies (the
# digits network's share of the 450 test images it classifies right, through numpy's BLAS): absolute
# 0.005, about two images, so that a library upgrade flipping a near-tie passes and a real change
# does not. Counts, bit-widths, partitions, statuses and names: exactly.
FLOAT_REL = 1e-9
ACCURACY_ABS = 0.005


def assert_matches(stored, fresh, path="results"):
    """``fresh`` has ``stored``'s structure and values, within the tolerances above."""
    if isinstance(stored, dict):
        assert isinstance(fresh, dict) and stored.keys() == fresh.keys(), path
        for key in stored:
            assert_matches(stored[key], fresh[key], f"{path}.{key}")
    elif isinstance(stored, list):
        assert isinstance(fresh, list) and len(stored) == len(fresh), path
        for n, (a, b) in enumerate(zip(stored, fresh)):
            assert_matches(a, b, f"{path}[{n}]")
    elif isinstance(stored, float):
        abs_tol = ACCURACY_ABS if path.endswith("accuracy") else 0.0
        assert fresh == pytest.approx(stored, rel=FLOAT_REL, abs=abs_tol), path
    else:
        assert type(fresh) is type(stored) and fresh == stored, path


def test_the_shipped_reproduction_matches_its_stored_results():
    stored = json.loads((ROOT / "docs" / "qpart" / "results.json").read_text())
    # the stored run is this code's output, within the tolerances of assert_matches
    assert_matches(stored, json.loads(json.dumps(section_v())))


def test_the_comparison_of_stored_results_has_its_tolerances():
    stored = {"n": 3, "status": "optimal", "bits": [4, 5], "time_s": 0.1, "accuracy": 0.96}
    assert_matches(stored, dict(stored, time_s=0.1 * (1 + 1e-12), accuracy=0.958))
    for changed in ({"n": 4}, {"bits": [4, 6]}, {"time_s": 0.1001}, {"accuracy": 0.95}):
        with pytest.raises(AssertionError):
            assert_matches(stored, dict(stored, **changed))
