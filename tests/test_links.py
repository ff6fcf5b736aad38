"""A clone with nothing beside it has every link working: Markdown links and the repository paths the
docs name in backticks exist."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT

DOCS = sorted(
    [
        ROOT / "README.md",
        ROOT / "CONTRIBUTING.md",
        *(ROOT / "docs").glob("*.md"),
        *(ROOT / "formulations").glob("*.md"),
        *(ROOT / "examples").glob("*/README.md"),
        *(ROOT / "instances").glob("*/README.md"),
        ROOT / "benchmarks" / "RESULTS.md",
    ]
)
TOP = (
    "partialload_opt/",
    "formulations/",
    "instances/",
    "docs/",
    "tests/",
    "scripts/",
    "benchmarks/",
    "examples/",
    "notebooks/",
    "sweeps/",
    ".ci/",
    "requirements/",
)


def broken(path):
    text = path.read_text(encoding="utf-8")
    out = []
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue
        if not (path.parent / target.split("#")[0]).exists():
            out.append(target)
    for ref in re.findall(r"`([^`\s]+)`", text):
        ref = ref.split("::")[0].rstrip(".,:;")
        if (
            not ref.startswith(TOP)
            or any(c in ref for c in "*{}<>[]")
            or re.search(r"[A-Z]{3,}", ref)
        ):
            continue  # a glob, a placeholder (OUT, NAME, REPORT) or not a repository path
        if not (ROOT / ref).exists() and not (path.parent / ref).exists():
            out.append(ref)
    if "../shared" in text:
        out.append("../shared (a clone does not have it)")
    return out


@pytest.mark.parametrize(
    "path", [p for p in DOCS if p.exists()], ids=lambda p: str(p.relative_to(ROOT))
)
def test_every_link_and_path_in_the_docs_exists(path):
    assert not broken(path), broken(path)
