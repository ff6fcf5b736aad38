"""Replay every saved counterexample: its claim is still violated, for the same cause where it has one
(a finding cannot silently vanish)."""

from __future__ import annotations

import json

import pytest

from partialload_opt import problem
from partialload_opt.verify.shrink import violation

from conftest import INSTANCES

SAVED = sorted((INSTANCES / "counterexamples").glob("*.json"))


def test_there_are_saved_counterexamples():
    assert SAVED, "instances/counterexamples is empty: run partialload verify"


@pytest.mark.parametrize("path", SAVED, ids=lambda p: p.stem)
def test_saved_counterexample_still_violates_its_claim(path):
    meta = json.loads(path.read_text())["meta"]["counterexample"]
    doc = json.loads(path.read_text())
    owner = problem.of(doc)  # PartialLoading or QPART
    inst = owner.load(doc, str(path))
    cause = meta["values"].get("cause")  # Theorem 4's violations keep their cause
    found = violation(inst, meta["claim"], meta["reading"], meta["semantics"], cause=cause)
    assert found is not None, (
        f"{path.name} no longer violates {meta['claim']} ({meta['reading']}, {meta['semantics']}, {cause})"
    )
    note = path.with_suffix(".md").read_text()
    if cause is not None and owner.name == "partialload":  # QPART's notes state no cause
        assert f"**Cause:** `{cause}`" in note
