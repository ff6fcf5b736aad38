"""partialload_opt/options.py: one validated options object per run -- unknown options and bad values
are errors naming the option, the time limit is one budget."""

from __future__ import annotations

import time

import pytest

from partialload_opt import InputError
from partialload_opt.options import Param, SolveOptions, build, user_keywords, user_params

PARAMS = {
    "method": Param("method", "auto", (str,), ("auto", "chain")),
    "depth": Param("depth", 3, (int,)),
}


def test_defaults_are_filled_in_and_common_options_parsed():
    o = build(SolveOptions, "s", {"threads": 2, "seed": 7, "gap": 0.01}, PARAMS)
    assert (o.threads, o.seed, o.gap, o.time_limit) == (2, 7, 0.01, None)
    assert o["method"] == "auto" and o["depth"] == 3


def test_an_unknown_option_names_itself_the_closest_and_the_valid_ones():
    with pytest.raises(
        InputError,
        match=r"thraeds is not an option of s; did you mean 'threads'\? \(valid: time_limit.*method, depth\)",
    ):
        build(SolveOptions, "s", {"thraeds": 4}, PARAMS)
    with pytest.raises(InputError, match=r"zzz is not an option of s \(valid"):
        build(SolveOptions, "s", {"zzz": 4}, PARAMS)


def test_a_mistyped_solver_gets_the_closest_name_among_its_problems_solvers():
    from partialload_opt.registry import chosen_solvers, solver_info

    with pytest.raises(
        InputError, match=r"dp-exct is not a partialload solver; did you mean 'dp-exact'"
    ):
        chosen_solvers(["dp-exct"], "partialload")
    with pytest.raises(InputError) as e:
        solver_info("qpart-paretto", "--solver", "qpart")
    assert "did you mean 'qpart-pareto'" in str(e.value) and "dp-exact" not in str(e.value)


def test_a_choice_outside_its_values_and_a_wrong_type_are_errors():
    with pytest.raises(InputError, match="method of s must be one of auto, chain"):
        build(SolveOptions, "s", {"method": "chian"}, PARAMS)
    with pytest.raises(InputError, match="depth of s must be int"):
        build(SolveOptions, "s", {"depth": "3"}, PARAMS)


@pytest.mark.parametrize(
    "given",
    [
        {"time_limit": -1},
        {"time_limit": float("nan")},
        {"threads": 0},
        {"seed": 1.5},
        {"threads": True},
    ],
)
def test_common_options_are_checked(given):
    with pytest.raises(InputError, match="option"):
        build(SolveOptions, "s", given, {})


def test_warm_start_only_for_a_solver_that_takes_a_start():
    with pytest.raises(InputError, match="warm_start is not an option"):
        build(SolveOptions, "s", {"warm_start": "greedy-paper"}, {})
    o = build(SolveOptions, "s", {}, {}, warm_start="auto")
    assert o.warm_start == "auto"
    assert build(SolveOptions, "s", {"warm_start": None}, {}, warm_start="auto").warm_start is None


def test_the_time_limit_is_one_budget_counted_from_the_start():
    o = build(SolveOptions, "s", {"time_limit": 0.2}, {})
    assert o.remaining() is None  # the clock starts in solve
    started = o.started()
    first = started.remaining()
    assert first is not None and 0.0 < first <= 0.2
    time.sleep(0.05)
    second = started.remaining()
    assert second is not None and second < first
    assert build(SolveOptions, "s", {"time_limit": 0.0}, {}).started().remaining() == 0.0


def test_a_users_function_takes_its_own_keywords_and_any_with_star_star():
    def fixed(inst, *, semantics, time_limit=None, depth=2):
        return None

    def open_(inst, *, semantics, time_limit=None, **options):
        return None

    params, any_ = user_params(fixed, ("semantics",))
    assert set(params) == {"depth"} and not any_
    assert user_params(open_, ("semantics",))[1]
    o = build(SolveOptions, "u", {"depth": 5, "threads": 3}, params).started()
    kw = user_keywords(fixed, o, semantics="slotted")
    assert kw["depth"] == 5 and kw["semantics"] == "slotted" and "threads" not in kw
    assert user_keywords(open_, o, semantics="slotted")["threads"] == 3
