"""`verify --engine dask`: the local engine's report for the same seed, the client-side resume, a
worker killed mid-run (recomputed by Dask), a task that kills every worker (reported, the run goes
on, a resume retries it) and the engine options' bad input. Each test starts a LocalCluster."""

from __future__ import annotations

import json
import textwrap

import pytest
from typer.testing import CliRunner

from partialload_opt.cli import app

pytest.importorskip("dask.distributed", reason="needs the [dask] extra")

GENERATE = ["--generate", "6", "--users", "3..5", "--models", "2..3", "--seed", "3"]


def run(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def verify(tmp_path, name: str, *extra):
    """`partialload verify` of the 6 generated instances into tmp_path/name (report and
    counterexamples); the report's document."""
    rep = tmp_path / name
    r = run("verify", *GENERATE, "--report", rep, "--counterexamples", rep / "cx", *extra)
    return r, rep


def counts(doc: dict) -> list[tuple]:
    """Per claim entry: its counts and skip reasons (no timings: a measured claim's fit is left out)."""
    keys = ("id", "solver", "reading", "semantics", "checked", "held", "violated", "skipped")
    return [
        (*(e.get(k) for k in keys), json.dumps(e["skipped_reasons"], sort_keys=True))
        for e in doc["claims"]
    ]


def saved_names(rep) -> set[str]:
    doc = json.loads((rep / "report.json").read_text())
    named = {p.rsplit("/", 1)[-1] for e in doc["claims"] for p in e["counterexamples"]}
    files = {p.name for p in (rep / "cx").iterdir()}
    assert {n for n in files if n.endswith(".json")} == named  # the report names what was saved
    return files


def rows(rep) -> list[dict]:
    return [json.loads(line) for line in (rep / "results.jsonl").read_text().splitlines() if line]


def test_dask_gives_the_local_report_for_the_same_seed(tmp_path):
    r, local = verify(tmp_path, "local", "--workers", 2)
    assert r.exit_code == 0, r.output
    r, dask = verify(tmp_path, "dask", "--workers", 2, "--engine", "dask")
    assert r.exit_code == 0, r.output
    a, b = (json.loads((rep / "report.json").read_text()) for rep in (local, dask))
    assert a["instances"] == b["instances"] == 6
    assert counts(a) == counts(b)
    assert any(e["violated"] for e in a["claims"])  # so counterexamples were shrunk on both
    assert saved_names(local) == saved_names(dask)
    assert (a["internal_errors"], a["solver_bugs"]) == (b["internal_errors"], b["solver_bugs"])


def test_qpart_verify_runs_on_dask(tmp_path):
    args = ["qpart", "verify", "--generate", "3", "--claims", "qpart-rounding"]
    r = run(*args, "--report", tmp_path / "local", "--counterexamples", tmp_path / "local" / "cx")
    assert r.exit_code == 0, r.output
    r = run(*args, "--engine", "dask", "--report", tmp_path / "dask")
    assert r.exit_code == 0, r.output
    a, b = (json.loads((tmp_path / d / "report.json").read_text()) for d in ("local", "dask"))
    assert counts(a) == counts(b)


def test_a_resumed_dask_run_checks_only_what_is_missing(tmp_path):
    """The client wrote 3 rows before it was killed (the 4th torn): the dask run checks the other 3,
    keeps the 3 rows as they are, and its report is the one of a run never interrupted."""
    r, full = verify(tmp_path, "full")
    assert r.exit_code == 0, r.output
    kept = [dict(row, kept=True) for row in rows(full)[:3]]  # marked: a recomputed row loses it
    rep = tmp_path / "resumed"
    rep.mkdir()
    torn = json.dumps(rows(full)[3])[:50]
    (rep / "results.jsonl").write_text("".join(json.dumps(k) + "\n" for k in kept) + torn)
    r, rep = verify(tmp_path, "resumed", "--engine", "dask", "--workers", 2)
    assert r.exit_code == 0, r.output
    after = rows_or_torn(rep)
    assert after[:3] == kept and after[3] is None and len(after) == 7
    assert sorted(row["hash"] for row in after[4:]) == sorted(row["hash"] for row in rows(full)[3:])
    a, b = (json.loads((d / "report.json").read_text()) for d in (full, rep))
    assert counts(a) == counts(b)


def rows_or_torn(rep) -> list[dict | None]:
    out: list[dict | None] = []
    for line in (rep / "results.jsonl").read_text().splitlines():
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError:
            out.append(None)
    return out


KILLER = """
import os
from pathlib import Path


@register_claim("kills-its-worker", quote="a claim that kills its worker process", semantics=("slotted",))
def kills(instance, ctx, *, semantics):
    if instance.name in {names!r} and not Path({spared!r}).exists():
        Path({marker!r}).write_text(instance.name)
        if {once!r}:
            Path({spared!r}).write_text("once is enough")
        os._exit(1)  # the worker process dies mid-task, as under an OOM kill
    return "held"
"""


def killer(tmp_path, names, once: bool):
    spared, marker = tmp_path / "spared", tmp_path / "killed"
    path = tmp_path / "killer_claim.py"
    body = KILLER.format(names=set(names), spared=str(spared), marker=str(marker), once=once)
    path.write_text("from partialload_opt import *  # noqa\n" + textwrap.dedent(body))
    return path, spared, marker


def generated_names(n: int = 6) -> list[str]:
    from partialload_opt import problem as problems

    sizes = dict(case="both", users=(3, 5), models=(2, 3))
    return [i.name for i in problems.get("partialload").generated(n, 3, **sizes)]


def test_a_worker_killed_mid_run_is_recomputed_and_the_client_goes_on(tmp_path):
    names = generated_names()
    plugin, _, marker = killer(tmp_path, names[2:3], once=True)
    r, rep = verify(
        tmp_path, "r", "--plugin", plugin, "--claims", "kills-its-worker,prop1",
        "--engine", "dask", "--workers", 2,
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    assert marker.read_text() == names[2]  # a worker did die on it
    assert sorted(row["instance"] for row in rows(rep)) == sorted(names)
    doc = json.loads((rep / "report.json").read_text())
    assert all(e["checked"] + e["skipped"] == 6 for e in doc["claims"])
    assert not doc["internal_errors"]


def test_a_task_that_kills_every_worker_is_reported_and_a_resume_retries_it(tmp_path):
    """Dask gives a task up once its workers died ``allowed-failures`` + 1 times; a task that was
    merely running beside it on a dying worker may be given up too (Dask counts it alike). Each
    comes back as an internal error of the report, never as a row, and a resume checks just them."""
    import dask

    names = generated_names()
    plugin, spared, _ = killer(tmp_path, names[1:2], once=False)
    args = ["--plugin", plugin, "--claims", "kills-its-worker", "--engine", "dask"]
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}):  # one death: given up
        r, rep = verify(tmp_path, "r", *args)
    assert r.exit_code == 1 and "internal errors" in r.output
    doc = json.loads((rep / "report.json").read_text())
    assert doc["instances"] == 6
    lost = {e["instance"] for e in doc["internal_errors"]}
    assert names[1] in lost
    assert all("Dask workers that ran it all died" in e["reason"] for e in doc["internal_errors"])
    checked = [row["instance"] for row in rows(rep)]
    assert sorted(checked + list(lost)) == sorted(names)
    spared.write_text("the bug is fixed")
    r, rep = verify(tmp_path, "r", *args)
    assert r.exit_code == 0, r.output
    assert sorted(row["instance"] for row in rows(rep)[len(checked) :]) == sorted(lost)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--engine", "spark"], "--engine: spark must be one of local, dask"),
        (["--scheduler", "tcp://head:8786"], "--scheduler: tcp://head:8786 needs --engine dask"),
        (["--engine", "dask", "--workers", "0"], "--workers: 0 must be >= 1"),
        (["--engine", "dask", "--scheduler", "nonsense"], "no Dask scheduler answers"),
    ],
)
def test_engine_bad_input_is_one_line_and_exit_2(tmp_path, extra, message):
    for command in (["verify"], ["qpart", "verify"]):
        r = run(*command, "--generate", 2, "--report", tmp_path, *extra)
        assert r.exit_code == 2 and message in r.stderr, r.output
        assert "Traceback" not in r.output
