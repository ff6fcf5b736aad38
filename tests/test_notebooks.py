"""Every notebook runs at its small setting (the [notebooks] extra provides nbclient + ipykernel)."""

from __future__ import annotations

from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))
RICH = NOTEBOOKS[0].parent / "rich-output.ipynb"


def test_there_is_a_notebook_per_figure_and_one_for_users_algorithms():
    assert [p.stem for p in NOTEBOOKS] == [
        "fig6",
        "fig7",
        "fig8",
        "fig9",
        "rich-output",
        "validate-your-algorithm",
    ]


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """The executed notebook of a path, run once per module in a scratch folder of its own."""
    done: dict = {}

    def run(path: Path):
        nbformat = pytest.importorskip("nbformat", reason="needs the [notebooks] extra")
        nbclient = pytest.importorskip("nbclient", reason="needs the [notebooks] extra")
        pytest.importorskip("ipykernel", reason="needs the [notebooks] extra (the python3 kernel)")
        if path not in done:
            nb = nbformat.read(path, as_version=4)
            folder = tmp_path_factory.mktemp(path.stem)
            nbclient.NotebookClient(
                nb,
                timeout=600,
                kernel_name="python3",
                resources={"metadata": {"path": str(folder)}},
            ).execute()
            done[path] = nb
        return done[path]

    return run


def _outputs(cell) -> list:
    return list(cell.get("outputs", [])) if cell.cell_type == "code" else []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs(path, executed):
    nb = executed(path)
    outputs = [o for c in nb.cells for o in _outputs(c)]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs), "the figure was not drawn"


def test_the_rich_output_notebook_shows_every_object_as_html_and_every_chart(executed):
    nb = executed(RICH)
    shown = {}  # the one-line repr's class name -> its HTML
    for cell in nb.cells:
        for o in _outputs(cell):
            data = o.get("data", {})
            if "text/html" in data:
                shown[data["text/plain"].split("(", 1)[0]] = data["text/html"]
    expected = [
        "Instance",
        "Result",
        "Schedule",
        "Evaluation",
        "QInstance",
        "QResult",
        "QEvaluation",
    ]
    assert sorted(shown) == sorted([*expected, "Report"])
    assert "K=20, I=5, BLS, T=20 slots" in shown["Instance"]
    assert "served 17, bound 17" in shown["Result"]
    assert "204 instances" in shown["Report"]
    drawing = [
        c for c in nb.cells if c.cell_type == "code" and "plot" in c.source and "ax" in c.source
    ]
    assert len(drawing) == 4  # plot.gantt twice, Result.plot with Evaluation.plot, sweep_curves
    for cell in drawing:
        assert any("image/png" in o.get("data", {}) for o in _outputs(cell)), cell.source
