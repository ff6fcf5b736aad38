"""docs/PAPER-MAP.md cannot drift: every numbered item of the paper has a row, every symbol, file,
row label and test in it exists, and every equation the package's code cites is mapped."""

from __future__ import annotations

import importlib
import re

import pytest

from conftest import ROOT

MAP = ROOT / "docs" / "PAPER-MAP.md"
EQUATIONS = [
    "(1)",
    "(2)",
    "(3)",
    "(4)",
    "(5)",
    "(6)",
    "(7)",
    "(8)",
    "(9)",
    "(10a)",
    "(10b)",
    "(10c)",
    "(10d)",
    "(10e)",
    "(10f)",
    "(10g)",
    "(11)",
    "(12)",
    "(13a)",
    "(13b)",
    "(13c)",
    "(14a)",
    "(15)",
    "(16)",
    "(17)",
    "(18)",
    "(19)",
    "(20)",
    "(21)",
    "(22)",
    "(23)",
    "(24)",
]
NAMED = [
    "Definition 1",
    "Definition 2",
    "Remark 1",
    "Remark 2",
    "Remark 3",
    "Remark 4",
    "Proposition 1",
    "Theorem 1",
    "Theorem 2.1",
    "Theorem 2.2",
    "Theorem 3",
    "Corollary 1",
    "Theorem 4",
    "Theorem 5",
    "Algorithm 1",
    "Algorithm 2",
    "Algorithm 3",
    "Fig. 6",
    "Fig. 7",
    "Fig. 8",
    "Fig. 9",
]
"""Every numbered item of the PartialLoading paper (equations (1)-(24), Sections III-VII, Appendix E)."""


def rows(section: str = "partialload") -> list[dict]:
    """The table rows of the PartialLoading part (before '## QPART') or of the QPART part."""
    text = MAP.read_text(encoding="utf-8")
    head, _, qpart = text.partition("\n## QPART")
    out = []
    for line in (head if section == "partialload" else qpart).splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 6 and cells[0] not in ("item", "---"):
            out.append(dict(zip(("item", "what", "code", "formulation", "test", "verify"), cells)))
    return out


EXTRA_MODULES = {"pyscipopt": "scip"}  # the import that fails without an extra -> the extra


def ticked(cell: str) -> list[str]:
    return re.findall(r"`([^`]+)`", cell)


def test_every_numbered_item_of_the_paper_has_one_row():
    assert [r["item"] for r in rows()] == EQUATIONS + NAMED


@pytest.mark.parametrize("row", rows() + rows("qpart"), ids=lambda r: r["item"])
def test_every_reference_of_a_row_exists(row):
    needs_extra = []  # code whose backend is an extra that is not installed: checked where it is
    for ref in ticked(row["code"]):
        module, _, name = ref.partition(":")
        try:
            obj = importlib.import_module(module)
        except ModuleNotFoundError as e:
            if e.name not in EXTRA_MODULES:
                raise
            needs_extra.append(f"{module} needs the [{EXTRA_MODULES[e.name]}] extra ({e.name})")
            continue
        for part in name.split("."):
            obj = getattr(obj, part)  # AttributeError names what is missing
    for ref in ticked(row["formulation"]):
        assert (ROOT / ref).is_file(), ref
        for label in re.findall(r"\(([A-Z]\d+[a-z]?)\)", row["formulation"]):
            assert re.search(rf"\({label}[),]", (ROOT / ref).read_text(encoding="utf-8")), (
                ref,
                label,
            )
    for ref in ticked(row["test"]):
        path, _, name = ref.partition("::")
        assert re.search(
            rf"^def {name}\(", (ROOT / path).read_text(encoding="utf-8"), flags=re.M
        ), ref
    for ref in ticked(row["verify"]):
        assert (ROOT / "partialload_opt" / ref).is_file(), ref
    if needs_extra:  # everything else of the row was checked
        pytest.skip("; ".join(needs_extra))


def cited_equations(qpart: bool = False) -> set[str]:
    """Every (N) inside an 'eq. (N)' / 'eqs. (N)-(M)' / 'eqs. (N)/(M)' citation in the package's
    PartialLoading code, or (``qpart``) in its QPART code (partialload_opt/qpart, verify/qpart)."""
    found = set()
    for path in (ROOT / "partialload_opt").rglob("*.py"):
        if ("qpart" in path.parts) != qpart:
            continue
        text = path.read_text(encoding="utf-8")
        for chain in re.findall(
            r"eqs?\. (\(\d+[a-z]?\)(?:\s*(?:-|–|/|,|and)\s*\(\d+[a-z]?\))*)", text
        ):
            found.update(re.findall(r"\(\d+[a-z]?\)", chain))
    return found


def test_every_qpart_equation_cited_in_the_code_is_in_the_map():
    covered = set()
    for r in rows("qpart"):
        m = re.match(r"Q\((\d+)\)(?:-\((\d+)\))?", r["item"])
        if m:
            covered.update(
                f"({n})" for n in range(int(m.group(1)), int(m.group(2) or m.group(1)) + 1)
            )
    missing = sorted(cited_equations(qpart=True) - covered)
    assert not missing, f"cited in the QPART code but not in docs/PAPER-MAP.md: {missing}"


def test_every_equation_cited_in_the_code_is_in_the_map():
    items = {r["item"] for r in rows()}
    groups = {
        re.sub(r"[a-z]\)$", ")", i) for i in items if i.startswith("(")
    }  # (10) names (10a)-(10g)
    missing = sorted(e for e in cited_equations() if e not in items and e not in groups)
    assert not missing, f"cited in partialload_opt/ but not in docs/PAPER-MAP.md: {missing}"
    assert {"(1)", "(2)", "(8)", "(11)", "(16)"} <= cited_equations()  # cited where implemented
