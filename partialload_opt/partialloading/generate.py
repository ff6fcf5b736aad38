"""The paper's simulation setup (Section VII) as a deterministic, seeded instance generator.

Channels: users uniform in a disk, path loss d^-alpha, Rayleigh fading, R_k = log2(1 + SNR_k).
Model library: ResNet-18/34/50 computed from the real architectures (per-layer parameter counts),
fine-tuned models sharing the first l_i layers (BLS) or layers at arbitrary positions (general)."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields, replace
from importlib import resources
from pathlib import Path

import numpy as np

from partialload_opt.errors import InputError
from partialload_opt.fileio import read_json
from partialload_opt.networks import RESNET_STAGES, resnet
from partialload_opt.partialloading.instance import Block, Instance, LoadRates, Model, User

# ---- ResNet architectures: the shared catalogue (networks.py) ---------------------------------
ARCH_SHORT = {"resnet18": "r18", "resnet34": "r34", "resnet50": "r50"}


def resnet_layers(arch: str, num_classes: int = 1000) -> list[tuple[str, int]]:
    """(layer name, parameter count) in forward order: a conv with its batch norm (running statistics
    are buffers, not parameters), a downsample conv with its batch norm, or the final fully connected
    layer. Sums to the published totals, e.g. ResNet-18 with 1000 classes: 11,689,512."""
    return [(layer.name, layer.params) for layer in resnet(arch, num_classes)]


# ---- generator settings ------------------------------------------------------------------------
@dataclass(frozen=True)
class GeneratorConfig:
    """Every constant of the generator; defaults are the paper's Section VII (override any of them)."""

    case: str = "bls"  # "bls" | "general"
    users: int = 80  # K
    models: int | None = None  # I; None: 50 (BLS) or 25 (general), as in the paper
    bandwidth_mhz: float = 200.0  # B
    deadline_ms: float = 700.0  # Tbar
    slot_ms: float = 10.0  # Delta tau
    theta: float = 0.85  # average share ratio of layers with the pre-trained model
    theta_spread: float = 0.05  # per-model share ratios uniform in theta +- spread (clipped)
    seed: int = 0
    library_seed: int | None = None  # None: the library is drawn from `seed` too; an int fixes the
    # model library (l_i, shared positions, user requests excluded) across channel realizations
    radius_m: float = 250.0  # coverage radius
    min_distance_m: float = 1.0  # users closer than this are placed at it (d^-4 blows up at 0)
    path_loss_exponent: float = 4.0  # alpha
    tx_psd_w_per_hz: float = 5e-9  # P_k
    noise_dbm_per_hz: float = -174.0  # N_0
    image_side: int = 128  # data: image_side x image_side x channels, bits_per_value each
    image_channels: int = 3
    bits_per_value: int = 8
    num_classes: int = 10  # fine-tuned on CIFAR10
    architectures: tuple[str, ...] = ("resnet18", "resnet34", "resnet50")
    profile: str | None = None  # hardware profile file; None: the shipped default

    @property
    def n_models(self) -> int:
        return self.models if self.models is not None else (50 if self.case == "bls" else 25)

    @property
    def data_bits(self) -> int:
        return self.image_side * self.image_side * self.image_channels * self.bits_per_value

    def check(self) -> None:
        """Reject settings the generator cannot honour (InputError names the option)."""
        src = "generator"
        if self.case not in ("bls", "general"):
            raise InputError(src, "case", f"must be 'bls' or 'general' (got {self.case!r})")
        positive = (
            "bandwidth_mhz",
            "deadline_ms",
            "slot_ms",
            "radius_m",
            "min_distance_m",
            "tx_psd_w_per_hz",
            "path_loss_exponent",
        )
        for f in positive:
            v = getattr(self, f)
            if not (math.isfinite(v) and v > 0):
                raise InputError(src, f, f"must be a finite number > 0 (got {v!r})")
        if self.users < 0:
            raise InputError(src, "users", f"must be >= 0 (got {self.users})")
        if self.n_models < 1:
            raise InputError(src, "models", f"must be >= 1 (got {self.n_models})")
        if not (0.0 <= self.theta <= 1.0):
            raise InputError(src, "theta", f"must be in [0, 1] (got {self.theta})")
        if not (0.0 <= self.theta_spread <= 0.5):
            raise InputError(src, "theta_spread", f"must be in [0, 0.5] (got {self.theta_spread})")
        for a in self.architectures:
            if a not in RESNET_STAGES:
                raise InputError(
                    src, "architectures", f"'{a}' is not one of {sorted(RESNET_STAGES)}"
                )


DEFAULT_PROFILE = "rtx4090-pagecache-pcie4.json"


def shipped_profiles() -> list[str]:
    """Names of the hardware profiles shipped in the package (partialload_opt/profiles/)."""
    return sorted(
        p.name[:-5]
        for p in resources.files("partialload_opt.profiles").iterdir()
        if p.name.endswith(".json")
        and not p.name.startswith("qpart-")  # QPART's constants are not hardware profiles
    )


def load_profile(path: str | Path | None = None) -> dict:
    """A hardware profile: load rates, GPU memory, compute model. ``path`` is a JSON file or the name
    of a shipped profile (``shipped_profiles()``); None is the default profile."""
    name = DEFAULT_PROFILE[:-5] if path is None else str(path)
    if path is None or (name in shipped_profiles() and not Path(name).exists()):
        return json.loads(
            resources.files("partialload_opt.profiles").joinpath(f"{name}.json").read_text("utf-8")
        )
    doc = read_json(path)
    for key in ("gpu_memory_bytes", "disk_Bps", "pcie_Bps", "bytes_per_parameter", "architectures"):
        if not isinstance(doc, dict) or key not in doc:
            raise InputError(str(path), key, "is missing (required profile field)")
    return doc


def rates(cfg: GeneratorConfig, distance_m: np.ndarray, fading: np.ndarray) -> np.ndarray:
    """R_k = log2(1 + P_k |h_k|^2 d_k^-alpha / N_0) (paper Section III-D)."""
    n0 = 10 ** (cfg.noise_dbm_per_hz / 10) / 1000.0  # dBm/Hz -> W/Hz
    snr = cfg.tx_psd_w_per_hz * fading * distance_m ** (-cfg.path_loss_exponent) / n0
    return np.log2(1.0 + snr)


def _split(n: int, parts: int) -> list[int]:
    """n models over `parts` architectures as evenly as possible (50 -> 17, 17, 16)."""
    return [n // parts + (1 if a < n % parts else 0) for a in range(parts)]


def generate(cfg: GeneratorConfig) -> Instance:
    """One instance of the paper's setup, deterministic in ``cfg`` (seeded numpy Generator). In the
    general case a library whose shared blocks came out nested (BLS) is drawn again, where some
    architecture has three fine-tuned models or more (two models' shared sets are always equal, so
    with at most two per architecture, as in Fig. 9's I = 5, general sharing is nested by
    construction); ``meta['sharing']`` records the class the instance has (bls, nested, general)."""
    general = cfg.case == "general" and max(_split(cfg.n_models, len(cfg.architectures))) >= 3
    return _not_bls(lambda attempt: _generate(cfg, attempt), general)


def _not_bls(draw: Callable[[int], Instance], general: bool) -> Instance:
    """``draw(0)``, or where ``general`` the first of ``draw(1)``, ``draw(2)``, ... that is not BLS
    (GENERAL_TRIES at most); with ``meta['sharing']``, the class the instance has."""
    inst = draw(0)
    if general:
        for attempt in range(1, GENERAL_TRIES):
            if not inst.is_bls:
                break
            inst = draw(attempt)
    return replace(inst, meta={**inst.meta, "sharing": sharing_class(inst)})


def _generate(cfg: GeneratorConfig, attempt: int) -> Instance:
    cfg.check()
    prof = load_profile(cfg.profile)
    rng = np.random.default_rng(cfg.seed)
    lib_rng = rng if cfg.library_seed is None else np.random.default_rng([cfg.library_seed, 7])
    if attempt:  # a general draw that came out nested: the library again, from its own stream
        lib_rng = np.random.default_rng(
            [cfg.seed if cfg.library_seed is None else cfg.library_seed, 7, attempt]
        )
    blocks, models = _library(cfg, prof, lib_rng)
    K = cfg.users
    dist = np.maximum(cfg.radius_m * np.sqrt(rng.uniform(0, 1, K)), cfg.min_distance_m)
    fading = rng.exponential(1.0, K)  # |h|^2 of Rayleigh fading, one draw per realization
    R = rates(cfg, dist, fading)
    choice = rng.integers(0, len(models), K)
    users = tuple(
        User(f"u{k:03d}", models[choice[k]].id, float(cfg.data_bits), float(R[k])) for k in range(K)
    )
    name = (
        f"paper-{cfg.case}-k{K}-i{len(models)}-b{cfg.bandwidth_mhz:g}-t{cfg.deadline_ms:g}"
        f"-th{round(cfg.theta * 100)}-seed{cfg.seed}"
    )
    meta = {
        "generator": "partialload_opt.partialloading.generate",
        "seed": cfg.seed,
        "case": cfg.case,
        "theta": cfg.theta,
        "profile": prof.get("name", str(cfg.profile)),
        "config": {f.name: getattr(cfg, f.name) for f in fields(cfg)},
    }
    meta["config"]["architectures"] = list(cfg.architectures)
    return Instance(
        name=name,
        deadline_s=cfg.deadline_ms / 1000.0,
        slot_s=cfg.slot_ms / 1000.0,
        bandwidth_hz=cfg.bandwidth_mhz * 1e6,
        gpu_memory_bytes=float(prof["gpu_memory_bytes"]),
        load=LoadRates(float(prof["disk_Bps"]), float(prof["pcie_Bps"])),
        blocks=tuple(blocks),
        models=tuple(models),
        users=users,
        meta=meta,
    )


def _library(cfg: GeneratorConfig, prof: dict, lib_rng: np.random.Generator):
    """The blocks and fine-tuned models: per architecture, each model shares ~theta of its layers
    with the pre-trained one (the first l_i in BLS, any in general) and owns the rest."""
    bpp = prof["bytes_per_parameter"]
    blocks: list[Block] = []
    models: list[Model] = []
    counts = _split(cfg.n_models, len(cfg.architectures))
    model_no = 0
    for arch, n_arch in zip(cfg.architectures, counts):
        if n_arch == 0:
            continue
        short = ARCH_SHORT[arch]
        layers = resnet_layers(arch, cfg.num_classes)
        L = len(layers)
        hw = prof["architectures"][arch]
        weights = sum(c for _, c in layers) * bpp
        pre_ids = [f"{short}/{name}" for name, _ in layers]
        pre_used = set()
        for _ in range(n_arch):
            lo = max(0.0, cfg.theta - cfg.theta_spread)
            hi = min(1.0, cfg.theta + cfg.theta_spread)
            ratio = lib_rng.uniform(lo, hi)
            n_shared = int(
                min(L - 1, max(0, round(ratio * L)))
            )  # a fine-tuned model changes >= 1 layer
            if cfg.case == "bls":
                shared = set(range(n_shared))  # the first l_i layers (Definition 2)
            else:
                shared = set(lib_rng.choice(L, size=n_shared, replace=False).tolist())
            mid = f"{short}-ft{model_no:02d}"
            ids = []
            for pos, (name, count) in enumerate(layers):
                if pos in shared:
                    ids.append(pre_ids[pos])
                    pre_used.add(pos)
                else:
                    ids.append(f"{mid}/{name}")
                    blocks.append(Block(f"{mid}/{name}", float(count * bpp)))
            models.append(
                Model(
                    mid,
                    tuple(ids),
                    hw["mu_s"],
                    hw["beta_s"],
                    float(weights + prof.get("workspace_bytes", 0)),
                    float(hw["activation_bytes_per_sample"]),
                )
            )
            model_no += 1
        blocks += [Block(pre_ids[pos], float(layers[pos][1] * bpp)) for pos in sorted(pre_used)]

    return blocks, models


def realized_theta(inst: Instance) -> float:
    """Mean over models of the share of layers taken from the pre-trained model (block id 'rNN/...')."""
    ratios = [
        sum(1 for b in m.blocks if b.split("/")[0] in ARCH_SHORT.values()) / len(m.blocks)
        for m in inst.models
    ]
    return float(np.mean(ratios))


def with_overrides(cfg: GeneratorConfig, **kw) -> GeneratorConfig:
    return replace(cfg, **{k: v for k, v in kw.items() if v is not None})


def with_settings(cfg, items: list[str], source: str = "--set"):
    """``cfg`` (a generator config dataclass) with ``NAME=VALUE`` settings, each VALUE parsed as its
    field's type: int, float, str, a comma-separated tuple, or ``none`` for an optional field."""
    hints = {f.name: str(f.type) for f in fields(cfg)}
    kw: dict = {}
    for item in items:
        key, eq, value = item.partition("=")
        if not eq:
            raise InputError(source, item, "must be NAME=VALUE")
        if key not in hints:
            raise InputError(
                source, key, f"is not a generator setting ({', '.join(sorted(hints))})"
            )
        kind = hints[key]
        optional = "None" in kind
        base = kind.replace("| None", "").replace("None |", "").strip()
        if optional and value.strip().lower() == "none":
            kw[key] = None
            continue
        try:
            if base.startswith("tuple"):
                kw[key] = tuple(v.strip() for v in value.split(",") if v.strip())
            elif base == "int":
                kw[key] = int(value)
            elif base == "float":
                kw[key] = float(value)
            elif base == "bool":
                kw[key] = {"true": True, "false": False}[value.strip().lower()]
            else:
                kw[key] = value
        except (ValueError, KeyError):
            raise InputError(source, key, f"cannot parse {value!r} as {kind}") from None
    return replace(cfg, **kw)


# ---- small instances for cross-checking solvers (not the paper's setup) -------------------------
@dataclass(frozen=True)
class SmallConfig:
    """Tiny abstract instances: integer-ish numbers so that ties in p_k and l_i occur, b_max of 1,
    zero mu/beta and deadlines from very tight to loose. Units: ms-scale times, B = 1 MHz."""

    case: str = "bls"  # "bls" | "general"
    users: int = 8
    models: int = 3
    layers: int = 4  # blocks per model
    clusters: int = 2  # BLS only
    deadline_factor: float = 0.5  # deadline = factor * time to serve everyone one model at a time
    slot_ms: float = 1.0
    bmax_one: bool = False  # every model fits only one sample
    zero_compute: bool = False  # mu = beta = 0
    align_deadline: bool = True  # deadline on a slot boundary
    seed: int = 0


GENERAL_TRIES = 50
"""Draws of a general-case library (shared block sets) before a generator gives up on sharing that is
not nested (then it records the sharing it got: ``meta['sharing']``)."""


def small_instance(cfg: SmallConfig) -> Instance:
    """A small random instance, deterministic in ``cfg``. In the general case the models' shared
    block sets are drawn again until they are not nested (not BLS; at least three models are needed:
    two models' shared sets are always equal); ``meta['sharing']`` records the class it has."""
    return _not_bls(
        lambda attempt: _small_instance(cfg, attempt), cfg.case == "general" and cfg.models >= 3
    )


def _small_instance(cfg: SmallConfig, attempt: int) -> Instance:
    rng = np.random.default_rng([cfg.seed, attempt] if attempt else cfg.seed)
    layer_sizes = [1000.0, 2000.0, 3000.0, 5000.0]
    blocks: dict[str, float] = {}
    models: list[Model] = []
    n_cl = max(1, min(cfg.clusters, cfg.models)) if cfg.case == "bls" else 1
    base = {}
    for c in range(n_cl):
        base[c] = [float(rng.choice(layer_sizes)) for _ in range(cfg.layers)]
    for i in range(cfg.models):
        c = i % n_cl
        mid = f"m{i}"
        if cfg.case == "bls":
            l_i = int(rng.integers(0, cfg.layers))  # shared bottom layers, ties likely
            shared = set(range(l_i))
        else:
            shared = {pos for pos in range(cfg.layers) if rng.random() < 0.5}
        ids = []
        for pos in range(cfg.layers):
            if pos in shared:
                bid = f"c{c}/L{pos}"
                blocks[bid] = base[c][pos]
            else:
                bid = f"{mid}/L{pos}"
                blocks[bid] = float(rng.choice(layer_sizes))
            ids.append(bid)
        mu, beta = (
            (0.0, 0.0)
            if cfg.zero_compute
            else (float(rng.choice([0.0005, 0.001])), float(rng.choice([0.0, 0.001, 0.002])))
        )
        per = 400.0 if cfg.bmax_one else float(rng.choice([100.0, 200.0, 300.0]))
        models.append(Model(mid, tuple(ids), mu, beta, 500.0, per))  # Q = 1000: b_max = 1..5
    users = []
    for k in range(cfg.users):
        i = int(rng.integers(0, cfg.models))
        users.append(
            User(
                f"u{k:02d}",
                f"m{i}",
                float(rng.choice([2000, 4000, 6000])),
                float(rng.choice([1.0, 2.0])),
            )
        )
    load = LoadRates(1e6, 1e9)
    B = 1e6
    # time to serve everyone, one batch per user, each model loaded once from scratch
    total = sum(u.data_bits / u.spectral_efficiency / B for u in users)
    total += sum(load.time(sum(blocks[b] for b in m.blocks)) + m.beta_s for m in models)
    total += sum(m.mu_s for m in models) * cfg.users / max(cfg.models, 1)
    slot = cfg.slot_ms / 1000.0
    deadline = max(slot, cfg.deadline_factor * total)
    if cfg.align_deadline:
        deadline = max(1, round(deadline / slot)) * slot
    used = {b for m in models for b in m.blocks}
    name = (
        f"small-{cfg.case}-k{cfg.users}-i{cfg.models}-f{cfg.deadline_factor:g}"
        f"{'-b1' if cfg.bmax_one else ''}{'-z' if cfg.zero_compute else ''}-seed{cfg.seed}"
    )
    return Instance(
        name=name,
        deadline_s=deadline,
        slot_s=slot,
        bandwidth_hz=B,
        gpu_memory_bytes=1000.0,
        load=load,
        blocks=tuple(Block(b, s) for b, s in sorted(blocks.items()) if b in used),
        models=tuple(models),
        users=tuple(users),
        meta={
            "generator": "partialload_opt.partialloading.generate.small_instance",
            "seed": cfg.seed,
            "case": cfg.case,
            "config": {f.name: getattr(cfg, f.name) for f in fields(cfg)},
        },
    )


# ---- targeted instances: where Theorem 2's form may lose in slotted time ------------------------
def slot_edge_instance(
    seed: int,
    case: str = "bls",
    models: int | None = None,
    users: int | None = None,
    planted: bool = True,
    pattern: str = "random",
) -> Instance:
    """A tiny instance built to make a model revisit pay off in slotted time, if anything can.

    One cluster of 3-4 models (BLS: nested shared bottom layers, some models with no block of their
    own; general: random shared subsets), slot 1 ms, mostly zero compute, b_max 1-2. ``planted``:
    a random visiting sequence that revisits a model is drawn, and each of its segments gets one user
    whose upload makes the segment end a hair (1-10 us) below a slot boundary; Tbar is the sequence's
    slot count, and 0-2 decoy users are added. Otherwise users and Tbar are random on a 0.1 ms grid
    nudged by 1 us. ``pattern='peak'`` (BLS): every model has its own level l_i and the planted
    sequence is X, H, Y, H, Z with H the highest level -- the pattern in which both ways of merging
    H's two visits can each cost a slot (formulations/theorem2-form.md). Used by
    scripts/search_theorem2_slotted.py and the property tests."""
    rng = np.random.default_rng(seed)
    n_models = int(models if models is not None else rng.integers(3, 5))
    slot = 1e-3

    def size(lo: int, hi: int, grid: float = 100.0) -> float:
        return grid * float(rng.integers(lo, hi + 1)) + float(rng.choice((-1.0, 0.0, 0.0, 1.0)))

    peak = pattern == "peak" and case == "bls"
    if peak:
        n_models = max(n_models, 4)
    W = n_models if peak else int(rng.integers(1, 4))  # shared layers of the cluster
    blocks = {f"w{t}": size(1, 30) for t in range(W)}
    sets = []
    mdl = []
    for i in range(n_models):
        if peak:
            mine = [f"w{t}" for t in range(i + 1)]  # level i + 1: the last model is the peak H
        elif case == "bls":
            mine = [f"w{t}" for t in range(int(rng.integers(1, W + 1)))]
        else:
            mine = [f"w{t}" for t in range(W) if rng.random() < 0.6] or ["w0"]
        if rng.random() < 0.7:  # else: every block of the model is shared
            blocks[f"u{i}"] = size(1, 12)
            mine.append(f"u{i}")
        sets.append(set(mine))
        zero = planted or rng.random() < 0.7
        mu = 0.0 if zero else 1e-4 * float(rng.integers(1, 4))
        beta = 0.0 if zero else 1e-4 * float(rng.integers(0, 4))
        per = float(rng.choice([300.0, 600.0]))  # Q = 1000, base 400: b_max 2 or 1
        mdl.append(Model(f"m{i}", tuple(mine), mu, beta, 400.0, per))
    us, deadline = _edge_users(rng, size, sets, blocks, slot, planted, peak, n_models, users)
    used = {b for m in mdl for b in m.blocks}
    return Instance(
        name=f"slot-edge-{case}{'-planted' if planted else ''}-seed{seed}",
        deadline_s=deadline,
        slot_s=slot,
        bandwidth_hz=1e6,
        gpu_memory_bytes=1000.0,
        load=LoadRates(2e6, 2e6),
        blocks=tuple(Block(b, s) for b, s in sorted(blocks.items()) if b in used),
        models=tuple(mdl),
        users=tuple(us),
        meta={
            "generator": "partialload_opt.partialloading.generate.slot_edge_instance",
            "seed": seed,
            "case": case,
            "planted": planted,
        },
    )


def _edge_users(rng, size, sets, blocks, slot, planted: bool, peak: bool, n_models: int, users):
    """slot_edge_instance's users and deadline: planted along a visiting sequence (each segment a
    hair below a slot boundary, the deadline its slot count, 0-2 decoys) or random."""
    rate = 1e6  # bytes/s: disk and PCIe at 2 MB/s each

    def load(prev: int, i: int) -> float:
        new = sets[i] - (sets[prev] if prev >= 0 else set())
        return sum(blocks[b] for b in new) / rate

    us: list[User] = []
    if planted:
        n_seg = int(users if users is not None else rng.integers(4, 6))
        seq: list[int] = []
        if peak:  # X, Y, Z below H by level; ascending X < Y < Z mostly
            low = [int(v) for v in rng.permutation(n_models - 1)[:3]]
            x_, y_, z_ = sorted(low) if rng.random() < 0.7 else low
            seq = [x_, n_models - 1, y_, n_models - 1, z_]
        while len(seq) < n_seg:
            i = int(rng.integers(0, n_models))
            if not seq or i != seq[-1]:
                seq.append(i)
        slots, prev = 0, -1
        for k, i in enumerate(seq):
            L = load(prev, i)
            c = int(np.ceil(L / slot + 0.05)) + int(rng.integers(0, 2))
            p = c * slot - L - float(rng.choice([1e-6, 2e-6, 1e-5]))
            us.append(User(f"k{k}", f"m{i}", round(p * 1e6, 6), 1.0))
            slots, prev = slots + c, i
        for k in range(int(rng.integers(0, 3))):
            us.append(User(f"d{k}", f"m{int(rng.integers(0, n_models))}", size(1, 9, 10.0), 1.0))
        deadline = slots * slot
    else:
        for k in range(int(users if users is not None else rng.integers(4, 7))):
            us.append(User(f"k{k}", f"m{int(rng.integers(0, n_models))}", size(1, 9), 1.0))
        deadline = int(rng.integers(3, 9)) * slot + float(rng.choice([0.0, 0.0, 0.4e-3, 0.9e-3]))
    return us, deadline


def generated(
    n: int,
    case: str = "both",
    users: tuple[int, int] = (3, 7),
    models: tuple[int, int] = (2, 4),
    seed: int = 0,
) -> Iterator[Instance]:
    """n small instances (``small_instance``) with varied settings, deterministic in seed; case
    bls|general|both (alternating, so both are balanced); general instances are not BLS (at least
    three models, shared sets drawn again until they are not nested). The verification layer's
    generated instances."""
    rng = np.random.default_rng(seed)
    for t in range(n):
        c = case if case != "both" else ("bls", "general")[t % 2]
        n_models = int(rng.integers(models[0], models[1] + 1))
        cfg = SmallConfig(
            case=c,
            users=int(rng.integers(users[0], users[1] + 1)),
            models=max(n_models, 3) if c == "general" else n_models,  # 2 models always nest
            layers=int(rng.integers(2, 5)),
            clusters=int(rng.integers(1, 3)),
            deadline_factor=float(rng.choice([0.15, 0.25, 0.4, 0.6, 0.9])),
            slot_ms=float(rng.choice([0.5, 1.0, 2.0])),
            bmax_one=bool(rng.random() < 0.2),
            zero_compute=bool(rng.random() < 0.15),
            align_deadline=bool(rng.random() < 0.7),
            seed=seed * 1_000_003 + t,
        )
        yield small_instance(cfg)


# ---- near-boundary instances: where exact slot counting and any rounding of time disagree -------
NEAR_BOUNDARY_CASES = ("bls", "nested", "general")


def near_boundary_instance(
    seed: int, case: str = "bls", users: tuple[int, int] = (4, 7)
) -> Instance:
    """A tiny instance whose slot puts one Theorem-2 segment (a model after a predecessor, serving its
    first k users) within 1e-12..1e-6 slot of a slot boundary (either side), or exactly on it; slots
    from 1 us to 1,000 s; some blocks of zero size; ties in the data. Deterministic in ``seed``.

    ``case``: 'bls' (nested shared prefixes per cluster), 'nested' (not BLS: an unrequested model
    breaks the chain, but the requested models' shared blocks are nested, so Theorem 2's form is still
    proved in slotted time) or 'general' (the requested models' shared blocks not nested: drawn again
    until they are not). The seeded twin of the hypothesis strategy ``testing.near_boundary``, for
    campaigns of many thousands (benchmarks/false_proofs.py)."""
    from partialload_opt.partialloading.segments import theorem2_form_unproved

    if case not in NEAR_BOUNDARY_CASES:
        raise ValueError(f"case must be one of {NEAR_BOUNDARY_CASES}, not {case!r}")
    rng = np.random.default_rng(seed)
    for _ in range(100):
        inst = _tiny_shared(rng, case, users)
        if case == "bls" or (case == "nested") == (theorem2_form_unproved(inst, "slotted") is None):
            break
    return _near_a_boundary(inst, rng, seed, case)


def _tiny_shared(rng: np.random.Generator, case: str, users: tuple[int, int]) -> Instance:
    """2-4 requested models sharing blocks as ``case`` says, a few users, ties or wide ranges."""
    ties = bool(rng.random() < 0.5)

    def draw(grid: list[float], lo: float, hi: float) -> float:
        return float(rng.choice(grid)) if ties else float(rng.uniform(lo, hi))

    n_models = int(rng.integers(2, 5))
    n_layers = int(rng.integers(1, 4))
    n_clusters = int(rng.integers(1, n_models + 1)) if case == "bls" else 1
    zero_blocks = bool(rng.random() < 0.3)

    def size() -> float:
        if zero_blocks and rng.random() < 0.4:
            return 0.0
        return draw([1000.0, 2000.0, 5000.0], 0.0, 6000.0)

    trunk = [[size() for _ in range(n_layers)] for _ in range(n_clusters)]
    blocks: dict[str, float] = {}
    sets: list[list[str]] = []
    for i in range(n_models):
        c = i % n_clusters
        if case == "general":
            shared = [t for t in range(n_layers) if rng.random() < 0.5]
        else:  # a prefix of the trunk; in 'nested', models 0 and 1 share at least its first block
            low = 1 if case == "nested" and i < 2 else 0
            shared = list(range(int(rng.integers(low, n_layers + 1))))
        ids = [f"c{c}w{t}" for t in shared]
        for t in shared:
            blocks[f"c{c}w{t}"] = trunk[c][t]
        if rng.random() < 0.8 or not ids:
            blocks[f"u{i}"] = size()
            ids.append(f"u{i}")
        sets.append(ids)
    if case == "nested":  # model 0 shares a block with an unrequested model only: not BLS
        blocks["xs"], blocks["x"] = size(), size()
        sets[0].append("xs")
        sets.append(["xs", "x"])
    zero = bool(rng.random() < 0.3)
    models = []
    for i, ids in enumerate(sets):
        mu = 0.0 if zero else draw([0.0, 2e-4, 5e-4], 0.0, 5e-4)
        beta = 0.0 if zero else draw([0.0, 5e-4, 1e-3], 0.0, 1e-3)
        per = float(rng.choice([0.0, 300.0, 600.0]))  # Q = 1000, base 400: b_max K, 2 or 1
        models.append(Model(f"m{i}", tuple(ids), mu, beta, 400.0, per))
    n_users = int(rng.integers(users[0], users[1] + 1))
    us = [
        User(
            f"k{k}",
            f"m{int(rng.integers(0, n_models))}",
            draw([1000.0, 2000.0, 3000.0], 1.0, 3500.0),
            float(rng.choice([1.0, 2.0])),
        )
        for k in range(n_users)
    ]
    used = {b for m in models for b in m.blocks}
    return Instance(
        name="near-boundary",
        deadline_s=1.0,
        slot_s=1.0,
        bandwidth_hz=1e6,
        gpu_memory_bytes=1000.0,
        load=LoadRates(2e6, 2e6),
        blocks=tuple(Block(b, s) for b, s in sorted(blocks.items()) if b in used),
        models=tuple(models),
        users=tuple(us),
    )


def _near_a_boundary(inst: Instance, rng: np.random.Generator, seed: int, case: str) -> Instance:
    """``inst`` rescaled and given a slot (and a deadline of n..n+3 slots) so that one of its Theorem-2
    segments lasts n slots plus or minus 1e-12..1e-6 slot, or exactly n."""
    from partialload_opt.partialloading.segments import SegmentCosts
    from partialload_opt.partialloading.timebase import rational, whole_slots_deadline

    req = [int(i) for i in inst.requested_models]
    i = int(rng.choice(req))
    prev = int(rng.choice([-1, *(j for j in req if j != i)]))
    k = int(rng.integers(1, len(inst.users_of[i]) + 1))
    n = int(rng.integers(1, 4))
    t = SegmentCosts.of(inst).segment_time_exact(prev, i, k)
    if t == 0:  # nothing to put near a boundary: a plain small instance
        slot, deadline, scaled = 1e-3, 4e-3, inst
    else:
        target = 10 ** float(rng.uniform(-6.0, 3.0)) * n  # the segment's length, about n slots
        factor = float(f"{target / float(t):.3g}")
        scaled = time_scaled(inst, factor)
        t = SegmentCosts.of(scaled).segment_time_exact(prev, i, k)
        side = int(rng.choice([-1, 0, 1]))
        offset = side * 10 ** float(rng.uniform(-12.0, -6.0))
        slot = float(t / (n + rational(offset)))
        deadline = whole_slots_deadline(slot, int(rng.integers(n, n + 4)))
    inst = replace(scaled, slot_s=slot, deadline_s=deadline)
    if t != 0 and rng.random() < 0.5:
        inst = _planted(inst, rng)
    return replace(
        inst,
        name=f"near-boundary-{case}-seed{seed}",
        meta={
            "generator": "partialload_opt.partialloading.generate.near_boundary_instance",
            "seed": seed,
            "case": case,
            "sharing": sharing_class(inst),
        },
    )


def _planted(inst: Instance, rng: np.random.Generator) -> Instance:
    """``inst`` with users re-sized along a random visiting order of its requested models (one user
    per visit, a model may come back): each visit's one-user segment after its predecessor ends
    within 1e-12..1e-6 slot of a boundary, either side; the deadline is the order's slot count, give
    or take a slot. Where exact slot counting decides most often."""
    from partialload_opt.partialloading.timebase import rational, whole_slots_deadline

    ex = inst.exact
    req = [int(i) for i in inst.requested_models]
    free = {i: [int(k) for k in inst.users_of[i]] for i in req}
    users = list(inst.users)
    prev, total = -1, 0
    for _ in range(int(rng.integers(2, 6))):
        i = int(rng.choice([j for j in req if free[j] and j != prev] or [-1]))
        if i < 0:
            break
        k = free[i].pop(int(rng.integers(0, len(free[i]))))
        fixed = ex.load_after(prev, i) + ex.mu[i] + ex.beta[i]
        c = math.ceil(float(fixed / ex.slot) + 0.05) + int(rng.integers(0, 2))
        offset = rational(float(rng.choice([-1, 1]) * 10 ** float(rng.uniform(-12.0, -6.0))))
        upload = (c + offset) * ex.slot - fixed  # seconds: p_k / B
        u = users[k]
        users[k] = replace(
            u, data_bits=float(upload * rational(inst.bandwidth_hz)) * u.spectral_efficiency
        )
        prev, total = i, total + c
    deadline = whole_slots_deadline(inst.slot_s, max(1, total + int(rng.integers(-1, 2))))
    return replace(inst, users=tuple(users), deadline_s=deadline)


def sharing_class(inst: Instance) -> str:
    """'bls' (the instance is BLS), 'nested' (not BLS, but the requested models' shared blocks are
    nested in every component: Theorem 2's form is proved in slotted time) or 'general'."""
    from partialload_opt.partialloading.segments import theorem2_form_unproved

    if inst.is_bls:
        return "bls"
    return "nested" if theorem2_form_unproved(inst, "slotted") is None else "general"


def time_scaled(inst: Instance, factor: float) -> Instance:
    """``inst`` with every duration multiplied by ``factor`` (block sizes, compute constants, data
    bits; rates, slot and deadline unchanged): how the near-boundary generators move a segment."""
    return replace(
        inst,
        blocks=tuple(replace(b, size_bytes=b.size_bytes * factor) for b in inst.blocks),
        models=tuple(
            replace(m, mu_s=m.mu_s * factor, beta_s=m.beta_s * factor) for m in inst.models
        ),
        users=tuple(replace(u, data_bits=u.data_bits * factor) for u in inst.users),
    )
