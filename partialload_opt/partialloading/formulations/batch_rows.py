"""The batch-position rows (B1)-(B7), (B16) and (S1) of formulations/milp-batch.md, written once, as linear
rows over named variables, and instantiated by each modelling library: Pyomo (milp-batch), CP-SAT
(cpsat-batch) and SCIP (p1-scip: P1 adds its bandwidth rows to these).

Variables (the same names in every batch model and in formulations/*.md): ``b[n,i]`` batch position n
runs model i; ``x[n,k]`` user k is in batch n (the paper's x); ``w[n,g]`` block group g is loaded at
position n (eq. (8)'s rho_n - rho_{n-1}); P1 adds ``y[n,k]``, the paper's bandwidth fraction."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from partialload_opt.partialloading.instance import Instance
from partialload_opt.results import Unsupported

FAMILIES = {
    "one_model": "(B1)",
    "contiguous": "(B2)",
    "user_model": "(B3)",
    "once": "(B4)",
    "batch_size": "(B5)",
    "nonempty": "(B6)",
    "loaded": "(B7)",
    "group_loaded": "(B16)",
    "identical": "(S1)",
}
"""Row family -> its label in formulations/milp-batch.md (the names of the code)."""

Key = tuple  # ("b", n, i) | ("x", n, k) | ("w", n, g)


@dataclass(frozen=True)
class Row:
    """``sum coef * var[key] (sense) rhs``, one row of a family, at ``index``."""

    family: str
    index: tuple
    terms: tuple[tuple[int, Key], ...]
    sense: str  # "<=" or ">="
    rhs: int = 0

    @property
    def name(self) -> str:
        return f"{self.family}[{','.join(map(str, self.index))}]"

    def expr(self, var: Callable[[Key], Any]):
        """The row in a modelling library whose variables ``var(key)`` returns."""
        lhs: Any = sum(c * var(key) for c, key in self.terms)  # a library's linear expression
        return lhs <= self.rhs if self.sense == "<=" else lhs >= self.rhs


def position_rows(
    inst: Instance, models: list[int], groups, N: int, cap: dict[int, int], pairs=()
) -> Iterator[Row]:
    """(B1)-(B7) over positions 0..N-1, requested ``models``, block ``groups`` [(bytes, owners)],
    per-model batch caps, the valid inequalities (B16), and (S1) for the ``pairs`` of
    interchangeable users."""
    K = inst.K

    def b(n):
        return tuple((1, ("b", n, i)) for i in models)

    for n in range(N):
        yield Row("one_model", (n,), b(n), "<=", 1)  # eq. (10d)
        if n:
            yield Row("contiguous", (n,), b(n) + tuple((-1, ("b", n - 1, i)) for i in models), "<=")
        for k in range(K):
            yield Row(
                "user_model",
                (n, k),
                ((1, ("x", n, k)), (-1, ("b", n, int(inst.user_model[k])))),
                "<=",
            )
        for i in models:  # eq. (10c)
            yield Row(
                "batch_size",
                (n, i),
                tuple((1, ("x", n, int(k))) for k in inst.users_of[i]) + ((-cap[i], ("b", n, i)),),
                "<=",
            )
        yield Row(
            "nonempty",
            (n,),
            tuple((1, ("x", n, k)) for k in range(K)) + tuple((-c, key) for c, key in b(n)),
            ">=",
        )
        for g, (_, owners) in enumerate(groups):  # eq. (8): w >= rho[n] - rho[n-1]
            before = tuple((1, ("b", n - 1, i)) for i in owners) if n else ()
            yield Row(
                "loaded",
                (n, g),
                ((1, ("w", n, g)),) + tuple((-1, ("b", n, i)) for i in owners) + before,
                ">=",
            )
    for k in range(K):
        yield Row("once", (k,), tuple((1, ("x", n, k)) for n in range(N)), "<=", 1)  # eq. (3)
    for g, (size, owners) in enumerate(groups):  # valid: a served user's blocks are loaded once
        if size <= 0:
            continue
        loads = tuple((1, ("w", n, g)) for n in range(N))
        for i in owners:
            for k in inst.users_of[i]:
                served = tuple((-1, ("x", n, int(k))) for n in range(N))
                yield Row("group_loaded", (g, int(k)), loads + served, ">=")
    for a, c in pairs:  # a is placed no later than c, and served if c is
        for n in range(N):
            terms = tuple((1, ("x", q, a)) for q in range(n + 1)) + tuple(
                (-1, ("x", q, c)) for q in range(n + 1)
            )
            yield Row("identical", (a, c, n), terms, ">=")


def require_positions(inst: Instance, solver: str, max_users: int) -> None:
    """The position models have K^2 position variables: refuse K beyond ``max_users``."""
    if inst.K > max_users:
        raise Unsupported(
            solver,
            "max_users",
            f"K = {inst.K} > max_users = {max_users} (K^2 position variables; raise it to try)",
        )
