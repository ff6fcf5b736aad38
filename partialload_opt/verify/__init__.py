"""The verification layer: one module per claim of the paper, checked on instances against exact
ground truths; violations are shrunk to small saved counterexamples (shrink.py, report.py).

Users extend it two ways: ``register_claim`` adds a claim (in code, ``--plugin MODULE`` or the
entry-point group ``partialload_opt.claims``), and ``solver:NAME`` checks any registered solver
against the exact optimum (``partialload verify --solver NAME``; solver_check.py)."""

from __future__ import annotations

from collections.abc import Callable

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
SOLVER_PREFIX = "solver:"

_USER_CLAIMS: dict = {}  # id -> UserClaim (user_claims.py)


class ClaimTable(dict):
    """id -> claim (an object with ``CLAIM`` and ``check(ctx, reading, semantics)``); ``solver:NAME``
    ids are made on first use, so workers and the shrinker reach them like the paper's claims."""

    def __missing__(self, key):
        if isinstance(key, str) and key.startswith("qpart-"):
            from partialload_opt.verify.qpart import claim_modules as qpart_claims

            self[key] = qpart_claims()[key]
            return self[key]
        if isinstance(key, str) and key.startswith(SOLVER_PREFIX):
            from partialload_opt.registry import solver_info

            name = key[len(SOLVER_PREFIX) :]
            if solver_info(name).problem == "qpart":
                from partialload_opt.verify.qpart.solver_check import QSolverClaim

                self[key] = QSolverClaim(name)
            else:
                from partialload_opt.verify.solver_check import SolverClaim

                self[key] = SolverClaim(name)
            return self[key]
        raise KeyError(key)


def claim_modules() -> ClaimTable:
    """id -> claim: the paper's, in its order, then the users' (plugins and entry points)."""
    import importlib

    from partialload_opt import plugins

    plugins.load_group(plugins.CLAIM_GROUP)
    table = ClaimTable(
        (name, importlib.import_module(f"partialload_opt.verify.{name}")) for name in CLAIM_MODULES
    )
    table.update(_USER_CLAIMS)
    return table


def register_claim(
    claim_id: str,
    *,
    quote: str,
    semantics=("continuous", "slotted"),
    reading: str = "must",
    ground_truth: str = "",
) -> Callable:
    """Decorator: register ``fn(instance, ctx, *, semantics)`` as claim ``claim_id``.

    ``ctx`` is the verification Context (``ctx.optimum(sem)``, ``ctx.free(sem)``,
    ``ctx.result(solver, sem)``, ...). ``fn`` returns 'held', 'violated' or 'skipped', or a
    ``Verdict`` with a reason, values and schedules; it is reported, shrunk and saved like the
    paper's claims."""
    from partialload_opt.verify.user_claims import check_registration

    def deco(fn: Callable) -> Callable:
        claim = check_registration(
            claim_id, fn, quote, semantics, reading, ground_truth, _USER_CLAIMS
        )
        _USER_CLAIMS[claim_id] = claim
        return fn

    return deco


def unregister_claim(claim_id: str) -> None:
    _USER_CLAIMS.pop(claim_id, None)


def __getattr__(name: str):
    """``Verdict`` and ``Context`` for users' claims, imported on first use (they import the solvers)."""
    if name == "Verdict":
        from partialload_opt.verify.user_claims import Verdict

        return Verdict
    if name == "Context":
        from partialload_opt.verify.claims import Context

        return Context
    raise AttributeError(name)
