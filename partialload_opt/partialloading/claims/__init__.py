"""The PartialLoading paper's claims, one module each (Proposition 1 ... the optimality gaps), with
their ground-truth context (context.py) and the theorem-free search they are checked against."""

from __future__ import annotations

import importlib

CLAIM_MODULES = (
    "prop1",
    "thm1",
    "thm2_1",
    "thm2_2",
    "thm3",
    "cor1",
    "thm4",
    "remark4",
    "thm5",
    "gaps",
)


def claim_modules() -> dict:
    """id -> module, in the paper's order."""
    return {
        name: importlib.import_module(f"partialload_opt.partialloading.claims.{name}")
        for name in CLAIM_MODULES
    }
