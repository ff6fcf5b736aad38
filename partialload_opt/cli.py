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
    engine_option,
    err,
    input_errors_exit_2,
    no_shrink_option,
    plugin_option,
    report_option,
    scheduler_option,
    shrink_option,
    verify_instances,
    verify_time_limit_option,
    workers_option,
)
from partialload_opt.errors import InputError

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


def verify_cmd(
    report: Path = report_option(),
    instances: list[Path] = typer.Option(
        [], "--instances", help="Folders (or files) of instances to check."
    ),
    generate_n: int = typer.Option(0, "--generate", help="Also check N generated small instances."),
    seed: int = typer.Option(0, help="Seed of the generated instances."),
    claims: str | None = typer.Option(None, help="Comma-separated claim ids (default: all)."),
    workers: int = workers_option(),
    engine: str = engine_option(),
    scheduler: str | None = scheduler_option(),
    time_limit: float = verify_time_limit_option(),
    instance_budget: float | None = typer.Option(
        None,
        "--instance-budget",
        help="Seconds of exact solves per instance (a solve cut by it times out; checks needing it are skipped).",
    ),
    shrink_per_entry: int = shrink_option(),
    no_shrink: bool = no_shrink_option(),
    counterexamples: Path | None = counterexamples_option(),
    solver: list[str] = typer.Option(
        [], "--solver", help="Also check that this solver finds the optimum (repeat)."
    ),
    plugin: list[str] = plugin_option(),
    problem: str = typer.Option(
        "partialload", help=f"{' | '.join(problems.PROBLEMS)}: whose claims to check."
    ),
    **generator: str,
):
    """Check a problem's claims (and users' claims and solvers) on instances; shrink and save every
    kind of violation found. With only --solver, just the named solvers are checked."""
    check_choice("problem", problem, tuple(problems.PROBLEMS))
    owner = problems.get(problem)
    generator_options(owner, generator)
    sizes: dict | None = None  # the generator's options, parsed only when it runs
    if generate_n:
        sizes = owner.generator_sizes({o.name: generator[o.name] for o in owner.generator_options})
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
        no_shrink=no_shrink,
        counterexamples=counterexamples,
        engine=engine,
        scheduler=scheduler,
    )


def every_generator_option() -> dict[str, tuple[str, problems.GeneratorOption]]:
    """name -> (its problem, the option): every problem's generator options, one command line."""
    found: dict[str, tuple[str, problems.GeneratorOption]] = {}
    for p in problems.every():
        for o in p.generator_options:
            if o.name in found and found[o.name][1].default != o.default:
                raise RuntimeError(f"--{o.name}: two problems' generators disagree on its default")
            found.setdefault(o.name, (p.name, o))
    return found


def generator_options(owner: problems.Problem, given: dict[str, str]) -> None:
    """An option of another problem's generator, set on the command line, is an InputError."""
    mine = {o.name for o in owner.generator_options}
    for name, (other, option) in every_generator_option().items():
        if name not in mine and given.get(name, option.default) != option.default:
            raise InputError(
                f"--{name}", given[name], f"is an option of {other}'s generator, not {owner.name}'s"
            )


def _with_generator_options(fn):
    """``fn`` with one ``--NAME`` option per problem's generator option in place of ``**generator``
    (typer reads the signature): the core command names no problem's options."""
    import inspect

    sig = inspect.signature(fn, eval_str=True)
    params = [p for p in sig.parameters.values() if p.kind is not p.VAR_KEYWORD]
    for name, (_, option) in every_generator_option().items():
        params.append(
            inspect.Parameter(
                name,
                inspect.Parameter.KEYWORD_ONLY,
                default=typer.Option(option.default, f"--{name}", help=option.help),
                annotation=str,
            )
        )
    fn.__signature__ = sig.replace(parameters=params)
    return fn


app.command("verify")(input_errors_exit_2(_with_generator_options(verify_cmd)))


@app.command("bench")
@input_errors_exit_2
def bench_cmd(
    solver: list[str] = typer.Option(..., "--solver", help="Solver to score (repeat)."),
    plugin: list[str] = plugin_option(),
    tier: list[str] = typer.Option(
        [], "--tier", help="Tier of the library (repeat; default: every tier but scale)."
    ),
    time_limit: float | None = typer.Option(
        10.0, "--time-limit", help="Seconds per exact solve (0: none)."
    ),
    workers: int = typer.Option(1, help="Worker processes."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per scored answer."),
    out_dir: Path | None = typer.Option(
        None, "--out", help="Write leaderboard.md, scores.jsonl and gap-vs-time.png here."
    ),
    library: str = typer.Option("pl-bench/1", help="The library (a shipped manifest)."),
):
    """Score solvers on the certified benchmark library: per tier, their gap to the proved optima,
    matches, times and errors (docs/BENCHMARK.md)."""
    import json

    from partialload_opt import bench
    from partialload_opt.console import load_plugins, out, progress, time_limit_option
    from partialload_opt.registry import solver_info

    load_plugins(plugin)
    for name in solver:
        solver_info(name, "--solver")
    limit = time_limit_option(time_limit)
    if workers < 1:
        raise InputError("--workers", str(workers), "must be >= 1")
    bench.entries(library, tier or None)  # an unknown library or tier fails before any solve
    with progress("scoring") as tick:
        scores = bench.score(
            solver, version=library, tiers=tier or None, time_limit=limit, workers=workers,
            progress=tick,
        )  # fmt: skip
    text = bench.leaderboard(scores, library)
    if as_json:
        for s in scores:
            print(json.dumps(s.to_dict()))
    else:
        out.print(text, markup=False)
    if out_dir is not None:
        from partialload_opt.fileio import atomic_write_text

        out_dir.mkdir(parents=True, exist_ok=True)
        atomic_write_text(out_dir / "leaderboard.md", text)
        atomic_write_text(
            out_dir / "scores.jsonl", "".join(json.dumps(s.to_dict()) + "\n" for s in scores)
        )
        bench.plot(scores, out_dir / "gap-vs-time.png")
        err.print(f"wrote {out_dir}/leaderboard.md, scores.jsonl, gap-vs-time.png")
    if any(s.error and "certified" in s.error for s in scores):
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
