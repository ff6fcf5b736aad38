"""partialload_opt/bench.py: the certified library pl-bench/1 (its instances are the ones hashed, a
changed generator is a loud error, a sample of its certificates is proved again on every run, the
whole small and paper tiers in the slow suite, and every exact solver agrees with it), the scoring
(an answer above a certified bound is an error) and `partialload bench`."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from typer.testing import CliRunner

from partialload_opt import bench, problem
from partialload_opt.cli import app
from partialload_opt.errors import InputError
from partialload_opt.registry import solvers
from partialload_opt.results import Status

runner = CliRunner()


def test_the_library_has_every_tier_and_a_certificate_per_semantics():
    lib = bench.library()
    tiers = {e.tier for e in lib}
    assert tiers == {"small", "boundary", "paper", "tight", "scale", "qpart"}
    for e in lib:
        sems = [c.semantics for c in e.certificates]
        assert sems == (["-"] if e.problem == "qpart" else ["continuous", "slotted"]), e.name
        for c in e.certificates:
            assert c.method and c.seconds >= 0
            assert c.bound is None or c.bound >= c.value if e.problem == "partialload" else True
            assert not c.proved or c.bound == c.value
    assert all(c.proved for e in lib if e.tier != "scale" for c in e.certificates)
    assert any(not c.proved for e in lib if e.tier == "scale" for c in e.certificates)  # honest
    with pytest.raises(InputError, match="is not a tier of pl-bench/1"):
        bench.entries(tiers=["nope"])
    with pytest.raises(InputError, match="is not a shipped library"):
        bench.library("pl-bench/9")


def _sample(tier: str, n: int = 2):
    return [e for e in bench.library() if e.tier == tier][:n]


@pytest.mark.parametrize("tier", ["small", "boundary", "paper", "tight", "scale", "qpart"])
def test_every_sampled_entry_makes_the_instance_it_was_certified_on(tier):
    for e in _sample(tier):
        inst = bench.instance_of(e)
        assert bench.digest(inst) == e.sha256


def test_a_changed_generator_is_a_loud_error_never_a_silent_new_instance():
    e = next(e for e in bench.library() if e.generator is not None and e.tier == "paper")
    moved = replace(e, generator={**e.generator, "config": {**e.generator["config"], "seed": 99}})
    with pytest.raises(InputError, match="the generator now makes a different instance"):
        bench.instance_of(moved)


@pytest.mark.parametrize("tier", ["small", "boundary", "paper", "tight", "qpart"])
def test_a_sample_of_the_certificates_is_proved_again(tier):
    for e in _sample(tier, 1):
        prob = problem.get(e.problem)
        inst = bench.instance_of(e)
        for cert in e.certificates:
            again = prob.certify(inst, cert.semantics, 60.0)
            assert again.proved and again.value == pytest.approx(cert.value, rel=1e-9), e.name


@pytest.mark.slow
@pytest.mark.parametrize("tier", ["small", "paper"])
def test_the_whole_small_and_paper_tiers_are_proved_again(tier):
    for e in bench.library():
        if e.tier != tier:
            continue
        prob = problem.get(e.problem)
        inst = bench.instance_of(e)
        for cert in e.certificates:
            again = prob.certify(inst, cert.semantics, 120.0)
            assert again.proved and again.value == cert.value, (e.name, cert.semantics)


@pytest.mark.slow
def test_every_exact_solver_agrees_with_the_library_where_it_runs():
    names = [n for n, i in solvers("partialload").items() if i.exact and not i.missing_extra()]
    names += [n for n, i in solvers("qpart").items() if i.exact]
    scores = bench.score(names, tiers=["small", "boundary", "qpart"], time_limit=30.0, workers=2)
    assert scores
    for s in scores:
        assert not s.error, (s.solver, s.entry, s.semantics, s.error)
        if s.status == Status.OPTIMAL.value:
            assert s.matched, (s.solver, s.entry, s.semantics, s.value, s.certified)


def test_an_answer_above_a_certified_bound_is_an_error():
    from partialload_opt.partialloading.benchlib import bench_score as pl_score
    from partialload_opt.qpart.benchlib import bench_score as q_score
    from partialload_opt.solving import solve

    e = _sample("small", 1)[0]
    cert = e.certificate("slotted")
    r = solve(bench.instance_of(e), "dp-exact", semantics="slotted")
    assert pl_score(r, cert)[3] == "" and pl_score(r, cert)[1] == 0
    wrong = replace(cert, value=cert.value - 1, bound=cert.value - 1)
    value, gap, _, error = pl_score(r, wrong)
    assert gap is None and "above the certified bound" in error
    q = next(e for e in bench.library() if e.problem == "qpart")
    qc = q.certificates[0]
    qr = solve(bench.instance_of(q), "qpart-pareto")
    assert q_score(qr, qc)[3] == ""
    assert "below the certified lower bound" in q_score(qr, replace(qc, bound=qc.value * 1.5))[3]


def test_scores_measure_the_gap_to_the_certified_value():
    scores = bench.score(["greedy-paper", "dp-exact"], tiers=["small"], time_limit=30.0)
    exact = [s for s in scores if s.solver == "dp-exact"]
    assert exact and all(s.gap is not None and s.gap >= 0 for s in exact)
    greedy = [s for s in scores if s.solver == "greedy-paper"]
    assert {s.semantics for s in greedy} == {"slotted"}  # its own semantics only
    assert any(s.gap > 0 for s in greedy) and all(s.matched == (s.gap == 0) for s in greedy)
    text = bench.leaderboard(scores)
    assert "## small, slotted" in text and "| greedy-paper |" in text


def test_the_bench_command(tmp_path):
    out = tmp_path / "b"
    r = runner.invoke(
        app, ["bench", "--solver", "greedy-paper", "--tier", "small", "--json", "--out", str(out)]
    )
    assert r.exit_code == 0, r.output
    rows = [json.loads(line) for line in r.stdout.splitlines() if line.startswith("{")]
    assert rows and {row["solver"] for row in rows} == {"greedy-paper"}
    assert (out / "leaderboard.md").exists() and (out / "gap-vs-time.png").exists()
    from partialload_opt import results_frame

    df = results_frame(out)
    assert len(df) == len(rows) and set(df["source"]) == {"bench"}
    r = runner.invoke(app, ["bench", "--solver", "greedy-paper", "--tier", "nope"])
    assert r.exit_code == 2 and "is not a tier of pl-bench/1" in r.output
    r = runner.invoke(app, ["bench", "--solver", "greedy-papr"])
    assert r.exit_code == 2 and "did you mean 'greedy-paper'" in r.output
