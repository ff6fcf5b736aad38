"""The segment-position model of formulations/cpsat-segment.md, written once as linear rows over named
variables and instantiated by CP-SAT (cpsat-segment) and Pyomo (milp-segment): rows (G1)-(G16).

One block of positions per component of the requested models' sharing graph (a component's run is
contiguous without loss); position ``s`` of component ``c`` is one *segment* (a maximal run of batches
of one model), so consecutive positions hold different models and a model may come back. Loads are
written on transition arcs ``z[c,s,j,i]`` (model j at s-1, model i at s), exact for any sharing.

Variables: ``b[c,s,i]`` segment s of component c runs model i; ``x[c,s,k]`` user k is served in it;
``z[c,s,j,i]`` the transition j -> i into it; ``nb[c,s,i]`` its batches (integer); ``sigma[c,s]`` its
whole slots (integer). Times are integers of ``unit`` seconds, rounded up (conservative) or down
(optimistic, a relaxation), as partialload_opt/rounding.py's protocol asks."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from typing import Any

from partialload_opt.partialloading.instance import Instance
from partialload_opt.partialloading.timebase import ceil_ratio, rational, units, whole_units

Segments = list[tuple[int, list[int]]]  # (model, users) per segment: a run of one component

TIME_UNIT_S = 1e-8
"""One integer time unit = 10 ns (a 10 ms slot is 10^6 units)."""

FAMILIES = {
    "one_model": "(G1)",
    "contiguous": "(G2)",
    "alternate": "(G3)",
    "user_model": "(G4)",
    "once": "(G5)",
    "nonempty": "(G6)",
    "batches": "(G7)",
    "batches_off": "(G7)",
    "arc_in": "(G8)",
    "arc_out": "(G9)",
    "seg_slots": "(G10)",
    "slots": "(G11)",
    "single_visit": "(G12)",
    "count_choice": "(G13)",
    "prefix": "(G13)",
    "model_slots_split": "(G14)",
    "model_slots_off": "(G14)",
    "model_slots": "(G15)",
    "first_model_slots": "(G16)",
}
"""Row family -> its label in formulations/cpsat-segment.md (the names of the code)."""

Key = tuple  # ("b"|"nb"|"ms", c, s, i) | ("x", c, s, k) | ("z", c, s, j, i) | ("sigma", c, s)
#              | ("y", c, i, n)


@dataclass(frozen=True)
class Row:
    """``sum coef * var[key] (sense) rhs``, one row of a family, at ``index``."""

    family: str
    index: tuple
    terms: tuple[tuple[int, Key], ...]
    sense: str  # "<=", ">=" or "=="
    rhs: int = 0

    @property
    def name(self) -> str:
        return f"{self.family}[{','.join(map(str, self.index))}]"

    def expr(self, var: Callable[[Key], Any]):
        lhs: Any = sum(c * var(key) for c, key in self.terms)
        if self.sense == "<=":
            return lhs <= self.rhs
        if self.sense == ">=":
            return lhs >= self.rhs
        return lhs == self.rhs


@dataclass(frozen=True)
class VarSpec:
    key: Key
    integer: bool  # False: Boolean
    ub: int = 1


@dataclass(eq=False)
class SegmentData:
    """The data of the segment model of ``comps`` (components, each a tuple of requested models)
    within ``budget`` slots; ``optimistic`` rounds costs down and the slot up (a relaxation)."""

    inst: Instance
    comps: Sequence[tuple[int, ...]]
    budget: int
    optimistic: bool = False
    unit: float = TIME_UNIT_S
    positions: Sequence[int] | None = None  # per component; None: the bound of ``max_positions``
    heavy: frozenset = field(default_factory=frozenset)  # models proved to need one visit (G12)

    def __post_init__(self) -> None:
        if self.positions is None:
            self.positions = [max_positions(self.inst, c, self.budget) for c in self.comps]

    @cached_property
    def q(self) -> Fraction:
        return rational(self.unit)

    def u(self, t: Fraction) -> int:
        """Exact seconds -> whole units: up (a cost, conservative) or down (optimistic)."""
        return units(t, self.q, not self.optimistic)

    @cached_property
    def slot(self) -> int:
        """The slot in units: down (conservative) or up (optimistic)."""
        return units(self.inst.exact.slot, self.q, self.optimistic)

    def users(self, c: int) -> list[int]:
        return [int(k) for i in self.comps[c] for k in self.inst.users_of[i]]

    def cap(self, i: int) -> int:
        return int(self.inst.b_max[i])

    def max_batches(self, i: int) -> int:
        n = len(self.inst.users_of[i])
        return -(-n // self.cap(i))

    def load(self, prev: int, i: int) -> int:
        return self.u(self.inst.exact.load_after(prev, i))

    def variables(self) -> Iterator[VarSpec]:
        for c, comp in enumerate(self.comps):
            for s in range(self.positions[c]):  # type: ignore[index]
                for i in comp:
                    yield VarSpec(("b", c, s, i), False)
                    yield VarSpec(("nb", c, s, i), True, self.max_batches(i))
                    if s:
                        for j in comp:
                            if j != i:
                                yield VarSpec(("z", c, s, j, i), False)
                    yield VarSpec(("ms", c, s, i), True, self.budget)
                for k in self.users(c):
                    yield VarSpec(("x", c, s, k), False)
                yield VarSpec(("sigma", c, s), True, self.budget)
            for i in comp:
                for n in range(len(self.inst.users_of[i]) + 1):
                    yield VarSpec(("y", c, i, n), False)

    def time_terms(self, c: int, s: int) -> list[tuple[int, Key]]:
        """The segment's time in units: load (eq. (8), on the arc or in full first) + uploads
        (eq. (11)) + mu per user + beta per batch (eq. (9))."""
        ex, comp = self.inst.exact, self.comps[c]
        terms: list[tuple[int, Key]] = []
        for i in comp:
            if s == 0:
                terms.append((self.load(-1, i), ("b", c, s, i)))
            else:
                terms += [(self.load(j, i), ("z", c, s, j, i)) for j in comp if j != i]
            mu = self.u(ex.mu[i])
            terms += [
                (self.u(ex.upload[k]) + mu, ("x", c, s, int(k))) for k in self.inst.users_of[i]
            ]
            terms.append((self.u(ex.beta[i]), ("nb", c, s, i)))
        return [(a, key) for a, key in terms if a]

    def rows(self) -> Iterator[Row]:
        """Every row (G1)-(G16) of every component: per position, per model, per user; (G11)."""
        all_sigma: list[tuple[int, Key]] = []
        for c, comp in enumerate(self.comps):
            P = self.positions[c]  # type: ignore[index]
            for s in range(P):
                yield from self.position_rows(c, comp, s)
                all_sigma.append((1, ("sigma", c, s)))
            for i in comp:
                yield from self.model_rows(c, i, P)
            for k in self.users(c):  # (G5) eq. (3)
                yield Row("once", (k,), tuple((1, ("x", c, s, k)) for s in range(P)), "<=", 1)
        yield Row("slots", (), tuple(all_sigma), "<=", self.budget)  # (G11)

    def position_rows(self, c: int, comp: tuple[int, ...], s: int) -> Iterator[Row]:
        """(G1)-(G4), (G6)-(G10), (G14) of segment position s of component c."""
        inst = self.inst

        def b(s):
            return tuple((1, ("b", c, s, i)) for i in comp)

        yield Row("one_model", (c, s), b(s), "<=", 1)  # (G1)
        if s:
            yield Row(
                "contiguous", (c, s), b(s) + tuple((-a, k) for a, k in b(s - 1)), "<="
            )  # (G2)
            for i in comp:  # (G3) a segment is a maximal run: the next one is another model
                yield Row(
                    "alternate",
                    (c, s, i),
                    ((1, ("b", c, s - 1, i)), (1, ("b", c, s, i))),
                    "<=",
                    1,
                )
        for k in self.users(c):  # (G4)
            yield Row(
                "user_model",
                (c, s, k),
                ((1, ("x", c, s, k)), (-1, ("b", c, s, int(inst.user_model[k])))),
                "<=",
            )
        yield Row(  # (G6) a segment holds a user
            "nonempty",
            (c, s),
            tuple((1, ("x", c, s, k)) for k in self.users(c)) + tuple((-a, k) for a, k in b(s)),
            ">=",
        )
        for i in comp:  # (G7) nb >= ceil(users / b_max), and 0 off the model
            yield Row(
                "batches",
                (c, s, i),
                ((self.cap(i), ("nb", c, s, i)),)
                + tuple((-1, ("x", c, s, int(k))) for k in inst.users_of[i]),
                ">=",
            )
            yield Row(
                "batches_off",
                (c, s, i),
                ((1, ("nb", c, s, i)), (-self.max_batches(i), ("b", c, s, i))),
                "<=",
            )
        if s:
            yield from self.arc_rows(c, comp, s)
        # (G10) slot * sigma >= segment time (optimistic: one unit of slack)
        yield Row(
            "seg_slots",
            (c, s),
            ((self.slot, ("sigma", c, s)),) + tuple((-a, key) for a, key in self.time_terms(c, s)),
            ">=",
            -1 if self.optimistic else 0,
        )
        # (G14) the segment's slots, charged to its model
        yield Row(
            "model_slots_split",
            (c, s),
            tuple((1, ("ms", c, s, i)) for i in comp) + ((-1, ("sigma", c, s)),),
            "==",
        )
        for i in comp:
            yield Row(
                "model_slots_off",
                (c, s, i),
                ((1, ("ms", c, s, i)), (-self.budget, ("b", c, s, i))),
                "<=",
            )

    def arc_rows(self, c: int, comp: tuple[int, ...], s: int) -> Iterator[Row]:
        """(G8)-(G9): the arc from the model of position s - 1 into that of position s."""
        for i in comp:  # (G8) exactly one arc into a used position
            yield Row(
                "arc_in",
                (c, s, i),
                tuple((1, ("z", c, s, j, i)) for j in comp if j != i) + ((-1, ("b", c, s, i)),),
                "==",
            )
        for j in comp:  # (G9) arcs leave the model of the previous position
            yield Row(
                "arc_out",
                (c, s, j),
                tuple((1, ("z", c, s, j, i)) for i in comp if i != j) + ((-1, ("b", c, s - 1, j)),),
                "<=",
            )

    def model_rows(self, c: int, i: int, P: int) -> Iterator[Row]:
        """(G12), (G13), (G15)-(G16) of model i of component c over its P positions."""
        if i in self.heavy:  # (G12) the Lemma: a heavy model is visited once
            yield Row("single_visit", (c, i), tuple((1, ("b", c, s, i)) for s in range(P)), "<=", 1)
        ks = [int(k) for k in self.inst.users_of[i]]  # ascending p_k, ties by id
        ns = range(len(ks) + 1)
        yield Row("count_choice", (c, i), tuple((1, ("y", c, i, n)) for n in ns), "==", 1)
        for r, k in enumerate(ks):  # (G13) the served users of a model: its first n by p_k
            yield Row(
                "prefix",
                (c, k),
                tuple((1, ("x", c, s, k)) for s in range(P))
                + tuple((-1, ("y", c, i, n)) for n in ns if n > r),
                "==",
            )
        own, full = self.slot_tables(i)
        ms = tuple((1, ("ms", c, s, i)) for s in range(P))
        yield Row(  # (G15) (D1) per model: every visit reloads its private blocks
            "model_slots", (c, i), ms + tuple((-int(own[n]), ("y", c, i, n)) for n in ns), ">="
        )
        big = int(max(full))
        yield Row(  # (G16) the model of the first segment loads in full
            "first_model_slots",
            (c, i),
            ms + tuple((-int(full[n]), ("y", c, i, n)) for n in ns) + ((-big, ("b", c, 0, i)),),
            ">=",
            -big,
        )

    def slot_tables(self, i: int):
        """(D1)'s whole-slot costs of n = 0..n_i users of model i: private load, full load."""
        return self.tables[i]

    @cached_property
    def tables(self) -> dict:
        from partialload_opt.partialloading.segments import prefix_slots, private_blocks

        inst = self.inst
        return {
            i: (
                prefix_slots(inst, i, private_blocks(inst, i)),
                prefix_slots(inst, i, inst.block_mask[i]),
            )
            for comp in self.comps
            for i in comp
        }

    def objective(self) -> list[Key]:
        """eq. (13a): the users served."""
        return [
            ("x", c, s, k)
            for c in range(len(self.comps))
            for s in range(self.positions[c])  # type: ignore[index]
            for k in self.users(c)
        ]

    def exact_units(self) -> bool:
        """Every time of the model is a whole number of units: rounding changes nothing."""
        ex = self.inst.exact
        models = [i for comp in self.comps for i in comp]
        times = [ex.slot, *(ex.upload[k] for c in range(len(self.comps)) for k in self.users(c))]
        times += [ex.mu[i] for i in models] + [ex.beta[i] for i in models]
        times += [ex.load_after(j, i) for i in models for j in [-1, *models] if j != i]
        return whole_units(times, self.q)


def max_positions(inst: Instance, comp: Sequence[int], budget: int) -> int:
    """Segments a run of ``comp`` within ``budget`` slots can have: each holds a user. When every
    segment takes time (beta_i + the least w_k > 0 for every model), each takes a slot at least and
    the first at least ``first`` = min_i ceil((V(J_i) + beta_i + least w_k) / slot)."""
    ex = inst.exact
    n = sum(len(inst.users_of[i]) for i in comp)
    least = {
        i: ex.beta[i] + min(ex.upload[int(k)] + ex.mu[i] for k in inst.users_of[i]) for i in comp
    }
    if any(v <= 0 for v in least.values()):
        return n
    first = min(ceil_ratio(ex.load_after(-1, i) + least[i], ex.slot) for i in comp)
    return max(0, min(n, budget - first + 1))


def heavy_models(inst: Instance, comp: Sequence[int]) -> frozenset:
    """Models of ``comp`` whose private blocks (held by no other requested model) take at least one
    slot to load: the Lemma of formulations/cpsat-segment.md visits each once without loss."""
    ex = inst.exact
    req = list(inst.requested_models)
    held = inst.block_mask[req].sum(axis=0)
    return frozenset(i for i in comp if ex.load_time(inst.block_mask[i] & (held == 1)) >= ex.slot)


def segment_slots_exact(
    inst: Instance, segments: Sequence[tuple[int, Sequence[int]]], prev: int = -1
) -> int:
    """Whole slots of a run of segments (model, users), each ceil(exact time / slot), one batch per
    b_max users (eq. (1) with eq. (11)'s sum upload), the first loading after ``prev``."""
    ex = inst.exact
    total = 0
    for i, ks in segments:
        nb = -(-len(ks) // int(inst.b_max[i]))
        t = (
            ex.load_after(prev, i)
            + sum((ex.upload[k] for k in ks), Fraction(0))
            + ex.compute(i, len(ks), nb)
        )
        total += ceil_ratio(t, ex.slot)
        prev = i
    return total
