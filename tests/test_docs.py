"""The Python examples of the README and docs/API.md run as written, from the repository's root."""

from __future__ import annotations

import re

import pytest

from partialload_opt.registry import solvers, unregister_solver
from partialload_opt.verify import unregister_claim

from conftest import ROOT

DOCS = [ROOT / "README.md", ROOT / "docs" / "API.md"]


def python_blocks(path):
    return re.findall(r"```python\n(.*?)```", path.read_text(encoding="utf-8"), flags=re.S)


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_the_python_examples_run(path, monkeypatch, tmp_path):
    """Each block runs from a .py file of its own: code defined there (a hypothesis test) can be read
    back by ``inspect`` (on Python 3.13 hypothesis tokenizes a test's source, and the Markdown file
    itself is no Python)."""
    blocks = python_blocks(path)
    assert blocks, f"{path.name} has no Python example"
    monkeypatch.chdir(ROOT)
    before = set(solvers())
    namespace: dict = {"__name__": "docs_example"}
    try:
        for n, block in enumerate(blocks):
            source = tmp_path / f"{path.stem.lower()}_example_{n}.py"
            source.write_text(block, encoding="utf-8")
            exec(compile(block, str(source), "exec"), namespace)  # our own documentation
    finally:
        for name in set(solvers()) - before:
            unregister_solver(name)
        unregister_claim("greedy-within-one")
