"""Every notebook runs at its small setting (the [notebooks] extra provides nbclient + ipykernel)."""

from __future__ import annotations

from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def test_there_is_a_notebook_per_figure_and_one_for_users_algorithms():
    assert [p.stem for p in NOTEBOOKS] == [
        "fig6",
        "fig7",
        "fig8",
        "fig9",
        "validate-your-algorithm",
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs(path, tmp_path):
    nbformat = pytest.importorskip("nbformat", reason="needs the [notebooks] extra")
    nbclient = pytest.importorskip("nbclient", reason="needs the [notebooks] extra")
    pytest.importorskip("ipykernel", reason="needs the [notebooks] extra (the python3 kernel)")
    nb = nbformat.read(path, as_version=4)
    nbclient.NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs), "the figure was not drawn"
