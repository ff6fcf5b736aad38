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


PATH_IN_TEXT = re.compile(
    r"(?<![\w/.\-])((?:partialload_opt|formulations|instances|docs|benchmarks|scripts|examples"
    r"|notebooks|sweeps|tests|requirements|\.ci)/[\w./\-]*\w)(-?\*)?"
)
HYPOTHETICAL = {
    "partialload_opt/myproblem/problem.py",  # CONTRIBUTING's new problem, to be written
}
CODE = sorted(
    p
    for pattern in ("partialload_opt/**/*.py", "scripts/*.py", "benchmarks/*.py", "tests/**/*.py")
    for p in ROOT.glob(pattern)
    if p.name != "test_links.py"  # this file names missing paths on purpose
)


def placeholder(ref: str) -> bool:
    """NAME, OUT, figN: a part of the path the reader fills in."""
    return any(re.search(r"(^|[a-z\-])[A-Z]+(\.\w+)?$", part) for part in ref.split("/"))


def missing_paths(path) -> list[str]:
    """The repository paths ``path`` names in its text (docstrings, comments, prose) that do not
    exist; ``prefix*`` is a glob that must match something."""
    out = []
    for m in PATH_IN_TEXT.finditer(path.read_text(encoding="utf-8")):
        ref, glob = m.group(1).rstrip("."), m.group(2)
        if ref in HYPOTHETICAL or placeholder(ref):
            continue
        if glob:
            if not list(ROOT.glob(ref + glob)):
                out.append(ref + glob)
        elif not (ROOT / ref).exists() and not (path.parent / ref).exists():
            out.append(ref)
    return out


@pytest.mark.parametrize("path", CODE + DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_path_named_in_code_or_prose_exists(path):
    """A docstring or comment that points at a file (``formulations/cpsat-segment.md``,
    ``partialload_opt/rounding.py``) points at one that is there."""
    if path.exists():
        assert not missing_paths(path), missing_paths(path)


def test_a_path_that_is_not_there_is_found(tmp_path):
    doc = tmp_path / "x.py"
    doc.write_text(
        '"""see formulations/rounding.py and partialload_opt/rounding.py, docs/NAME.md"""'
    )
    assert missing_paths(doc) == ["formulations/rounding.py"]
