"""The verification layer: one module per claim of the paper, checked on instances against exact
ground truths; violations are shrunk to small saved counterexamples (shrink.py, report.py)."""

CLAIM_MODULES = ("prop1", "thm1", "thm2_1", "thm2_2", "thm3", "cor1", "thm4", "remark4", "thm5", "gaps")


def claim_modules():
    """id -> module, in the paper's order."""
    import importlib

    return {name: importlib.import_module(f"partialload_opt.verify.{name}") for name in CLAIM_MODULES}
