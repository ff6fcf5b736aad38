"""The toolkit's one time arithmetic: every duration is the exact rational number that the instance's
numbers give, and every slot count and deadline test is decided on that number, with no tolerance.

A number of an instance is the decimal it is written as (``rational``: the shortest decimal that
reads back as the same float, which is the JSON text for any number of at most 15 significant
digits), so ``0.0015 + 0.0015`` is exactly 3 slots of ``0.001``. Floating point is only a filter:
each decision is taken on the floats when they are farther than ``FILTER`` (relative) from the
boundary, which bounds their rounding error many times over (docs/DESIGN.md section 1), and on exact
rationals otherwise. The evaluator, the segment tables, every DP, heuristic and search, and every
model's integer scaling decide through the functions here."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from partialload_opt.partialloading.instance import Instance

FILTER = 1e-9
"""Relative width of the band around a boundary where floats do not decide. A duration here is a
sum of at most ~10^4 nonnegative terms, each a product or quotient of instance numbers, so its float
is within ~10^4 x 2^-52 < 3e-12 (relative) of the exact value: 1e-9 leaves a factor of 300."""


def rational(x) -> Fraction:
    """The exact value of an instance number: the decimal its float prints as."""
    if isinstance(x, Fraction):
        return x
    if isinstance(x, (int, np.integer)):
        return Fraction(int(x))
    return _decimal(float(x))


@lru_cache(maxsize=1 << 16)
def _decimal(x: float) -> Fraction:
    """The shortest decimal that reads back as ``x``, exactly (parsing it is the costly part of an
    exact time: an instance repeats its numbers, a run asks for them again)."""
    return Fraction(repr(x))


class LazyRows(Sequence):
    """A read-only sequence whose i-th item is ``make(i)``, computed on first access: exact tables
    are built only for what a decision near a boundary needs (floats decide the rest)."""

    def __init__(self, n: int, make: Callable[[int], object]):
        self._n, self._make = n, make
        self._rows: dict[int, object] = {}

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(self._n))]
        i = int(i)
        if i < 0:
            i += self._n
        if not 0 <= i < self._n:
            raise IndexError(i)
        got = self._rows.get(i)
        if got is None:
            got = self._rows[i] = self._make(i)
        return got


def ceil_ratio(a: Fraction, b: Fraction) -> int:
    """ceil(a / b) on exact rationals."""
    return -((-a.numerator * b.denominator) // (a.denominator * b.numerator))


def floor_ratio(a: Fraction, b: Fraction) -> int:
    """floor(a / b) on exact rationals."""
    return (a.numerator * b.denominator) // (a.denominator * b.numerator)


NEVER = 2**62
"""The slot count of a segment that never ends (an upload with no band)."""


def slots(seconds: float, slot_s: float, exact: Callable[[], Fraction], slot: Fraction) -> int:
    """Whole slots a segment of ``seconds`` occupies, ceil(t / slot) of the exact t (``exact()``),
    read off the floats when they are clear of a slot boundary."""
    x = seconds / slot_s
    if not math.isfinite(x):
        return NEVER
    if x == 0.0:  # a float sum of nonnegative decimals is 0 only when every term is exactly 0
        return 0
    near = round(x)
    if abs(x - near) > FILTER * max(1.0, abs(x)):
        return max(math.ceil(x), 0)
    return max(ceil_ratio(exact(), slot), 0)


def slots_array(
    seconds: np.ndarray, slot_s: float, exact_at: Callable[[int], Fraction], slot: Fraction
) -> np.ndarray:
    """``slots`` of every entry of a 1-d array; ``exact_at(j)`` is entry j's exact value."""
    x = np.asarray(seconds, dtype=float) / slot_s
    out = np.ceil(x)
    near = (np.abs(x - np.round(x)) <= FILTER * np.maximum(1.0, np.abs(x))) & (x != 0.0)
    for j in np.flatnonzero(near):
        out[j] = ceil_ratio(exact_at(int(j)), slot)
    return np.maximum(out, 0).astype(np.int64)


def whole_slots_deadline(slot_s: float, n: int) -> float:
    """The shortest deadline (a float, read as its decimal) that is exactly ``n`` whole slots or
    the least more: T = floor(Tbar / slot) = n for it, whatever float rounding ``n * slot_s`` does
    (``8 * 0.0017005489597674633`` prints 4e-19 s short of 8 slots, which reads as 7)."""
    slot = rational(slot_s)
    x = float(slot * n)
    while rational(x) < slot * n:
        x = float(np.nextafter(x, math.inf))
    return x


NEAR_BELOW = 1e-9
"""A count the evaluator floors from an instance's numbers that lies this close (relative) below a
whole number is probably that number, read a hair short (``reading_warnings``)."""


def near_below(q: Fraction) -> int | None:
    """The whole number n when the exact quotient q is within NEAR_BELOW (relative) below it."""
    n = -((-q.numerator) // q.denominator)  # ceil
    if n >= 1 and q < n and (n - q) <= NEAR_BELOW * n:
        return n
    return None


def at_most(a: float, b: float, exact: Callable[[], tuple[Fraction, Fraction]]) -> bool:
    """a <= b for two nonnegative durations, exactly; ``exact()`` gives both exact values."""
    band = FILTER * max(abs(a), abs(b))
    if a < b - band:
        return True
    if a > b + band:
        return False
    ea, eb = exact()
    return ea <= eb


def classify(values: np.ndarray, limit: float) -> tuple[np.ndarray, np.ndarray]:
    """(surely <= limit, undecided) masks of float durations: the rest are surely > limit."""
    v = np.asarray(values, dtype=float)
    band = FILTER * np.maximum(np.abs(v), abs(limit))
    return v < limit - band, np.abs(v - limit) <= band


def units(value: Fraction, unit: Fraction, up: bool) -> int:
    """An exact duration in whole time units, rounded up (a cost, conservative) or down."""
    return ceil_ratio(value, unit) if up else floor_ratio(value, unit)


def whole_units(values, unit: Fraction) -> bool:
    """True when every exact value is a whole number of ``unit``s (then rounding changes nothing)."""
    return all((v / unit).denominator == 1 for v in values)


@dataclass(frozen=True, eq=False)
class ExactTimes:
    """An instance's times as exact rationals (seconds): what every float time approximates."""

    inst: Instance

    @cached_property
    def slot(self) -> Fraction:
        return rational(self.inst.slot_s)

    @cached_property
    def deadline(self) -> Fraction:
        return rational(self.inst.deadline_s)

    @cached_property
    def T(self) -> int:
        """floor(Tbar / slot), exactly."""
        return floor_ratio(self.deadline, self.slot)

    @cached_property
    def bandwidth(self) -> Fraction:
        return rational(self.inst.bandwidth_hz)

    @cached_property
    def upload(self) -> Sequence[Fraction]:
        """p_k / B per user: the upload time with the whole band (eq. (11) for one user)."""
        users = self.inst.users

        def one(k: int) -> Fraction:
            u = users[k]
            return rational(u.data_bits) / rational(u.spectral_efficiency) / self.bandwidth

        return LazyRows(len(users), one)

    @cached_property
    def mu(self) -> tuple[Fraction, ...]:
        return tuple(rational(m.mu_s) for m in self.inst.models)

    @cached_property
    def beta(self) -> tuple[Fraction, ...]:
        return tuple(rational(m.beta_s) for m in self.inst.models)

    @cached_property
    def seconds_per_byte(self) -> Fraction:
        """V(S) / S = 1 / disk + 1 / pcie (eq. (8))."""
        load = self.inst.load
        return 1 / rational(load.disk_Bps) + 1 / rational(load.pcie_Bps)

    @cached_property
    def block_size(self) -> Sequence[Fraction]:
        blocks = self.inst.blocks
        return LazyRows(len(blocks), lambda j: rational(blocks[j].size_bytes))

    def load_time(self, blocks: Sequence[int] | np.ndarray) -> Fraction:
        """V(S) of the blocks with these indices (or this boolean mask), eq. (8)."""
        idx = np.flatnonzero(blocks) if np.asarray(blocks).dtype == bool else blocks
        return sum((self.block_size[int(j)] for j in idx), Fraction(0)) * self.seconds_per_byte

    @cached_property
    def _load(self) -> dict[tuple[int, int], Fraction]:
        return {}

    def load_after(self, prev: int, i: int) -> Fraction:
        """t_load of model i after ``prev`` (-1: nothing loaded), eq. (8), exactly."""
        key = (prev, i)
        got = self._load.get(key)
        if got is None:
            mask = self.inst.block_mask
            need = mask[i] if prev < 0 else mask[i] & ~mask[prev]
            got = self._load[key] = self.load_time(need)
        return got

    def compute(self, i: int, users: int, batches: int = 1) -> Fraction:
        """mu_i b + beta_i per batch, eq. (9), for ``users`` users in ``batches`` batches."""
        return self.mu[i] * users + self.beta[i] * batches if users else Fraction(0)

    def batch(self, prev: int, i: int, ks: Sequence[int], rule, y=None) -> Fraction:
        """Exact t_n of one batch of model i after ``prev`` (eq. (1)); ``rule`` a BandwidthRule,
        ``y`` the batch's own fractions under explicit fractions."""
        load = Fraction(0) if prev == i else self.load_after(prev, i)
        return self.upload_time(ks, rule, y) + load + self.compute(i, len(ks))

    def upload_time(self, ks: Sequence[int], rule, y: Sequence[float] | None = None) -> Fraction:
        """Upload time of a batch: eq. (11)'s sum, the equal split's slowest user (p r / B), or
        explicit fractions' max p_k / (y_k B) (eqs. (6)-(7))."""
        if not len(ks):
            return Fraction(0)
        kind = getattr(rule, "kind", "optimal")
        if kind == "optimal":
            return sum((self.upload[k] for k in ks), Fraction(0))
        if kind == "equal":
            return max(self.upload[k] for k in ks) * rule.subchannels
        assert y is not None
        return max(
            (self.upload[k] / rational(yk) for k, yk in zip(ks, y) if self.upload[k] > 0),
            default=Fraction(0),
        )
