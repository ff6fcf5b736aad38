"""What every command line shares: the two consoles, the one-line error policy (InputError -> exit 2),
progress bars, the --plugin option, the option parsers the problems' CLIs use, tables, and the bodies
of the commands every problem has (``check_instances``, ``verify_instances``: `partialload check` /
`verify` and `partialload qpart check` / `verify` call them)."""

from __future__ import annotations

import contextlib
import functools
import json
import math
import warnings
from pathlib import Path

import typer
from rich.console import Console

from partialload_opt.errors import InputError

out = Console(soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

PLUGIN_HELP = (
    "Import MODULE (or FILE.py) first: its register_solver / register_claim run (repeatable)."
)


def input_errors_exit_2(fn):
    """Turn the project's InputError into one line on stderr and exit status 2 (no traceback)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                result = fn(*args, **kwargs)
            for w in caught:
                err.print(f"warning: {w.message}", markup=False)
            return result
        except InputError as e:
            err.print(f"error: {e}", markup=False)
            raise typer.Exit(2) from None

    return wrapper


def plugin_option():
    return typer.Option([], "--plugin", metavar="MODULE", help=PLUGIN_HELP)


# the options `partialload verify` and `partialload qpart verify` share
def report_option():
    return typer.Option(..., "--report", help="Folder for results.jsonl, report.json, report.md.")


def verify_time_limit_option():
    return typer.Option(60.0, "--time-limit", help="Per exact solve, seconds.")


def shrink_option():
    return typer.Option(2, "--shrink", help="Counterexamples to shrink and save per claim entry.")


def no_shrink_option():
    return typer.Option(
        False,
        "--no-shrink",
        help="Save each violation on the instance as found (paper-scale checks: no minimising).",
    )


def counterexamples_option():
    return typer.Option(
        None,
        help="Where counterexamples go (default REPORT/counterexamples; the curated set of a clone "
        "is instances/counterexamples: name it to add to it).",
    )


# where a long run's tasks run (`verify`, `qpart verify`, `sweep`): parallel.pool
def engine_option():
    return typer.Option(
        "local", "--engine", help="local (worker processes) | dask (a Dask cluster: --scheduler)."
    )


def workers_option():
    return typer.Option(
        1,
        "--workers",
        help="Worker processes (local), or the LocalCluster's (dask, no --scheduler).",
    )


def scheduler_option():
    return typer.Option(
        None,
        "--scheduler",
        metavar="ADDR",
        help="A running Dask scheduler (tcp://HEAD:8786) for --engine dask (default: a LocalCluster).",
    )


def check_engine(engine: str, workers: int, scheduler: str | None) -> None:
    """--engine, --workers and --scheduler agree (before anything starts)."""
    from partialload_opt.parallel import ENGINES

    check_choice("engine", engine, ENGINES)
    if workers < 1:
        raise InputError("--workers", str(workers), "must be >= 1")
    if scheduler and engine != "dask":
        raise InputError("--scheduler", scheduler, "needs --engine dask")


def load_plugins(specs: list[str]) -> None:
    from partialload_opt.plugins import load_plugins as load

    load(specs)


@contextlib.contextmanager
def progress(label: str):
    """A progress bar on stderr; yields the ``progress(done, total)`` callback long runs take."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    with Progress(
        TextColumn(f"[bold]{label}[/]"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
    ) as bar:
        task = bar.add_task(label, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


def time_limit_option(value: float | None) -> float | None:
    """--time-limit: a finite number of seconds >= 0 (0: no limit)."""
    if value is None:
        return None
    if not math.isfinite(value) or value < 0:
        raise InputError(
            "--time-limit", f"{value:g}", "must be a finite number of seconds >= 0 (0: no limit)"
        )
    return value or None


def check_choice(name: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise InputError(f"--{name}", value, f"must be one of {', '.join(choices)}")


def int_range(text: str, what: str) -> tuple[int, int]:
    """A..B (or A) as a pair of whole numbers with 1 <= A <= B."""
    try:
        a, _, b = text.partition("..")
        lo, hi = int(a), int(b or a)
    except ValueError:
        raise InputError(f"--{what}", text, "must be A..B (whole numbers)") from None
    if lo < 1 or hi < lo:
        raise InputError(f"--{what}", text, "must satisfy 1 <= A <= B")
    return lo, hi


def duration(seconds: float) -> str:
    """Milliseconds below one second, seconds above."""
    return f"{seconds * 1e3:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def print_table(table) -> None:
    """A rich Table on stdout, readable when stdout is not a terminal too: there it is laid out at
    the width its columns need instead of squeezed into rich's 80-column default."""
    if out.is_terminal:
        out.print(table)
        return
    wide = Console(width=10_000, soft_wrap=True)
    with wide.capture() as cap:
        wide.print(table)
    lines = [line.rstrip() for line in cap.get().splitlines()]
    print("\n".join(lines))


def load_any(path: Path):
    """An instance of any known problem, by its format."""
    from partialload_opt import problem as problems
    from partialload_opt.fileio import read_json

    doc = read_json(path)
    return problems.of(doc, str(path)).load(doc, str(path))


def check_instances(paths: list[Path], as_json: bool = False) -> None:
    """Validate instances and print a summary of each; exit 2 after them if one is invalid."""
    from partialload_opt import problem as problems

    bad = 0
    for path in paths:
        try:
            inst = load_any(path)
        except InputError as e:
            err.print(f"error: {e}", markup=False)
            bad += 1
            continue
        fields, line = problems.of(inst).describe(inst)
        if as_json:
            print(json.dumps({"file": str(path)} | fields))
        else:
            out.print(f"{path}: {line}", markup=False, highlight=False)
    if bad:
        raise typer.Exit(2)


def verify_instances(
    problem: str,
    report: Path,
    instances: list[Path],
    *,
    generate_n: int = 0,
    sizes: dict | None = None,
    seed: int = 0,
    claims: str | None = None,
    solver: list[str] | None = None,
    plugin: list[str] | None = None,
    workers: int = 1,
    time_limit: float = 60.0,
    instance_budget: float | None = None,
    shrink_per_entry: int = 2,
    counterexamples: Path | None = None,
    no_shrink: bool = False,
    engine: str = "local",
    scheduler: str | None = None,
) -> None:
    """`verify`: check ``problem``'s claims (comma-separated ``claims``, default all unless only
    solvers are given) and ``solver:NAME`` for each solver on the instances of the files and folders
    ``instances`` and ``generate_n`` generated ones (``sizes``: the problem's generator options), on
    ``engine``'s workers; shrink and save the violations; print the summary; exit 1 on internal
    errors or exact-solver disagreements."""
    from partialload_opt import problem as problems
    from partialload_opt.verify import pipeline

    load_plugins(plugin or [])
    check_choice("problem", problem, tuple(problems.PROBLEMS))
    check_engine(engine, workers, scheduler)
    limit = time_limit_option(time_limit) or 3600.0
    ids = [c.strip() for c in claims.split(",") if c.strip()] if claims else None
    chosen = pipeline.choose_claims(ids, solver or [], problem)
    insts = []
    for folder in instances:
        files = sorted(folder.glob("*.json")) if folder.is_dir() else [folder]
        if folder.is_dir() and not files:
            raise InputError(str(folder), "", "holds no *.json instance")
        insts += [load_any(f) for f in files]
    if generate_n:
        insts += list(problems.get(problem).generated(generate_n, seed, **(sizes or {})))
    if not insts:
        raise InputError("verify", "", "no instances: give --instances and/or --generate N")
    with progress("verify") as advance:
        doc = pipeline.verify(
            insts,
            chosen,
            report,
            workers=workers,
            time_limit=limit,
            shrink_per_entry=shrink_per_entry,
            counterexamples=counterexamples,
            seed=seed,
            progress=advance,
            budget=instance_budget,
            shrink_steps=0 if no_shrink else None,
            engine=engine,
            scheduler=scheduler,
        )
    n_viol = sum(e["violated"] for e in doc["claims"])
    out.print(
        f"checked {doc['instances']} instances: {n_viol} violations in "
        f"{sum(1 for e in doc['claims'] if e['violated'])} claim entries; report in {report}/report.md"
    )
    if doc["internal_errors"] or doc["solver_bugs"]:
        err.print(
            f"error: {len(doc['internal_errors'])} internal errors, {len(doc['solver_bugs'])} exact-solver "
            "disagreements (see report.md)"
        )
        raise typer.Exit(1)
