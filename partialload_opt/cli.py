"""The `partialload` command line. The problem-neutral commands (check, verify) live here; each problem
adds its own (``Problem.cli``): PartialLoading's at the top level, QPART's under `partialload qpart`."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from partialload_opt import problem as problems
from partialload_opt.console import (
    check_choice,
    check_instances,
    counterexamples_option,
    err,
    input_errors_exit_2,
    int_range,
    plugin_option,
    report_option,
    shrink_option,
    verify_instances,
    verify_time_limit_option,
)

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="PartialLoading scheduling (and QPART): instances, the evaluator, solvers, verification.",
)


@app.command("check")
@input_errors_exit_2
def check_cmd(
    instances: list[Path] = typer.Argument(..., help="Instance files (any problem)."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per line."),
):
    """Validate instances and print a summary of each."""
    check_instances(instances, as_json)


@app.command("verify")
@input_errors_exit_2
def verify_cmd(
    report: Path = report_option(),
    instances: list[Path] = typer.Option(
        [], "--instances", help="Folders (or files) of instances to check."
    ),
    generate_n: int = typer.Option(0, "--generate", help="Also check N generated small instances."),
    case: str = typer.Option(
        "both", help="bls | general | both (generated PartialLoading instances)"
    ),
    users: str = typer.Option("3..7", help="K range A..B of generated PartialLoading instances."),
    models: str = typer.Option("2..4", help="I range A..B of generated PartialLoading instances."),
    seed: int = typer.Option(0, help="Seed of the generated instances."),
    claims: str | None = typer.Option(None, help="Comma-separated claim ids (default: all)."),
    workers: int = typer.Option(1, help="Worker processes."),
    time_limit: float = verify_time_limit_option(),
    instance_budget: float | None = typer.Option(
        None,
        "--instance-budget",
        help="Seconds of exact solves per instance (a solve cut by it times out; checks needing it are skipped).",
    ),
    shrink_per_entry: int = shrink_option(),
    counterexamples: Path | None = counterexamples_option(),
    solver: list[str] = typer.Option(
        [], "--solver", help="Also check that this solver finds the optimum (repeat)."
    ),
    plugin: list[str] = plugin_option(),
    problem: str = typer.Option(
        "partialload", help=f"{' | '.join(problems.PROBLEMS)}: whose claims to check."
    ),
):
    """Check a problem's claims (and users' claims and solvers) on instances; shrink and save every
    kind of violation found. With only --solver, just the named solvers are checked."""
    check_choice("case", case, ("bls", "general", "both"))
    sizes: dict | None = None  # the generator's options, parsed only when it runs
    if generate_n:
        sizes = dict(case=case, users=int_range(users, "users"), models=int_range(models, "models"))
    verify_instances(
        problem,
        report,
        instances,
        generate_n=generate_n,
        sizes=sizes,
        seed=seed,
        claims=claims,
        solver=solver,
        plugin=plugin,
        workers=workers,
        time_limit=time_limit,
        instance_budget=instance_budget,
        shrink_per_entry=shrink_per_entry,
        counterexamples=counterexamples,
    )


def _add_problems() -> None:
    for p in problems.every():
        name, sub = p.cli()
        app.add_typer(sub, name=name) if name else app.add_typer(sub)


_add_problems()


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)


if __name__ == "__main__":
    main()
