"""Instances: blocks, models, users; JSON load/save (partialload-instance/1) and the derived data every
solver needs (p_k, b_max, users sorted by p_k, loading bytes, clusters, BLS and l_i)."""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

import numpy as np

from partialload_opt import display
from partialload_opt.errors import InputError
from partialload_opt.fileio import atomic_write_json, read_json
from partialload_opt.partialloading.timebase import FILTER, ExactTimes
from partialload_opt.validation import finite, validate_document

FORMAT = "partialload-instance/1"


class InstanceWarning(UserWarning):
    """Suspicious but legal input (e.g. a block no model uses, a slot lost to a deadline written a
    hair short: ``reading_warnings``)."""


@dataclass(frozen=True)
class Block:
    id: str
    size_bytes: float  # S_j


@dataclass(frozen=True)
class Model:
    id: str
    blocks: tuple[str, ...]  # J_i
    mu_s: float  # mu_i, compute time per sample
    beta_s: float  # beta_i, compute time per batch
    memory_base_bytes: float  # A_i(b) = memory_base + memory_per_sample * b
    memory_per_sample_bytes: float


@dataclass(frozen=True)
class User:
    id: str
    model: str  # i(k)
    data_bits: float  # D_k
    spectral_efficiency: float  # R_k (bit/s/Hz)

    @property
    def p(self) -> float:
        """p_k = D_k / R_k (bit per bit/s/Hz = s*Hz): upload time with the whole band is p_k / B."""
        return self.data_bits / self.spectral_efficiency


@dataclass(frozen=True)
class LoadRates:
    disk_Bps: float  # V1(S) = S / disk_Bps
    pcie_Bps: float  # V2(S) = S / pcie_Bps

    def time(self, size_bytes):
        """V(S) = V1(S) + V2(S), eq. (8); works on numpy arrays."""
        return size_bytes / self.disk_Bps + size_bytes / self.pcie_Bps


@dataclass(frozen=True, eq=False)
class Instance:
    """One problem instance. Frozen; derived data is computed once, on first use."""

    name: str
    deadline_s: float  # Tbar
    slot_s: float  # Delta tau
    bandwidth_hz: float  # B
    gpu_memory_bytes: float  # Q
    load: LoadRates
    blocks: tuple[Block, ...]
    models: tuple[Model, ...]
    users: tuple[User, ...]
    meta: dict = field(default_factory=dict, compare=False)

    def __post_init__(self):
        _check_semantics(self, f"instance '{self.name}'")

    # ---- sizes and indices -------------------------------------------------------------------
    @property
    def K(self) -> int:
        return len(self.users)

    @property
    def I(self) -> int:  # the paper's symbol
        return len(self.models)

    @property
    def J(self) -> int:
        return len(self.blocks)

    @cached_property
    def model_index(self) -> dict[str, int]:
        return {m.id: i for i, m in enumerate(self.models)}

    @cached_property
    def user_index(self) -> dict[str, int]:
        return {u.id: k for k, u in enumerate(self.users)}

    @cached_property
    def block_index(self) -> dict[str, int]:
        return {b.id: j for j, b in enumerate(self.blocks)}

    @property
    def T(self) -> int:
        """Number of whole slots before the deadline, floor(Tbar / slot), exactly."""
        return self.exact.T

    @cached_property
    def derived(self) -> dict:
        """Per-instance memo of derived data (segment tables, bounds), kept on the instance so that it
        goes with it (a module-level cache keyed by the instance would keep every instance alive)."""
        return {}

    @cached_property
    def exact(self) -> ExactTimes:
        """The instance's times as exact rationals: the one time arithmetic (timebase.py)."""
        return ExactTimes(self)

    # ---- per-user data -----------------------------------------------------------------------
    @cached_property
    def p(self) -> np.ndarray:
        """p_k = D_k / R_k for every user (index k)."""
        return np.array([u.p for u in self.users], dtype=float)

    @cached_property
    def user_model(self) -> np.ndarray:
        return np.array([self.model_index[u.model] for u in self.users], dtype=int)

    @cached_property
    def users_of(self) -> tuple[np.ndarray, ...]:
        """Users of each model in ascending exact p_k (ties by id): Theorem 2.1's order."""
        out = []
        for i in range(self.I):
            ks = [k for k in range(self.K) if self.user_model[k] == i]
            out.append(np.array(self._by_upload(ks), dtype=int))
        return tuple(out)

    def _by_upload(self, ks: list[int]) -> list[int]:
        """``ks`` in ascending exact p_k / B, ties by id: sorted on the floats, and each run of
        neighbours too close for floats to order (timebase.FILTER) sorted again on exact values."""
        p = self.p
        ks = sorted(ks, key=lambda k: (p[k], self.users[k].id))
        out: list[int] = []
        run: list[int] = []
        for k in ks:
            if run and abs(p[k] - p[run[-1]]) > FILTER * max(abs(p[k]), abs(p[run[-1]])):
                out += self._exactly_sorted(run)
                run = []
            run.append(k)
        return out + self._exactly_sorted(run)

    def _exactly_sorted(self, run: list[int]) -> list[int]:
        if len(run) < 2:
            return run
        up = self.exact.upload
        return sorted(run, key=lambda k: (up[k], self.users[k].id))

    @cached_property
    def requested_models(self) -> tuple[int, ...]:
        return tuple(i for i in range(self.I) if len(self.users_of[i]) > 0)

    # ---- per-model data ----------------------------------------------------------------------
    @cached_property
    def b_max(self) -> np.ndarray:
        """b_max(i) = max{b >= 1 : A_i(b) <= Q}, eq. (10c), capped at K (no cap bites beyond the user count)."""
        out = np.zeros(self.I, dtype=int)
        cap = max(1, self.K)
        for i, m in enumerate(self.models):
            out[i] = _b_max(m, self.gpu_memory_bytes, cap)
        return out

    @cached_property
    def block_size(self) -> np.ndarray:
        return np.array([b.size_bytes for b in self.blocks], dtype=float)

    @cached_property
    def block_mask(self) -> np.ndarray:
        """mask[i, j] = block j belongs to model i."""
        mask = np.zeros((self.I, self.J), dtype=bool)
        for i, m in enumerate(self.models):
            mask[i, [self.block_index[b] for b in m.blocks]] = True
        return mask

    @cached_property
    def model_bytes(self) -> np.ndarray:
        return self.block_mask.astype(float) @ self.block_size

    @cached_property
    def shared_bytes(self) -> np.ndarray:
        """shared[a, b] = bytes of the blocks models a and b have in common."""
        w = self.block_mask * self.block_size
        return w @ self.block_mask.T.astype(float)

    @cached_property
    def load_bytes(self) -> np.ndarray:
        """load_bytes[prev + 1, i]: bytes loaded for model i after model prev (row 0: nothing on GPU).

        S = sum of S_j over J_i minus J_prev (eq. (8))."""
        w = self.block_mask * self.block_size
        after = (~self.block_mask).astype(float) @ w.T  # [prev, i]: bytes of J_i not in J_prev
        return np.vstack([self.model_bytes[None, :], after])

    @cached_property
    def load_time(self) -> np.ndarray:
        """V(load_bytes), same indexing as ``load_bytes`` (row prev + 1: model prev on the GPU, row 0:
        nothing); ``load_after`` reads one entry."""
        return self.load.time(self.load_bytes)

    def load_after(self, prev: int, i: int) -> float:
        """t_load of model i after model ``prev`` (-1: nothing loaded), eq. (8): only the blocks of
        J_i not in J_prev are loaded."""
        return float(self.load_time[prev + 1, i])

    # ---- sharing structure -------------------------------------------------------------------
    @cached_property
    def clusters(self) -> tuple[tuple[int, ...], ...]:
        """Connected components of the block-sharing graph (models sharing >= 1 block), by first model."""
        return tuple(sharing_components(self.block_mask))

    @cached_property
    def cluster_of(self) -> np.ndarray:
        out = np.zeros(self.I, dtype=int)
        for c, members in enumerate(self.clusters):
            out[list(members)] = c
        return out

    @cached_property
    def _bls(self) -> tuple[bool, str, tuple[int, ...]]:
        """(is BLS, why not, l_i): per cluster, the shared block sets must form a chain (docs/DESIGN.md).
        Model i's shared set: its blocks that another model of its cluster also has."""
        mask = self.block_mask
        l = [0] * self.I
        for members in self.clusters:
            sub = mask[list(members)]
            shared = sub & (sub.sum(axis=0) >= 2)  # blocks of i that some other member has
            sizes = shared.sum(axis=1)
            order = np.argsort(sizes, kind="stable")
            for a, b in zip(order, order[1:]):
                if (shared[a] & ~shared[b]).any():  # not shared[a] <= shared[b]
                    ma, mb = self.models[members[a]].id, self.models[members[b]].id
                    return False, f"shared blocks of '{ma}' and '{mb}' are not nested", ()
            for pos, i in enumerate(members):
                l[i] = int(sizes[pos])
        return True, "", tuple(l)

    @property
    def is_bls(self) -> bool:
        """Bottom-layer sharing: nested shared block sets inside every cluster (derived, never read)."""
        return self._bls[0]

    @property
    def bls_reason(self) -> str:
        return self._bls[1]

    @property
    def l(self) -> tuple[int, ...]:
        """l_i: the number of shared (bottom) blocks of model i, its position in its cluster's chain."""
        if not self.is_bls:
            raise ValueError(f"instance '{self.name}' is not BLS: {self.bls_reason}")
        return self._bls[2]

    @cached_property
    def cluster_order(self) -> tuple[tuple[int, ...], ...]:
        """BLS: each cluster's models in ascending l_i (ties by id): Corollary 1's loading order."""
        return tuple(
            tuple(sorted(c, key=lambda i: (self.l[i], self.models[i].id))) for c in self.clusters
        )

    # ---- views -------------------------------------------------------------------------------
    def independent_view(self) -> Instance:
        """Remark 4's Independent Loading: every model's blocks made private, so nothing is shared."""
        return self._independent

    @cached_property
    def _independent(self) -> Instance:
        sizes = {b.id: b.size_bytes for b in self.blocks}
        blocks, models = [], []
        for m in self.models:
            own = tuple(f"{m.id}::{b}" for b in m.blocks)
            blocks += [Block(f"{m.id}::{b}", sizes[b]) for b in m.blocks]
            models.append(replace(m, blocks=own))
        meta = dict(self.meta, view="independent")
        return replace(
            self,
            name=f"{self.name}[independent]",
            blocks=tuple(blocks),
            models=tuple(models),
            meta=meta,
        )

    def with_deadline_slots(self, n: int) -> Instance:
        """This instance with a deadline of exactly ``n`` whole slots (T = n, whatever float
        rounding ``n * slot_s`` would do: timebase.whole_slots_deadline)."""
        from dataclasses import replace

        from partialload_opt.partialloading.timebase import whole_slots_deadline

        return replace(self, deadline_s=whole_slots_deadline(self.slot_s, n))

    # ---- display -----------------------------------------------------------------------------
    def __repr__(self) -> str:
        """One line: name, sizes, case and slots (``to_dict()`` has every field)."""
        case = "BLS" if self.is_bls else "general"
        return f"Instance({self.name!r}, K={self.K}, I={self.I}, {case}, T={self.T} slots)"

    def _repr_html_(self) -> str:
        """A notebook's summary: sizes, case, times, capacities, then one row per model."""
        req = list(self.requested_models)
        b_max = self.b_max[req] if req else np.zeros(0, dtype=int)
        summary = display.fields(
            [
                ("users K", self.K),
                ("models I", f"{self.I} ({len(req)} requested)"),
                ("blocks J", f"{self.J} ({display.number(float(self.block_size.sum()) / 1e6)} MB)"),
                ("clusters", len(self.clusters)),
                ("case", "BLS" if self.is_bls else f"general: {self.bls_reason}"),
                ("deadline Tbar", display.seconds(self.deadline_s)),
                ("slot", f"{display.seconds(self.slot_s)} (T = {self.T} slots)"),
                ("bandwidth B", f"{display.number(self.bandwidth_hz / 1e6)} MHz"),
                ("GPU memory Q", f"{display.number(self.gpu_memory_bytes / 1e9)} GB"),
                ("b_max", f"{int(b_max.min())}..{int(b_max.max())}" if req else "-"),
            ]
        )
        l = self.l if self.is_bls else None
        models = display.table(
            ["model", "blocks", "users", "b_max", "cluster" if l is None else "l_i"],
            [
                (
                    m.id,
                    len(m.blocks),
                    len(self.users_of[i]),
                    int(self.b_max[i]),
                    int(self.cluster_of[i]) if l is None else l[i],
                )
                for i, m in enumerate(self.models)
            ],
        )
        return display.card(repr(self), summary, models)

    def to_dict(self) -> dict:
        return {
            "format": FORMAT,
            "name": self.name,
            "deadline_s": self.deadline_s,
            "slot_s": self.slot_s,
            "bandwidth_hz": self.bandwidth_hz,
            "gpu_memory_bytes": self.gpu_memory_bytes,
            "load": {"disk_Bps": self.load.disk_Bps, "pcie_Bps": self.load.pcie_Bps},
            "blocks": [{"id": b.id, "size_bytes": b.size_bytes} for b in self.blocks],
            "models": [
                {
                    "id": m.id,
                    "blocks": list(m.blocks),
                    "mu_s": m.mu_s,
                    "beta_s": m.beta_s,
                    "memory_base_bytes": m.memory_base_bytes,
                    "memory_per_sample_bytes": m.memory_per_sample_bytes,
                }
                for m in self.models
            ],
            "users": [
                {
                    "id": u.id,
                    "model": u.model,
                    "data_bits": u.data_bits,
                    "spectral_efficiency": u.spectral_efficiency,
                }
                for u in self.users
            ],
            "meta": self.meta,
        }


def sharing_components(block_mask: np.ndarray) -> list[tuple[int, ...]]:
    """Connected components of the graph whose nodes are the rows of ``block_mask`` (models) and
    whose edges join rows sharing a block; each component as row indices, by first row."""
    m = block_mask.astype(np.int32)
    share = (m @ m.T) > 0  # share[i, i] is True: every model has a block
    seen = np.zeros(len(m), dtype=bool)
    out = []
    for i in range(len(m)):
        if seen[i]:
            continue
        comp = share[i].copy()
        while True:  # grow by whole neighbourhoods until closed
            grown = share[comp].any(axis=0)
            if (grown == comp).all():
                break
            comp = grown
        seen |= comp
        out.append(tuple(int(x) for x in np.flatnonzero(comp)))
    return out


def _b_max(m: Model, Q: float, cap: int) -> int:
    """Largest b >= 0 with memory_base + memory_per_sample * b <= Q (0: not even one fits)."""
    if m.memory_base_bytes + m.memory_per_sample_bytes > Q:
        return 0
    if m.memory_per_sample_bytes == 0:
        return cap
    b = min(cap, int((Q - m.memory_base_bytes) // m.memory_per_sample_bytes))
    while b < cap and m.memory_base_bytes + m.memory_per_sample_bytes * (b + 1) <= Q:
        b += 1
    while b > 1 and m.memory_base_bytes + m.memory_per_sample_bytes * b > Q:
        b -= 1
    return max(b, 1)


def _check_semantics(inst: Instance, src: str) -> None:
    """The rules a schema cannot say: ids unique and known, a batch of one fits, ... (docs/DESIGN.md section 4)."""
    for name, value in [
        ("deadline_s", inst.deadline_s),
        ("slot_s", inst.slot_s),
        ("bandwidth_hz", inst.bandwidth_hz),
        ("gpu_memory_bytes", inst.gpu_memory_bytes),
        ("load.disk_Bps", inst.load.disk_Bps),
        ("load.pcie_Bps", inst.load.pcie_Bps),
    ]:
        if not (math.isfinite(value) and value > 0):
            raise InputError(src, name, f"must be a finite number > 0 (got {value!r})")
    if not inst.blocks:
        raise InputError(src, "blocks", "must have at least 1 item(s)")
    if not inst.models:
        raise InputError(src, "models", "must have at least 1 item(s)")
    _unique(inst.blocks, "blocks", src)
    _unique(inst.models, "models", src)
    _unique(inst.users, "users", src)
    for j, b in enumerate(inst.blocks):
        if not (math.isfinite(b.size_bytes) and b.size_bytes >= 0):
            raise InputError(
                src,
                f"blocks[{j}].size_bytes",
                f"must be a finite number >= 0 (got {b.size_bytes!r})",
            )
    block_ids = {b.id for b in inst.blocks}
    used: set[str] = set()
    for i, m in enumerate(inst.models):
        if not m.blocks:
            raise InputError(src, f"models[{i}].blocks", "must have at least 1 item(s)")
        seen: set[str] = set()
        for t, bid in enumerate(m.blocks):
            if bid not in block_ids:
                raise InputError(src, f"models[{i}].blocks[{t}]", f"'{bid}' is not a block id")
            if bid in seen:
                raise InputError(src, f"models[{i}].blocks[{t}]", f"'{bid}' is listed twice")
            seen.add(bid)
        used |= seen
        for f in ("mu_s", "beta_s", "memory_base_bytes", "memory_per_sample_bytes"):
            v = getattr(m, f)
            if not (math.isfinite(v) and v >= 0):
                raise InputError(
                    src, f"models[{i}].{f}", f"must be a finite number >= 0 (got {v!r})"
                )
    model_ids = {m.id: i for i, m in enumerate(inst.models)}
    for k, u in enumerate(inst.users):
        if u.model not in model_ids:
            raise InputError(src, f"users[{k}].model", f"'{u.model}' is not a model id")
        if not (math.isfinite(u.data_bits) and u.data_bits >= 0):
            raise InputError(
                src, f"users[{k}].data_bits", f"must be a finite number >= 0 (got {u.data_bits!r})"
            )
        if not (math.isfinite(u.spectral_efficiency) and u.spectral_efficiency > 0):
            raise InputError(
                src,
                f"users[{k}].spectral_efficiency",
                f"must be a finite number > 0 (got {u.spectral_efficiency!r})",
            )
        m = inst.models[model_ids[u.model]]
        if m.memory_base_bytes + m.memory_per_sample_bytes > inst.gpu_memory_bytes:
            raise InputError(
                src,
                f"users[{k}].model",
                f"model '{m.id}' does not fit in GPU memory even with a batch of one "
                f"({m.memory_base_bytes + m.memory_per_sample_bytes:g} > {inst.gpu_memory_bytes:g} bytes)",
            )
    unused = [b.id for b in inst.blocks if b.id not in used]
    if unused:
        warnings.warn(
            f"{src}: blocks {unused[:3]}{'...' if len(unused) > 3 else ''} are used by no model",
            InstanceWarning,
            stacklevel=3,
        )


def _unique(items, what: str, src: str) -> None:
    seen: dict[str, int] = {}
    for n, item in enumerate(items):
        if item.id in seen:
            raise InputError(
                src, f"{what}[{n}].id", f"'{item.id}' duplicates {what}[{seen[item.id]}].id"
            )
        seen[item.id] = n


def instance_from_dict(doc, source: str = "<instance>") -> Instance:
    """Validate a partialload-instance/1 document (schema, then semantics) and build the Instance."""
    validate_document(doc, FORMAT, source)

    def num(path: str, value) -> float:
        return finite(value, source, path)

    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", InstanceWarning)
            inst = _build(doc, num)
        for w in caught:  # re-issue naming the file instead of the instance
            text = str(w.message).split(": ", 1)[-1]
            warnings.warn(f"{source}: {text}", InstanceWarning, stacklevel=2)
        for text in reading_warnings(inst):
            warnings.warn(f"{source}: {text}", InstanceWarning, stacklevel=2)
        return inst
    except InputError as e:
        if e.source == source:
            raise
        raise InputError(source, e.field, e.rule) from None


def _build(doc: dict, num) -> Instance:
    return Instance(
        name=doc["name"],
        deadline_s=num("deadline_s", doc["deadline_s"]),
        slot_s=num("slot_s", doc["slot_s"]),
        bandwidth_hz=num("bandwidth_hz", doc["bandwidth_hz"]),
        gpu_memory_bytes=num("gpu_memory_bytes", doc["gpu_memory_bytes"]),
        load=LoadRates(
            num("load.disk_Bps", doc["load"]["disk_Bps"]),
            num("load.pcie_Bps", doc["load"]["pcie_Bps"]),
        ),
        blocks=tuple(
            Block(b["id"], num(f"blocks[{j}].size_bytes", b["size_bytes"]))
            for j, b in enumerate(doc["blocks"])
        ),
        models=tuple(
            Model(
                m["id"],
                tuple(m["blocks"]),
                *(
                    num(f"models[{i}].{f}", m[f])
                    for f in ("mu_s", "beta_s", "memory_base_bytes", "memory_per_sample_bytes")
                ),
            )
            for i, m in enumerate(doc["models"])
        ),
        users=tuple(
            User(
                u["id"],
                u["model"],
                num(f"users[{k}].data_bits", u["data_bits"]),
                num(f"users[{k}].spectral_efficiency", u["spectral_efficiency"]),
            )
            for k, u in enumerate(doc["users"])
        ),
        meta=dict(doc.get("meta", {})),
    )


def load_instance(path: str | Path) -> Instance:
    """Read and validate an instance file; any problem raises InputError naming file, field, rule.
    What the decimal reading of its numbers decides that the writer may not have meant (a slot lost
    to a product written a hair short, nobody servable) is an InstanceWarning naming the file."""
    return instance_from_dict(read_json(path), str(path))


def reading_warnings(inst: Instance) -> list[str]:
    """Counts the evaluator floors from the instance's own numbers (T = floor(Tbar / slot), each
    requested model's b_max) that lie within 1e-9 (relative) below a whole number -- the number its
    writer probably meant, with the decimal that gives it -- and the case where no user can be served
    at all."""
    from partialload_opt.partialloading.timebase import near_below, rational, whole_slots_deadline

    out = []
    ex = inst.exact
    n = near_below(ex.deadline / ex.slot)
    if n is not None:
        short = float(ex.slot * n - ex.deadline)
        out.append(
            f"deadline_s / slot_s reads as T = {n - 1} slots, {short:.3g} s short of {n} "
            f"(the decimals are exact: docs/DESIGN.md); if {n} slots were meant, write deadline_s = "
            f"{whole_slots_deadline(inst.slot_s, n)!r}"
        )
    Q = rational(inst.gpu_memory_bytes)
    for i in inst.requested_models:
        m = inst.models[i]
        per = rational(m.memory_per_sample_bytes)
        if per > 0:
            n = near_below((Q - rational(m.memory_base_bytes)) / per)
            if n is not None:
                out.append(
                    f"models[{i}] ({m.id}): (gpu_memory_bytes - memory_base_bytes) / "
                    f"memory_per_sample_bytes reads as b_max = {n - 1}, a hair short of {n}"
                )
    if inst.K and not _anyone_on_time(inst):
        out.append("no user can be served at all: the quickest user alone misses the deadline")
    elif inst.K and inst.T == 0:
        out.append("no user can be served in slotted time: deadline_s < slot_s (T = 0 slots)")
    return out


def _anyone_on_time(inst: Instance) -> bool:
    """Some user, alone on an empty GPU, ends by Tbar (floats decide; exact near the deadline)."""
    from partialload_opt.partialloading.timebase import FILTER

    req = list(inst.requested_models)
    if not req:
        return False
    first = min(
        float(inst.p[int(inst.users_of[i][0])]) / inst.bandwidth_hz
        + inst.load_after(-1, i)
        + inst.models[i].mu_s
        + inst.models[i].beta_s
        for i in req
    )
    if abs(first - inst.deadline_s) > FILTER * max(first, inst.deadline_s):
        return first < inst.deadline_s
    return bool(instance_summary(inst)["any_user_servable"])


def save_instance(instance: Instance, path: str | Path) -> None:
    atomic_write_json(path, instance.to_dict())


def instance_summary(inst: Instance) -> dict:
    """The facts `partialload check` prints about an instance: sizes, clusters, BLS and its reason,
    the b_max range of requested models, slots, and whether any user can be served at all."""

    req = list(inst.requested_models)
    ex = inst.exact
    first = [  # the quickest single user of each model, alone on an empty GPU
        ex.upload[int(k)] + ex.load_after(-1, i) + ex.compute(i, 1)
        for i in req
        for k in inst.users_of[i][:1]
    ]
    return {
        "name": inst.name,
        "K": inst.K,
        "I": inst.I,
        "blocks": inst.J,
        "total_bytes": float(inst.block_size.sum()),
        "clusters": len(inst.clusters),
        "bls": inst.is_bls,
        "bls_reason": inst.bls_reason,
        "l": list(inst.l) if inst.is_bls else None,
        "b_max": [int(np.min(inst.b_max[req])), int(np.max(inst.b_max[req]))] if req else None,
        "deadline_s": inst.deadline_s,
        "slots": inst.T,
        "any_user_servable": bool(first) and min(first) <= ex.deadline,
    }
