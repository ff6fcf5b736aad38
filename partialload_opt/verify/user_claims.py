"""Users' claims: a registered function of (instance, context) becomes a claim like the paper's, with
the same Check records, so the runner, the shrinker and the report treat it alike."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from partialload_opt import plugins
from partialload_opt.verify.checks import HELD, SKIPPED, VIOLATED, Check, Claim

STATUSES = (HELD, VIOLATED, SKIPPED)


@dataclass(frozen=True)
class Verdict:
    """What a user's claim may return instead of a bare status: why, the numbers, and schedules
    (name -> Schedule or partialload-schedule/1 dict) drawn in the saved counterexample."""

    status: str
    reason: str = ""
    values: dict = field(default_factory=dict)
    schedules: dict = field(default_factory=dict)


@dataclass(frozen=True)
class UserClaim:
    CLAIM: Claim
    fn: Callable
    origin: str
    problem: str = "partialload"

    def check(self, ctx: Any, reading: str, semantics: str) -> Check:
        got = self.fn(ctx.inst, ctx, semantics=semantics)
        cid = self.CLAIM.id
        if isinstance(got, Check):
            return got
        if isinstance(got, str):
            got = Verdict(got)
        if not isinstance(got, Verdict) or got.status not in STATUSES:
            raise TypeError(
                f"claim {cid!r} ({self.origin}) returned {got!r}: expected "
                f"{', '.join(STATUSES)} or a Verdict"
            )
        schedules = {k: v if isinstance(v, dict) else v.to_dict() for k, v in got.schedules.items()}
        return Check(
            cid,
            reading,
            semantics,
            got.status,
            self.CLAIM.ground_truth,
            got.reason,
            dict(got.values),
            schedules,
        )


def check_registration(
    claim_id, fn, quote, semantics, reading, ground_truth, existing, problem="partialload"
) -> UserClaim:
    """The UserClaim for a registration, or a PluginError naming the plugin and the rule."""
    from partialload_opt import problem as problems
    from partialload_opt.errors import InputError
    from partialload_opt.verify import SOLVER_PREFIX

    where = plugins.origin(fn.__module__)
    try:
        owner = problems.get(problem)
    except InputError as e:
        raise plugins.PluginError(where, f"claim {claim_id!r}: {e.rule}") from None
    semantics = (semantics,) if isinstance(semantics, str) else tuple(semantics)
    if not semantics or any(s not in owner.semantics for s in semantics):
        raise plugins.PluginError(
            where,
            f"claim {claim_id!r}: semantics must be among {', '.join(owner.semantics)}",
        )
    paper = {cid for p in problems.every() for cid in p.claims()}
    if claim_id in paper or claim_id.startswith(SOLVER_PREFIX) or "," in claim_id:
        raise plugins.PluginError(
            where, f"claim {claim_id!r}: the id is taken by the paper's claims or reserved"
        )
    old = existing.get(claim_id)
    if old is not None and (old.fn.__module__, old.fn.__qualname__) != (
        fn.__module__,
        fn.__qualname__,
    ):
        raise plugins.PluginError(
            where, f"registers claim {claim_id!r}, already registered by {old.origin}"
        )
    try:
        inspect.signature(fn).bind(object(), object(), semantics="slotted")
    except TypeError as e:
        raise plugins.PluginError(
            where,
            f"claim {claim_id!r}: {fn.__qualname__} must accept (instance, ctx, *, semantics): {e}",
        ) from None
    claim = Claim(
        claim_id,
        quote,
        tuple((reading, s) for s in semantics),
        ground_truth or f"user claim ({where})",
    )
    return UserClaim(claim, fn, where, problem)
