"""Schedules (partialload-schedule/1) and the ONE evaluator: every solver's answer is scored here."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from fractions import Fraction
from functools import partial
from pathlib import Path

from partialload_opt import display
from partialload_opt.errors import InputError
from partialload_opt.fileio import atomic_write_json, read_json
from partialload_opt.partialloading import bandwidth as bw
from partialload_opt.partialloading.instance import Instance
from partialload_opt.partialloading.timebase import at_most, rational, slots
from partialload_opt.validation import validate_document

FORMAT = "partialload-schedule/1"


class Semantics(str, enum.Enum):
    """The two time semantics (docs/DESIGN.md section 1), parsed once; a member is its string
    ('slotted' == Semantics.SLOTTED, and they hash alike), so results and files keep plain names."""

    CONTINUOUS = "continuous"
    SLOTTED = "slotted"

    def __str__(self) -> str:
        return self.value

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)

    __hash__ = str.__hash__

    @classmethod
    def parse(cls, value, field: str = "semantics") -> Semantics:
        """The member named ``value``; an InputError naming ``field`` otherwise."""
        try:
            return cls(value)
        except ValueError:
            raise InputError(field, str(value), "must be continuous or slotted") from None


SEMANTICS = tuple(Semantics)
LOADINGS = ("shared", "independent")


@dataclass(frozen=True)
class Batch:
    model: str
    users: tuple[str, ...]


@dataclass(frozen=True)
class Schedule:
    """An ordered list of batches; ``bandwidth`` is 'optimal', {'equal_subchannels': r} or
    {'fractions': [[y per user] per batch]}. ``instance`` names the instance it was made for.

    Build one from ids, ``Schedule([("m0", ["u1", "u2"]), ("m1", ["u0"])])`` (or
    ``Schedule.from_ids(inst, ...)``, which checks the ids), or from indices, as solvers do,
    ``Schedule.from_indices(inst, [(0, [1, 2]), (1, [0])])``."""

    batches: tuple[Batch, ...] = ()
    bandwidth: str | dict | bw.BandwidthRule = "optimal"  # stored in the file form
    instance: str = ""
    meta: dict = field(default_factory=dict, compare=False)

    def __post_init__(self):
        batches = tuple(
            b if isinstance(b, Batch) else Batch(str(b[0]), tuple(b[1])) for b in self.batches
        )
        object.__setattr__(self, "batches", batches)
        object.__setattr__(self, "bandwidth", bw.parse_bandwidth(self.bandwidth))  # the file form

    @classmethod
    def from_indices(cls, inst: Instance, batches, bandwidth="optimal", meta=None) -> Schedule:
        """Build from (model index, [user indices]) pairs, as solvers produce them."""
        return cls(
            tuple(
                Batch(inst.models[i].id, tuple(inst.users[k].id for k in ks)) for i, ks in batches
            ),
            bandwidth,  # parsed by __post_init__
            inst.name,
            dict(meta or {}),
        )

    @classmethod
    def from_ids(cls, inst: Instance, batches, bandwidth="optimal", meta=None) -> Schedule:
        """Build from (model id, [user ids]) pairs; an unknown id is an InputError."""
        out = []
        for n, (model, users) in enumerate(batches):
            if model not in inst.model_index:
                raise InputError(
                    "schedule", f"batches[{n}].model", f"{model!r} is not a model of {inst.name}"
                )
            for u in users:
                if u not in inst.user_index:
                    raise InputError(
                        "schedule", f"batches[{n}].users", f"{u!r} is not a user of {inst.name}"
                    )
            out.append(Batch(model, tuple(users)))
        return cls(tuple(out), bandwidth, inst.name, dict(meta or {}))

    def __repr__(self) -> str:
        """One line: batches, models, users, bandwidth rule and instance (``to_dict()``: every id)."""

        users = sum(len(b.users) for b in self.batches)
        models = len({b.model for b in self.batches})
        name = f", instance {self.instance!r}" if self.instance else ""
        return (
            f"Schedule({display.count(len(self.batches), 'batch', 'batches')}, {display.count(models, 'model')}, "
            f"{display.count(users, 'user')}, bandwidth {bw.BandwidthRule.parse(self.bandwidth)}{name})"
        )

    def _repr_html_(self) -> str:
        """A notebook's view: one row per batch (its model and users)."""
        rows = [
            (n, b.model, len(b.users), display.shorten(", ".join(b.users)))
            for n, b in enumerate(self.batches)
        ]
        return display.card(repr(self), display.table(["batch", "model", "size", "users"], rows))

    def to_dict(self) -> dict:
        out = {
            "format": FORMAT,
            "instance": self.instance,
            "batches": [{"model": b.model, "users": list(b.users)} for b in self.batches],
            "bandwidth": self.bandwidth,
        }
        if self.meta:
            out["meta"] = self.meta
        return out

    @classmethod
    def from_dict(cls, doc, source: str = "<schedule>") -> Schedule:
        validate_document(doc, FORMAT, source)
        return cls(
            tuple(Batch(b["model"], tuple(b["users"])) for b in doc["batches"]),
            doc.get("bandwidth", "optimal"),
            doc["instance"],
            dict(doc.get("meta", {})),
        )


def segments_of_schedule(inst: Instance, schedule: Schedule) -> list[tuple[int, int]]:
    """(model index, users) of each maximal run of one model's batches: the segments of slotted time,
    and of a Theorem-2-form schedule."""
    out: list[tuple[int, int]] = []
    for b in schedule.batches:
        i = inst.model_index[b.model]
        if out and out[-1][0] == i:
            out[-1] = (i, out[-1][1] + len(b.users))
        else:
            out.append((i, len(b.users)))
    return out


def load_schedule(path: str | Path) -> Schedule:
    return Schedule.from_dict(read_json(path), str(path))


def save_schedule(schedule: Schedule, path: str | Path) -> None:
    atomic_write_json(path, schedule.to_dict())


@dataclass(frozen=True)
class BatchTiming:
    """One batch on the timeline (seconds). In slotted semantics ``slot_end`` is the slot at which the
    batch's segment (maximal run of one model) ends; ``on_time`` says whether its users are served."""

    index: int
    model: str
    users: tuple[str, ...]
    start_s: float
    upload_s: float
    load_s: float
    load_bytes: float
    compute_s: float
    end_s: float
    segment: int
    slot_end: int | None
    on_time: bool


@dataclass(frozen=True)
class Evaluation:
    semantics: str
    loading: str
    bandwidth: str | dict
    deadline_s: float
    slot_s: float
    batches: tuple[BatchTiming, ...]
    served_users: tuple[str, ...]
    makespan_s: float
    slots_used: int | None
    violations: tuple[str, ...]

    @property
    def served(self) -> int:
        return len(self.served_users)

    @property
    def feasible(self) -> bool:
        return not self.violations

    def __repr__(self) -> str:
        """One line: semantics, served, feasibility, batches, makespan (``to_dict()``: the timeline)."""

        loading = ", independent loading" if self.loading == "independent" else ""
        verdict = "feasible" if self.feasible else display.count(len(self.violations), "violation")
        slots = "" if self.slots_used is None else f" = {display.count(self.slots_used, 'slot')}"
        return (
            f"Evaluation({self.semantics}{loading}, served {self.served}, {verdict}, "
            f"{display.count(len(self.batches), 'batch', 'batches')}, makespan "
            f"{display.seconds(self.makespan_s)}{slots}, deadline {display.seconds(self.deadline_s)})"
        )

    def _repr_html_(self) -> str:
        """A notebook's view: the timeline, one row per batch (ms), and every violation."""
        ms = 1e3
        rows = [
            (
                b.index,
                b.model,
                len(b.users),
                f"{b.start_s * ms:.4g}",
                f"{b.upload_s * ms:.4g}",
                f"{b.load_s * ms:.4g}",
                f"{b.compute_s * ms:.4g}",
                f"{b.end_s * ms:.4g}",
                "-" if b.slot_end is None else b.slot_end,
                "yes" if b.on_time else "no",
            )
            for b in self.batches
        ]
        headers = ["batch", "model", "size", "start ms", "upload ms", "load ms", "compute ms"]
        timeline = display.table(headers + ["end ms", "slot end", "on time"], rows)
        violations = display.items(self.violations) if self.violations else ""
        return display.card(repr(self), timeline, violations)

    def plot(self, ax=None, title: str | None = None):
        """The Gantt chart of this timeline (``plot.gantt``, drawn by gantt.draw_gantt) on ``ax`` (a
        new figure if None); returns the Axes."""
        from partialload_opt import plot

        return plot.gantt(None, self, ax=ax, title=title, problem="partialload")

    def to_dict(self) -> dict:
        return {
            "served": self.served,
            "feasible": self.feasible,
            "makespan_s": self.makespan_s,
            "semantics": self.semantics,
            "loading": self.loading,
            "bandwidth": self.bandwidth,
            "slots_used": self.slots_used,
            "violations": list(self.violations),
            "served_users": list(self.served_users),
            "batches": [asdict(b) | {"users": list(b.users)} for b in self.batches],
        }


@dataclass(frozen=True)
class _Row:
    """A batch that names a model and users, before it is placed on the timeline (seconds)."""

    n: int
    i: int
    ks: tuple[int, ...]  # the users that count (known, of this model, not scheduled before)
    upload_s: float
    load_s: float
    load_bytes: float
    compute_s: float
    exact: Callable[[], Fraction]  # the exact t_n, eq. (1)

    @property
    def duration_s(self) -> float:
        return self.upload_s + self.load_s + self.compute_s  # eq. (1)


def _upload_time(inst: Instance, ks: list[int], rule: bw.BandwidthRule, y) -> float:
    """Upload time of one batch under the rule (Prop. 1, equal, or explicit fractions ``y``)."""
    p = inst.p[ks]
    B = inst.bandwidth_hz
    if rule.kind == "optimal":
        return bw.optimal_upload_time(p, B)  # eq. (11)
    if rule.kind == "equal":
        return bw.equal_upload_time(p, B, int(rule.subchannels or 1))
    return bw.fractions_upload_time(p, y, B)  # eqs. (6)-(7)


def _rows(
    inst: Instance, schedule: Schedule, rule: bw.BandwidthRule, violations: list[str]
) -> list[_Row]:
    """The schedule's batches that name a model and users; every broken rule into ``violations``."""
    ex = inst.exact
    seen: set[int] = set()
    rows: list[_Row] = []
    prev = -1
    for n, batch in enumerate(schedule.batches):
        i = inst.model_index.get(batch.model)
        if i is None:
            violations.append(f"batch {n}: '{batch.model}' is not a model id")
            continue
        if not batch.users:
            violations.append(f"batch {n}: empty batch")
            continue
        ks, keep = [], []
        for pos, uid in enumerate(batch.users):
            k = inst.user_index.get(uid)
            if k is None:
                violations.append(f"batch {n}: '{uid}' is not a user id")
            elif inst.user_model[k] != i:
                violations.append(
                    f"batch {n}: user '{uid}' requests '{inst.users[k].model}', not '{batch.model}'"
                )
            elif k in seen:  # eq. (3): a user is scheduled at most once
                violations.append(f"batch {n}: user '{uid}' is scheduled twice")
            else:
                seen.add(k)
                ks.append(k)
                keep.append(pos)
        if len(batch.users) > inst.b_max[i]:
            violations.append(
                f"batch {n}: {len(batch.users)} users exceed b_max = {inst.b_max[i]} "
                f"of model '{batch.model}' (eq. (10c))"
            )
        y = None
        if rule.kind == "equal" and len(ks) > (rule.subchannels or 0):
            violations.append(
                f"batch {n}: {len(ks)} users but only {rule.subchannels} equal sub-channels"
            )
        if rule.kind == "fractions":
            fractions = rule.fractions or ()
            if n >= len(fractions) or len(fractions[n]) != len(batch.users):
                violations.append(
                    f"batch {n}: bandwidth fractions do not list one fraction per user"
                )
                y = [0.0] * len(ks)
            else:
                if sum(map(rational, fractions[n])) > 1:  # eq. (5), exactly
                    violations.append(
                        f"batch {n}: bandwidth fractions sum to {sum(fractions[n]):.17g} > 1 (eq. (5))"
                    )
                y = [fractions[n][pos] for pos in keep]  # the fractions of the users that count
        m = inst.models[i]
        rows.append(
            _Row(
                n=n,
                i=i,
                ks=tuple(ks),
                upload_s=_upload_time(inst, ks, rule, y),  # eqs. (6)-(7), (11)
                load_s=inst.load_after(prev, i),  # eq. (8): the blocks not on the GPU
                load_bytes=float(inst.load_bytes[prev + 1, i]),
                compute_s=m.mu_s * len(ks) + m.beta_s if ks else 0.0,  # eq. (9): mu_i b + beta_i
                exact=partial(ex.batch, prev, i, tuple(ks), rule, y),
            )
        )
        prev = i
    return rows


def _exact_sum(rows: list[_Row]) -> Fraction:
    return sum((row.exact() for row in rows), Fraction(0))


class _Timeline:
    """The evaluator's timeline of one schedule: each batch placed, its users served iff on time,
    in continuous time (batches back to back, each ending by Tbar) or slotted time (segments in
    whole slots, ending by slot T), decided on exact times near a boundary (timebase.py)."""

    def __init__(self, inst: Instance):
        self.inst = inst
        self.timings: list[BatchTiming] = []
        self.served: list[str] = []

    def place(self, row: _Row, start: float, seg: int, slot_end: int | None, ok: bool) -> None:
        """Record one batch on the timeline; its users are served iff it is on time."""
        inst = self.inst
        self.timings.append(
            BatchTiming(
                index=row.n,
                model=inst.models[row.i].id,
                users=tuple(inst.users[k].id for k in row.ks),
                start_s=start,
                upload_s=row.upload_s,
                load_s=row.load_s,
                load_bytes=row.load_bytes,
                compute_s=row.compute_s,
                end_s=start + row.duration_s,
                segment=seg,
                slot_end=slot_end,
                on_time=ok,
            )
        )
        if ok:
            self.served.extend(inst.users[k].id for k in row.ks)

    def continuous(self, rows: list[_Row], violations: list[str]) -> float:
        """Batches back to back from 0; eq. (2): a batch's users are served iff it ends by Tbar.
        Returns the makespan."""
        inst, ex = self.inst, self.inst.exact
        t = 0.0
        exact_end: list[Fraction] = []  # exact end times, computed only when a float is undecided

        def exact_end_of(upto: int) -> tuple[Fraction, Fraction]:
            while len(exact_end) <= upto:
                before = exact_end[-1] if exact_end else Fraction(0)
                exact_end.append(before + rows[len(exact_end)].exact())
            return exact_end[upto], ex.deadline

        for seg, row in enumerate(rows):
            end = t + row.duration_s  # eq. (1): batches run back to back
            ok = at_most(end, inst.deadline_s, partial(exact_end_of, seg))  # eq. (2)
            self.place(row, t, seg, None, ok)
            if not ok and row.ks:
                violations.append(
                    f"batch {row.n} (model '{inst.models[row.i].id}') ends at {end:.6g} s, "
                    f"after the deadline {inst.deadline_s:g} s (late by {end - inst.deadline_s:.3g} s)"
                )
            t = end
        return t

    def slotted(self, rows: list[_Row], violations: list[str]) -> int:
        """Segments (maximal runs of one model) in whole slots, ceil(segment time / slot) each;
        a segment's users are served iff it ends by slot T. Returns the slots used."""
        inst = self.inst
        T, slot = inst.T, inst.slot_s
        used = r = seg = 0
        while r < len(rows):  # one maximal run of one model (a segment) at a time
            s = r
            while r < len(rows) and rows[r].i == rows[s].i:
                r += 1
            run = rows[s:r]
            seg_time = sum(row.duration_s for row in run)  # its own length, not absolute time
            start = used * slot
            used += slots(seg_time, slot, partial(_exact_sum, run), inst.exact.slot)
            ok = used <= T
            for row in run:
                self.place(row, start, seg, used, ok)
                start += row.duration_s
            if not ok:
                violations.append(
                    f"segment {seg} (model '{inst.models[rows[s].i].id}', batches "
                    f"{rows[s].n}-{rows[r - 1].n}) ends at slot {used} > T = {T}"
                )
            seg += 1
        return used


def evaluate(
    instance: Instance,
    schedule: Schedule,
    semantics: str = "continuous",
    loading: str = "shared",
    bandwidth=None,
) -> Evaluation:
    """Score a schedule: timeline, served users, makespan and every violation, in plain sentences.

    ``bandwidth`` overrides the schedule's rule ('optimal', 'equal:R', ...). With ``loading=
    'independent'`` nothing is shared (Remark 4's view). A user is served iff its batch ends by Tbar;
    in slotted semantics iff its segment's last slot is <= T = floor(Tbar/slot). Both are decided on
    the exact times (timebase.py), never within a tolerance."""
    semantics = Semantics.parse(semantics)
    if loading not in LOADINGS:
        raise InputError("loading", str(loading), "must be shared or independent")
    inst = instance.independent_view() if loading == "independent" else instance
    rule = bw.BandwidthRule.parse(bandwidth if bandwidth is not None else schedule.bandwidth)
    violations: list[str] = []
    rows = _rows(inst, schedule, rule, violations)
    line = _Timeline(inst)
    if semantics == "continuous":
        makespan, slots_used = line.continuous(rows, violations), None
    else:
        slots_used = line.slotted(rows, violations)
        makespan = slots_used * inst.slot_s
    timings, served = line.timings, line.served
    return Evaluation(
        semantics=semantics,
        loading=loading,
        bandwidth=rule.spec,
        deadline_s=inst.deadline_s,
        slot_s=inst.slot_s,
        batches=tuple(timings),
        served_users=tuple(served),
        makespan_s=makespan,
        slots_used=slots_used,
        violations=tuple(violations),
    )


def served_on_time(
    instance: Instance, schedule: Schedule, semantics: str = "continuous"
) -> int | None:
    """The evaluator's served count of ``schedule``, or None when it breaks any rule (e.g. is late)."""
    ev = evaluate(instance, schedule, semantics=semantics)
    return ev.served if ev.feasible else None
