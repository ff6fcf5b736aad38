"""The verification layer's core: every problem's claims in one table, checked on instances against
exact ground truths (runner.py), violations shrunk to small saved counterexamples (shrink.py) and
reported (report.py); pipeline.py runs it end to end. The claims themselves live in their problem's
package (``partialload_opt.partialloading.claims``, ``partialload_opt.qpart.claims``).

Users extend it two ways: ``register_claim`` adds a claim (in code, ``--plugin MODULE`` or the
entry-point group ``partialload_opt.claims``), and ``solver:NAME`` checks any registered solver
against the exact optimum (``partialload verify --solver NAME``)."""

from __future__ import annotations

from collections.abc import Callable

SOLVER_PREFIX = "solver:"

_USER_CLAIMS: dict = {}  # id -> UserClaim (user_claims.py)


class ClaimTable(dict):
    """id -> claim (an object with ``CLAIM`` and ``check(ctx, reading, semantics)``); ``solver:NAME``
    ids are made on first use by the solver's problem, so workers and the shrinker reach them like
    the paper's claims."""

    def __missing__(self, key):
        if isinstance(key, str) and key.startswith(SOLVER_PREFIX):
            from partialload_opt import problem
            from partialload_opt.registry import solver_info

            name = key[len(SOLVER_PREFIX) :]
            self[key] = problem.get(solver_info(name).problem).solver_claim(name)
            return self[key]
        raise KeyError(key)


def claim_modules(problem: str | None = None) -> ClaimTable:
    """id -> claim: each problem's in its paper's order (only ``problem``'s when given), then the
    users' (plugins and entry points)."""
    from partialload_opt import plugins
    from partialload_opt import problem as problems

    plugins.load_group(plugins.CLAIM_GROUP)
    table = ClaimTable()
    for p in [problems.get(problem)] if problem else problems.every():
        table.update(p.claims())
    table.update(
        (cid, c) for cid, c in _USER_CLAIMS.items() if problem is None or c.problem == problem
    )
    return table


def register_claim(
    claim_id: str,
    *,
    quote: str,
    semantics=("continuous", "slotted"),
    reading: str = "must",
    ground_truth: str = "",
    problem: str = "partialload",
) -> Callable:
    """Decorator: register ``fn(instance, ctx, *, semantics)`` as claim ``claim_id`` of ``problem``.

    ``ctx`` is the problem's verification context (PartialLoading: ``ctx.optimum(sem)``,
    ``ctx.free(sem)``, ``ctx.result(solver, sem)``, ...). ``fn`` returns 'held', 'violated' or
    'skipped', or a ``Verdict`` with a reason, values and schedules; it is reported, shrunk and saved
    like the paper's claims."""
    from partialload_opt.verify.user_claims import check_registration

    def deco(fn: Callable) -> Callable:
        claim = check_registration(
            claim_id, fn, quote, semantics, reading, ground_truth, _USER_CLAIMS, problem
        )
        _USER_CLAIMS[claim_id] = claim
        return fn

    return deco


def unregister_claim(claim_id: str) -> None:
    _USER_CLAIMS.pop(claim_id, None)


def snapshot() -> dict:
    """The users' claims as they are (for ``restore``)."""
    return dict(_USER_CLAIMS)


def restore(saved: dict) -> None:
    """The users' claims as ``snapshot`` saw them; a module registered since is forgotten by the
    import system too."""
    import sys

    for cid, claim in _USER_CLAIMS.items():
        module = claim.fn.__module__
        if cid not in saved and module != "__main__" and not module.startswith("partialload_opt"):
            sys.modules.pop(module, None)
    _USER_CLAIMS.clear()
    _USER_CLAIMS.update(saved)


def __getattr__(name: str):
    """``Verdict`` for users' claims, imported on first use."""
    if name == "Verdict":
        from partialload_opt.verify.user_claims import Verdict

        return Verdict
    raise AttributeError(name)
