"""Write notebooks/figN.ipynb: each runs its figure's sweep at a small setting and draws it.
The test suite executes them (tests/test_notebooks.py); raise REALIZATIONS for a real run."""

from pathlib import Path

import nbformat as nbf

OUT = Path(__file__).resolve().parents[1] / "notebooks"
TEXT = {
    "fig6": "Fig. 6 — served user ratio in the BLS case vs B, K, Tbar, theta (dp-paper, greedy-paper, "
    "Independent Loading) with the exact optima beside them.",
    "fig7": "Fig. 7 — the general case (greedy-paper vs Independent Loading) with the exact optima.",
    "fig8": "Fig. 8 — ablation: Proposition 1's bandwidth split vs equal splits into r = 5, 10, 20 sub-channels.",
    "fig9": "Fig. 9 — K = 20, I = 5, Tbar = 200 ms: served ratio and running time against exhaustive search.",
}


def notebook(fig: str) -> nbf.NotebookNode:
    nb = nbf.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [
        nbf.v4.new_markdown_cell(
            f"# {TEXT[fig]}\n\nSmall setting by default (the tests run it); the full "
            f"reproduction is `partialload sweep {fig} --realizations 1000`."
        ),
        nbf.v4.new_code_cell(
            "%matplotlib inline\n"
            "REALIZATIONS = 1          # channel realizations per point (paper: 1000)\n"
            "POINTS = 2                # grid points per panel kept (None: all)\n"
            "EXACT_REALIZATIONS = 0    # realizations that also get the slow exact slotted solve"
        ),
        nbf.v4.new_code_cell(
            "import tempfile\nfrom dataclasses import replace\nfrom pathlib import Path\n\n"
            "from partialload_opt.partialloading.experiments.figures import figure\n"
            "from partialload_opt.partialloading.experiments.plots import draw_panel, gains, summary\n"
            "from partialload_opt.partialloading.experiments.sweep import run_sweep\n\n"
            f"panels = figure('{fig}')\n"
            "panels = [replace(p, values=p.values[:POINTS]) if POINTS else p for p in panels]\n"
            "out = Path(tempfile.mkdtemp())\n"
            "store = run_sweep(panels, out, REALIZATIONS, exact_realizations=EXACT_REALIZATIONS)\n"
            "df = store.frame()\nstore.close()\ns = summary(df)\ns.head()"
        ),
        nbf.v4.new_code_cell(
            "import matplotlib.pyplot as plt\n\n"
            "fig, axes = plt.subplots(1, len(panels), figsize=(5 * len(panels), 3.6), squeeze=False)\n"
            "for ax, (panel, d) in zip(axes[0], s.groupby('panel')):\n"
            f"    draw_panel(d, ax=ax, title='{fig}(' + panel + ')')\n"
            "fig.tight_layout()"
        ),
        nbf.v4.new_code_cell(f"gains(s, '{fig}')"),
    ]
    return nb


if __name__ == "__main__":
    OUT.mkdir(exist_ok=True)
    for fig in TEXT:
        nbf.write(notebook(fig), OUT / f"{fig}.ipynb")
