"""QPART's claims (formulations/qpart.md, section 5), checked like the PartialLoading paper's: one
module per claim, a per-instance context of exact ground truths, shrunk and saved counterexamples."""

from __future__ import annotations

CLAIM_MODULES = {
    "qpart-closed-form": "closed_form",
    "qpart-rounding": "rounding",
    "qpart-recursion": "recursion",
    "qpart-levels": "levels",
    "qpart-partition": "partition",
    "qpart-trends": "trends",
    "qpart-accuracy": "accuracy",
}


def claim_modules() -> dict:
    """id -> module, in the paper's order."""
    import importlib

    return {
        cid: importlib.import_module(f"partialload_opt.qpart.claims.{name}")
        for cid, name in CLAIM_MODULES.items()
    }
