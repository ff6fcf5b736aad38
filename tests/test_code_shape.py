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


KNOWN_CIRCLES = [  # ExactTimes is an instance's exact view: it names Instance, which builds it
    {"partialloading/instance.py", "partialloading/timebase.py"},
]


def import_graph() -> dict[str, set[str]]:
    """module file -> the package's module files it imports, anywhere in it (lazy and type-only
    imports too: they are dependencies a reader follows); a package's face (__init__) is skipped."""

    def module_file(dotted: str) -> str | None:
        parts = dotted.split(".")[1:]
        if not parts:  # the package itself: its face
            return None
        rel = Path(*parts)
        for cand in (rel.with_suffix(".py"), rel / "__init__.py"):
            if (PACKAGE / cand).is_file() and cand.name != "__init__.py":
                return str(cand)
        return None

    graph: dict[str, set[str]] = {}
    for path in modules():
        me = str(path.relative_to(PACKAGE))
        deps = graph.setdefault(me, set())
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                "partialload_opt"
            ):
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names if a.name.startswith("partialload_opt")]
            deps |= {f for n in names if (f := module_file(n)) is not None and f != me}
    return graph


def circles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out: list[set[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = set()
            while True:
                w = stack.pop()
                comp.add(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(comp)

    for v in list(graph):
        if v not in index:
            visit(v)
    return out


def test_no_modules_import_each_other_in_a_circle():
    found = [c for c in circles(import_graph()) if c not in KNOWN_CIRCLES]
    assert not found, found


def test_a_circle_is_found():
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [{"a", "b", "c"}]
