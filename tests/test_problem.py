"""partialload_opt/problem.py: the core reaches each problem through its Problem object, found by name or
by an instance (or document) of its format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from partialload_opt import InputError, problem
from partialload_opt.qpart import load_qinstance

from conftest import INSTANCES, handmade

PROTOCOL = sorted(  # its methods and its declared attributes (name, charts, generator_options...)
    {n for n in dir(problem.Problem) if not n.startswith("_")}
    | set(problem.Problem.__annotations__)
)


def test_the_protocol_lists_its_attributes_too():
    assert {"name", "charts", "semantics", "solver_traits", "generator_options"} <= set(PROTOCOL)


def test_every_listed_problem_has_every_member_of_the_protocol():
    for p in problem.every():
        missing = [n for n in PROTOCOL if not hasattr(p, n)]
        assert not missing, f"{p.name} lacks {missing}"
        assert problem.get(p.name) is p


def test_an_instance_and_its_document_find_their_problem():
    inst = handmade("h3-abc")
    assert problem.of(inst).name == "partialload"
    assert problem.of(inst.to_dict()).name == "partialload"
    q = load_qinstance(INSTANCES / "qpart" / "tiny-handmade.json")
    assert problem.of(q).name == "qpart"
    assert (
        problem.of(json.loads(Path(INSTANCES / "qpart" / "tiny-handmade.json").read_text())).name
        == "qpart"
    )


def test_an_unknown_format_or_problem_is_an_input_error():
    with pytest.raises(InputError, match="is not an instance of a known problem"):
        problem.of({"format": "nope/1"})
    with pytest.raises(InputError, match="is not a problem"):
        problem.get("nope")


def test_the_core_names_no_problem_outside_the_list():
    """Only problem.PROBLEMS (and the public facades) may name a problem's subpackage."""
    core = Path(problem.__file__).parent
    facades = {"__init__.py", "problem.py"}
    offenders = []
    for path in core.rglob("*.py"):
        rel = path.relative_to(core)
        if rel.parts[0] in ("partialloading", "qpart") or rel.name in facades:
            continue
        text = path.read_text(encoding="utf-8")
        if "partialload_opt.partialloading" in text or "partialload_opt.qpart" in text:
            offenders.append(str(rel))
    assert not offenders, offenders
