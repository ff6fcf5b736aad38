"""The per-instance context of PartialLoading's claims: it computes (and caches) the ground truths the
checks compare against, and the helpers the claim modules share."""

from __future__ import annotations

import time

from partialload_opt.partialloading.bounds import Witness
from partialload_opt.partialloading.claims import search
from partialload_opt.partialloading.instance import Instance
from partialload_opt.partialloading.results import Result, Status, Unsupported
from partialload_opt.partialloading.schedule import Schedule
from partialload_opt.partialloading.segments import theorem2_form_unproved
from partialload_opt.partialloading.solving import refute
from partialload_opt.plugins import PluginError
from partialload_opt.solving import solve
from partialload_opt.verify.checks import (  # noqa: F401 (the claim modules import them from here)
    HELD,
    MEASURED,
    SKIPPED,
    VIOLATED,
    Check,
    Claim,
    skipped,
)

THREADED = ("cpsat", "cpsat-batch", "cpsat-segment")
"""Ground-truth solvers whose thread count the verification layer sets (``Context.threads``): in
worker processes one CP-SAT worker per solve, since the processes already fill the cores (8 CP-SAT
threads in each of 2 processes on 2 cores took about 4x longer on the slotted cpsat-batch proofs:
benchmarks/RESULTS.md)."""


def unusable(result) -> str | None:
    """Why a solver Result cannot serve as evidence (refused, error, time-out), or None."""
    if result is None:
        return "the solver refused the instance"
    if result.status in (Status.ERROR, Status.TIMEOUT):
        return f"{result.solver} ended in {result.status.value}: {result.message or 'no message'}"
    return None


def form_exact(result) -> bool:
    """The result is the exact optimum over the schedules its solver searches (proved optimal, or
    optimal over Theorem 2's form where that form is not proved to lose nothing)."""
    return result is not None and result.optimal_over is not None and result.restricted is None


class Context:
    """Ground truths of one instance, computed on demand and cached.

    * ``form(sem)``: the exact optimum over Theorem-2-form schedules with clusters contiguous
      (dp-exact; cpsat when dp-exact's guard refuses) -- a feasible schedule, the problem's optimum
      only where that form is proved to lose nothing (formulations/theorem2-form.md);
    * ``orders(sem)``: Theorem-2 form, any model order (exhaustive: no cluster assumption);
    * ``free(sem)``: no theorem at all (the theorem-free search for K <= 7; beyond it a schedule
      attaining the theorem-free relaxation bound (both semantics), else cpsat-segment (slotted)
      or cpsat-batch (K <= 12), whichever proves first);
    * ``optimum(sem)``: a proved optimum of the problem as stated (form where proved, else free);
    * ``best_known(sem)``: the best feasible schedule known (a witness: anything serving fewer is
      not optimal).
    Solver disagreements that should be impossible are collected in ``bugs``."""

    def __init__(
        self,
        inst: Instance,
        time_limit: float = 60.0,
        threads: int | None = None,
        budget: float | None = None,
        audit: bool = True,
    ):
        self.inst, self.time_limit = inst, time_limit
        self.audit = (
            audit  # cross-check the exact solvers (``bugs``); the shrinker needs verdicts only
        )
        self.threads = threads  # CP-SAT workers per ground-truth solve (None: the solver's default)
        self.deadline = None if budget is None else time.perf_counter() + budget
        self._cache: dict = {}
        self.bugs: list[str] = []
        self.witness: dict[str, Witness] = {}  # the best verified schedule per semantics

    def _memo(self, key, fn):
        if key not in self._cache:
            self._cache[key] = fn()
        return self._cache[key]

    def result(self, solver: str, semantics: str, **kw):
        def run():
            opts = dict(kw)
            if self.threads is not None and solver in THREADED:
                opts["threads"] = self.threads
            try:
                return solve(
                    self.inst, solver, semantics=semantics, time_limit=self.limit(), **opts
                )
            except Unsupported:
                return None
            except (
                PluginError
            ) as e:  # a user's solver broke the contract: an error on this instance
                return Result(
                    solver=solver,
                    semantics=semantics,
                    status=Status.ERROR,
                    served=0,
                    bound=None,
                    wall_s=0.0,
                    schedule=Schedule(instance=self.inst.name),
                    stats={"plugin": e.plugin},
                    message=str(e),
                )

        key = (solver, semantics, tuple(sorted(kw.items())))
        got = self._memo(key, run)
        if got is None:
            return None
        checked = refute(got, self.witness.get(semantics))
        if checked is not got:  # a verified schedule of this context serves more than it proved
            self._cache[key] = checked
        if checked.refuted_bound is not None and ("refuted",) + key not in self._cache:
            self._cache[("refuted",) + key] = True  # refuted here or in its own run: a solver bug
            self.bugs.append(f"{solver} ({semantics}): {checked.message}")
        self.saw(semantics, checked)
        return checked

    def saw(self, semantics: str, result) -> None:
        """Keep the best verified schedule of ``semantics`` seen so far (``witness``): any later
        bound below it is refuted (``solving.refute``)."""
        if result is None or result.status is Status.ERROR:
            return
        if result.loading != "shared":
            return
        best = self.witness.get(semantics)
        if best is None or result.served > best.served:
            self.witness[semantics] = Witness(result.served, f"{result.solver}'s schedule")

    def limit(self) -> float:
        """A solve's time limit: the per-solve limit, within what is left of the instance's budget
        (a solve stopped by it ends in 'timeout', which no check takes as evidence)."""
        if self.deadline is None:
            return self.time_limit
        return max(0.01, min(self.time_limit, self.deadline - time.perf_counter()))

    def form(self, semantics: str) -> tuple[int | None, str, Schedule | None]:
        def run():
            for name in ("dp-exact", "cpsat"):
                r = self.result(name, semantics)
                if form_exact(r):
                    return r.served, name, r.schedule
            return None, "none", None

        value = self._memo(("form", semantics), run)
        if self.audit and self.inst.K <= 12 and value[1] == "dp-exact":
            self._cross_check(semantics, value[0])
        return value

    def form_proved(self, semantics: str) -> bool:
        """Theorem 2's form is proved to lose nothing on this instance in this semantics."""
        return self._memo(
            ("form-proved", semantics), lambda: theorem2_form_unproved(self.inst, semantics) is None
        )

    def optimum(self, semantics: str) -> tuple[int | None, str, Schedule | None]:
        """A proved optimum of the problem as stated, or (None, why, None)."""

        def run():
            if self.form_proved(semantics):
                form = self.form(semantics)
                if form[0] is not None:
                    return form
            value, how, batches = self.free(semantics)
            if value is None:
                return None, f"no theorem-free {semantics} optimum for K = {self.inst.K}", None
            return value, how, schedule_of(self.inst, batches)

        return self._memo(("optimum", semantics), run)

    def best_known(self, semantics: str) -> tuple[int | None, str, Schedule | None]:
        """The best feasible schedule known (the proved optimum when there is one)."""
        value = self.optimum(semantics)
        if value[0] is not None:
            return value
        return self.form(semantics)

    def independent_form(self, semantics: str) -> tuple[int | None, str, Schedule | None]:
        """The exact optimum of the Independent view (nothing shared: Theorem 2's form is proved to
        lose nothing there in both semantics; Remark 4's ground truth)."""

        def run():
            r = solve(self.inst.independent_view(), "dp-exact", semantics=semantics)
            if r.status is Status.OPTIMAL:
                return r.served, "dp-exact on the Independent view", r.schedule
            return None, "dp-exact", None

        return self._memo(("independent-form", semantics), run)

    def _cross_check(self, semantics: str, value: int) -> None:
        key = ("cross", semantics)
        if key in self._cache:
            return
        self._cache[key] = True
        r = self.result(
            "cpsat", semantics, presolve=False
        )  # K <= 12: presolve costs more than it saves
        if form_exact(r) and r.served != value:
            self.bugs.append(
                f"dp-exact says {value}, cpsat says {r.served} ({semantics}, both over Theorem 2's form)"
            )

    def orders(self, semantics: str) -> tuple[int | None, str, Schedule | None]:
        r = self.result("exhaustive", semantics)
        if form_exact(r):
            return r.served, "exhaustive", r.schedule
        return None, "exhaustive", None

    def free(self, semantics: str) -> tuple[int | None, str, list | None]:
        """The theorem-free optimum: the search (K <= 7); beyond it a known schedule that attains
        search.relaxation_bound (a bound valid for every schedule; in slotted time with deadline
        T * slot), else the first that proves its optimum of cpsat-segment (slotted, any K) and
        cpsat-batch (K <= 12)."""

        def run():
            if self.inst.K <= search.MAX_USERS:
                value, batches = search.best(self.inst, semantics)
                best = self.witness.get(semantics)
                if best is None or value > best.served:
                    self.witness[semantics] = Witness(value, "the theorem-free search")
                return value, "theorem-free search", batches
            attained = self._bound_attained(semantics)
            if attained is not None:
                return attained
            # slotted: segment positions first (any K; formulations/cpsat-segment.md), which proved
            # the generated K = 8..12 instances 5-100x faster than cpsat-batch, with the same optima
            names = ["cpsat-segment"] if semantics == "slotted" else []
            names += ["cpsat-batch"] if self.inst.K <= search.MAX_MODEL_USERS else []
            for name in names:
                r = self.result(name, semantics)
                if r is not None and r.status is Status.OPTIMAL:
                    return r.served, name, batches_of(self.inst, r.schedule)
            return None, "none", None

        value = self._memo(("free", semantics), run)
        if self.audit and value[0] is not None:
            self._check_form_against_free(semantics, value)
        return value

    def _check_form_against_free(self, semantics: str, free) -> None:
        """A Theorem-2-form optimum above the theorem-free optimum, or below it where the form is
        proved to lose nothing, is a solver bug."""
        key = ("form-vs-free", semantics)
        if key in self._cache:
            return
        self._cache[key] = True
        value, name, _ = self.form(semantics)
        if value is None:
            return
        if value > free[0]:
            self.bugs.append(
                f"{name} ({value}) above the theorem-free optimum {free[1]} ({free[0]}, {semantics})"
            )
        elif value < free[0] and self.form_proved(semantics):
            self.bugs.append(
                f"{name} ({value}) below the theorem-free optimum {free[1]} ({free[0]}, {semantics}) "
                "where Theorem 2's form is proved to lose nothing"
            )

    def _bound_attained(self, semantics: str) -> tuple[int, str, list] | None:
        """(bound, how, batches) when a known Theorem-2-form schedule serves as many users as the
        theorem-free relaxation bound allows: then it is a theorem-free optimum."""
        ub = self._memo(
            ("relaxation", semantics), lambda: search.relaxation_bound(self.inst, semantics)
        )
        if ub is None:
            return None
        for optimum in (
            self.form,
            self.orders,
        ):  # lazily: the first that attains the bound suffices
            value, name, sched = optimum(semantics)
            if value is not None and value > ub:
                self.bugs.append(
                    f"{name} serves {value}, above the theorem-free relaxation bound {ub}"
                )
            elif value == ub and sched is not None:
                return ub, f"relaxation bound attained by {name}", batches_of(self.inst, sched)
        return None

    def timed(self, solver: str, semantics: str, **kw) -> tuple[Result, float]:
        t = time.perf_counter()
        r = solve(self.inst, solver, semantics=semantics, **kw)
        return r, time.perf_counter() - t


def property_optimum(
    ctx: Context, semantics: str, holds, subset
) -> tuple[int | None, str, Schedule | None]:
    """The optimum over schedules with a prefix-closed property ``holds(inst, batches)``: the
    theorem-free search restricted to it (K <= 7); beyond that, ``subset()`` -- the optimum over a
    subset of those schedules (e.g. Theorem 2's form) -- when it attains the theorem-free optimum
    (then so does the property's optimum); else unavailable."""
    inst = ctx.inst
    if inst.K <= search.MAX_USERS:
        value, batches = search.best(inst, semantics, allowed=lambda b: holds(inst, b))
        return (
            value,
            "theorem-free search over schedules with the property",
            schedule_of(inst, batches),
        )
    value, name, sched = subset()
    free = ctx.free(semantics)[0]
    if value is not None and free is not None and value == free:
        return (
            value,
            f"{name} (a subset of the property's schedules) attains the theorem-free optimum",
            sched,
        )
    return None, f"no optimum over the property's schedules for K = {inst.K}", None


def schedule_of(inst: Instance, batches) -> Schedule:
    """(model index, user indices) batches -> a Schedule."""
    return Schedule.from_indices(inst, [(i, list(ks)) for i, ks in batches])


def batches_of(inst: Instance, schedule: Schedule) -> list[tuple[int, tuple[int, ...]]]:
    """A Schedule -> (model index, user indices) batches, as the theorem-free search writes them."""
    return [
        (inst.model_index[b.model], tuple(inst.user_index[u] for u in b.users))
        for b in schedule.batches
    ]


def to_schedule(inst: Instance, batches) -> dict:
    return schedule_of(inst, batches).to_dict()


def structural(
    ctx: Context, claim: Claim, reading: str, semantics: str, holds, restricted
) -> Check:
    """A theorem that says optimal schedules have a property.

    without-loss: ``restricted()`` -> (optimum over schedules with the property, solver name) equals
    the theorem-free optimum. must: no schedule attaining the theorem-free optimum lacks the
    property (the theorem-free search looks for one; tiny instances only)."""
    inst = ctx.inst
    free, how, free_batches = ctx.free(semantics)
    if free is None:
        return skipped(
            claim.id,
            reading,
            semantics,
            f"no theorem-free ground truth for K = {inst.K} ({semantics})",
        )
    if reading == "without-loss":
        value, name, sched = restricted()
        if value is None:
            return skipped(claim.id, reading, semantics, f"restricted optimum unavailable ({name})")
        gt = f"{name} vs {how}"
        vals = {"restricted_optimum": value, "unrestricted_optimum": free}
        if value > free:
            ctx.bugs.append(
                f"{claim.id}: {name} ({value}) above the theorem-free optimum {how} ({free})"
            )
            return Check(
                claim.id,
                reading,
                semantics,
                SKIPPED,
                gt,
                "solver bug: restricted above unrestricted",
                vals,
            )
        if value == free:
            return Check(claim.id, reading, semantics, HELD, gt, values=vals)
        return Check(
            claim.id,
            reading,
            semantics,
            VIOLATED,
            gt,
            f"the best schedule with the property serves {value}, without it {free}",
            vals,
            {
                "unrestricted": to_schedule(inst, free_batches),
                **({"restricted": sched.to_dict()} if sched is not None else {}),
            },
        )
    if inst.K > search.MAX_USERS:
        return skipped(
            claim.id, reading, semantics, f"must-reading needs the search (K <= {search.MAX_USERS})"
        )
    found = search.find(inst, free, lambda b: not holds(inst, b), semantics)
    gt = "theorem-free search"
    if found is None:
        return Check(claim.id, reading, semantics, HELD, gt, values={"optimum": free})
    _, name, with_property = restricted()
    shown = {"optimal_without_property": to_schedule(inst, found)}
    if with_property is not None:
        shown[f"optimal_with_property ({name})"] = with_property.to_dict()
    return Check(
        claim.id,
        reading,
        semantics,
        VIOLATED,
        gt,
        "an optimal schedule without the property exists",
        {"optimum": free},
        shown,
    )


def property_check(claim: Claim, holds, subset=None, bls_only: bool = False):
    """``check`` of a theorem saying optimal schedules have the prefix-closed property ``holds``
    (Theorems 2.1, 2.2, 3): ``structural`` with the optimum over the property's schedules
    (``subset(ctx, semantics)`` beyond the search's reach; default: every model order, ctx.orders)."""
    pick = subset or (lambda ctx, semantics: ctx.orders(semantics))

    def check(ctx: Context, reading: str, semantics: str) -> Check:
        if bls_only and not ctx.inst.is_bls:
            return skipped(claim.id, reading, semantics, "not a BLS instance")
        return structural(
            ctx,
            claim,
            reading,
            semantics,
            holds,
            lambda: property_optimum(ctx, semantics, holds, lambda: pick(ctx, semantics)),
        )

    return check
