"""The `partialload` command line. The problem-neutral commands (check, verify) live here; each problem
adds its own (``Problem.cli``): PartialLoading's at the top level, QPART's under `partialload qpart`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from partialload_opt import problem as problems
from partialload_opt.console import (
    check_choice,
    err,
    input_errors_exit_2,
    int_range,
    load_plugins,
    out,
    plugin_option,
    progress,
    time_limit_option,
)
from partialload_opt.errors import InputError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="PartialLoading scheduling (and QPART): instances, the evaluator, solvers, verification.",
)


def load_any(path: Path):
    """An instance of any known problem, by its format."""
    from partialload_opt.fileio import read_json

    doc = read_json(path)
    return problems.of(doc, str(path)).load(doc, str(path))


@app.command("check")
@input_errors_exit_2
def check_cmd(
    instances: list[Path] = typer.Argument(..., help="Instance files (any problem)."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per line."),
):
    """Validate instances and print a summary of each."""
    bad = 0
    for path in instances:
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


@app.command("verify")
@input_errors_exit_2
def verify_cmd(
    report: Path = typer.Option(
        ..., "--report", help="Folder for results.jsonl, report.json, report.md."
    ),
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
    time_limit: float = typer.Option(60.0, "--time-limit", help="Per exact solve, seconds."),
    instance_budget: float | None = typer.Option(
        None,
        "--instance-budget",
        help="Seconds of exact solves per instance (a solve cut by it times out; checks needing it are skipped).",
    ),
    shrink_per_entry: int = typer.Option(
        2, "--shrink", help="Counterexamples to shrink and save per claim entry."
    ),
    counterexamples: Path | None = typer.Option(
        None,
        help="Where counterexamples go (default REPORT/counterexamples; the curated set of a clone "
        "is instances/counterexamples: name it to add to it).",
    ),
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
    from partialload_opt.verify import pipeline

    load_plugins(plugin)
    check_choice("case", case, ("bls", "general", "both"))
    check_choice("problem", problem, tuple(problems.PROBLEMS))
    limit = time_limit_option(time_limit) or 3600.0
    chosen = pipeline.choose_claims(
        [c.strip() for c in claims.split(",") if c.strip()] if claims else None, solver, problem
    )
    insts = []
    for folder in instances:
        files = sorted(folder.glob("*.json")) if folder.is_dir() else [folder]
        if folder.is_dir() and not files:
            raise InputError(str(folder), "", "holds no *.json instance")
        insts += [load_any(f) for f in files]
    if generate_n:
        sizes = {
            "case": case,
            "users": int_range(users, "users"),
            "models": int_range(models, "models"),
        }
        insts += list(problems.get(problem).generated(generate_n, seed, **sizes))
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
