"""The exhaustive baseline: its search-space count and its guard."""

from __future__ import annotations

import pytest

from partialload_opt import Unsupported, solve
from partialload_opt.partialloading.algorithms.exhaustive import search_space

from conftest import handmade


def test_search_space_counts_ordered_subsets_times_counts():
    """h3: three models with one user each: 3 + 3*2 + 3*2*1 = 15 (order, counts) candidates;
    h1: one model with three users: k = 1, 2, 3."""
    assert search_space(handmade("h3-abc")) == 15
    assert search_space(handmade("h1-batching")) == 3


def test_exhaustive_refuses_a_search_space_over_its_guard():
    with pytest.raises(Unsupported, match="search space 15 candidates > max_candidates = 10"):
        solve(handmade("h3-abc"), "exhaustive", max_candidates=10)
    assert solve(handmade("h3-abc"), "exhaustive", max_candidates=15).served == 3
