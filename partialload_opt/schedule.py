"""Schedules (partialload-schedule/1) and the ONE evaluator: every solver's answer is scored here."""

from __future__ import annotations

import enum
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from partialload_opt import bandwidth as bw
from partialload_opt.errors import InputError
from partialload_opt.fileio import atomic_write_json, read_json
from partialload_opt.instance import TIME_TOL, Instance
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


def _upload_time(
    inst: Instance,
    ks: list[int],
    bandwidth,
    n: int,
    batch_users: int,
    keep: list[int],
    violations: list[str],
) -> float:
    """Upload time of one batch under the schedule's bandwidth rule (Prop. 1, equal, or explicit)."""
    p = inst.p[ks]
    B = inst.bandwidth_hz
    if bandwidth == "optimal":
        return bw.optimal_upload_time(p, B)  # eq. (11)
    if "equal_subchannels" in bandwidth:
        r = int(bandwidth["equal_subchannels"])
        if len(ks) > r:
            violations.append(f"batch {n}: {len(ks)} users but only {r} equal sub-channels")
        return bw.equal_upload_time(p, B, r)
    fractions = bandwidth.get("fractions", [])
    if n >= len(fractions) or len(fractions[n]) != batch_users:
        violations.append(f"batch {n}: bandwidth fractions do not list one fraction per user")
        return math.inf
    y = np.asarray(fractions[n], dtype=float)
    if y.sum() > 1 + 1e-9:
        violations.append(f"batch {n}: bandwidth fractions sum to {y.sum():.6g} > 1 (eq. (5))")
    return bw.fractions_upload_time(p, y[keep], B)  # fractions of the users that count


def evaluate(
    instance: Instance,
    schedule: Schedule,
    semantics: str = "continuous",
    loading: str = "shared",
    bandwidth=None,
) -> Evaluation:
    """Score a schedule: timeline, served users, makespan and every violation, in plain sentences.

    ``bandwidth`` overrides the schedule's rule ('optimal', 'equal:R', ...). With ``loading=
    'independent'`` nothing is shared (Remark 4's view). A user is served iff its batch ends by
    Tbar (+1e-9 s); in slotted semantics iff its segment's last slot is <= T = floor(Tbar/slot)."""
    semantics = Semantics.parse(semantics)
    if loading not in LOADINGS:
        raise InputError("loading", str(loading), "must be shared or independent")
    inst = instance.independent_view() if loading == "independent" else instance
    rule = bw.parse_bandwidth(bandwidth if bandwidth is not None else schedule.bandwidth)
    violations: list[str] = []
    seen: set[int] = set()
    rows = []  # (n, model index, valid user indices, upload, load bytes, load time, compute)
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
        up = _upload_time(
            inst, ks, rule, n, len(batch.users), keep, violations
        )  # eqs. (6)-(7), (11)
        load_b = float(inst.load_bytes[prev + 1, i])  # eq. (8): the blocks not on the GPU
        m = inst.models[i]
        comp = m.mu_s * len(ks) + m.beta_s if ks else 0.0  # eq. (9): mu_i b + beta_i
        rows.append((n, i, ks, up, load_b, inst.load_after(prev, i), comp))
        prev = i

    timings: list[BatchTiming] = []
    served: list[str] = []
    t = 0.0
    slots_used = None

    def place(n, i, ks, start, up, lt, lb, comp, end, seg, slot_end, ok):
        """Record one batch on the timeline; its users are served iff it is on time."""
        timings.append(
            BatchTiming(
                n,
                inst.models[i].id,
                tuple(inst.users[k].id for k in ks),
                start,
                up,
                lt,
                lb,
                comp,
                end,
                seg,
                slot_end,
                ok,
            )
        )
        if ok:
            served.extend(inst.users[k].id for k in ks)

    if semantics == "continuous":
        for seg, (n, i, ks, up, lb, lt, comp) in enumerate(rows):
            end = t + up + lt + comp  # eq. (1): t_n = t_up + t_load + t_comp
            ok = end <= inst.deadline_s + TIME_TOL  # eq. (2): served iff the batch ends by Tbar
            place(n, i, ks, t, up, lt, lb, comp, end, seg, None, ok)
            if not ok and ks:
                violations.append(
                    f"batch {n} (model '{inst.models[i].id}') ends at {end:.6g} s, "
                    f"after the deadline {inst.deadline_s:g} s (late by {end - inst.deadline_s:.3g} s)"
                )
            t = end
        makespan = t
    else:
        T = inst.T
        slot = inst.slot_s
        used = 0
        r = 0
        seg = 0
        while r < len(rows):
            s = r
            while r < len(rows) and rows[r][1] == rows[s][1]:
                r += 1
            t = used * slot
            seg_rows = []
            for n, i, ks, up, lb, lt, comp in rows[s:r]:
                end = t + up + lt + comp
                seg_rows.append((n, i, ks, t, up, lt, lb, comp, end))
                t = end
            seg_time = t - used * slot
            used += math.ceil(seg_time / slot - TIME_TOL) if seg_time > 0 else 0
            ok = used <= T
            for row in seg_rows:
                place(*row, seg, used, ok)
            if not ok:
                violations.append(
                    f"segment {seg} (model '{inst.models[rows[s][1]].id}', batches "
                    f"{rows[s][0]}-{rows[r - 1][0]}) ends at slot {used} > T = {T}"
                )
            seg += 1
        slots_used = used
        makespan = used * slot
    return Evaluation(
        semantics,
        loading,
        rule,
        inst.deadline_s,
        inst.slot_s,
        tuple(timings),
        tuple(served),
        makespan,
        slots_used,
        tuple(violations),
    )


def served_on_time(
    instance: Instance, schedule: Schedule, semantics: str = "continuous"
) -> int | None:
    """The evaluator's served count of ``schedule``, or None when it breaks any rule (e.g. is late)."""
    ev = evaluate(instance, schedule, semantics=semantics)
    return ev.served if ev.feasible else None
