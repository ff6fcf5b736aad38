"""The package's shape, as CONTRIBUTING.md states it: no function longer than a screen (80 lines:
it becomes named steps), and no module reaching into another's private names (a name shared across
modules is public)."""

from __future__ import annotations

import ast
from pathlib import Path

import partialload_opt

PACKAGE = Path(partialload_opt.__file__).parent
MAX_LINES = 80


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def long_functions(tree: ast.AST) -> list[tuple[str, int]]:
    return [
        (node.name, node.end_lineno - node.lineno + 1)
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > MAX_LINES
    ]


def private_imports(tree: ast.AST) -> list[str]:
    """``from partialload_opt.X import _name``: another module's private name (dunders aside)."""
    return [
        f"{node.module}.{alias.name}"
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("partialload_opt")
        for alias in node.names
        if alias.name.startswith("_") and not alias.name.startswith("__")
    ]


def test_no_function_of_the_package_is_longer_than_a_screen():
    found = {
        f"{path.relative_to(PACKAGE)}:{name}": n
        for path in modules()
        for name, n in long_functions(ast.parse(path.read_text(encoding="utf-8")))
    }
    assert not found, found


def test_no_module_imports_another_modules_private_name():
    found = {
        str(path.relative_to(PACKAGE)): bad
        for path in modules()
        if (bad := private_imports(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert not found, found


def test_the_checks_see_what_they_look_for():
    source = "def f():\n" + "    x = 1\n" * MAX_LINES + "\nfrom partialload_opt.bounds import _x\n"
    tree = ast.parse(source)
    assert long_functions(tree) == [("f", MAX_LINES + 1)]
    assert private_imports(tree) == ["partialload_opt.bounds._x"]
