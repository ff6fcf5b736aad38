"""Proposition 1: the closed-form split makes every user finish together and nothing is faster."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from partialload_opt.partialloading import bandwidth as bw

P = st.lists(st.floats(1.0, 1e6), min_size=1, max_size=8)


@given(P, st.floats(1e3, 1e9))
def test_optimal_split_makes_every_user_finish_at_the_same_instant(p, B):
    y = bw.optimal_split(p)
    finish = np.asarray(p) / (y * B)
    assert np.isclose(y.sum(), 1.0)
    assert np.allclose(finish, bw.optimal_upload_time(p, B), rtol=1e-9)
    assert np.isclose(bw.fractions_upload_time(p, y, B), bw.optimal_upload_time(p, B), rtol=1e-12)


@given(P, st.integers(0, 2**32 - 1))
def test_no_random_split_is_faster_than_proposition_1(p, seed):
    rng = np.random.default_rng(seed)
    B = 1e6
    best = bw.optimal_upload_time(p, B)
    for y in rng.dirichlet(np.ones(len(p)), size=200):
        assert bw.fractions_upload_time(p, y, B) >= best * (1 - 1e-12)
    # a local search from a random start never gets below the closed form either
    y = rng.dirichlet(np.ones(len(p)))
    for _ in range(300):
        z = np.abs(y + rng.normal(0, 0.05, len(p)))
        z /= z.sum()
        if bw.fractions_upload_time(p, z, B) < bw.fractions_upload_time(p, y, B):
            y = z
    assert bw.fractions_upload_time(p, y, B) >= best * (1 - 1e-12)


def test_equal_split_waits_for_the_slowest_user():
    assert bw.equal_upload_time([1.0, 4.0, 2.0], 10.0, 5) == 4.0 * 5 / 10.0


def test_parse_bandwidth():
    assert bw.parse_bandwidth("optimal") == "optimal"
    assert bw.parse_bandwidth("equal:5") == {"equal_subchannels": 5}
    assert bw.batch_cap({"equal_subchannels": 5}) == 5 and bw.batch_cap("optimal") is None


def test_bandwidth_rule_is_parsed_once_from_any_form():
    rule = bw.BandwidthRule.parse("equal:4")
    assert rule is bw.BandwidthRule.parse(rule) and rule.cap == 4 and str(rule) == "equal:4"
    assert bw.BandwidthRule.parse(rule.spec) == rule and rule.spec == {"equal_subchannels": 4}
    assert (
        bw.BandwidthRule.parse(None).spec == "optimal"
        and bw.BandwidthRule.parse("optimal").cap is None
    )
    frac = bw.BandwidthRule.parse({"fractions": [[0.5, 0.5]]})
    assert frac.kind == "fractions" and frac.spec == {"fractions": [[0.5, 0.5]]}
    import pytest

    for bad in ("equal:0", "equal:x", "half"):
        with pytest.raises(ValueError):
            bw.BandwidthRule.parse(bad)
