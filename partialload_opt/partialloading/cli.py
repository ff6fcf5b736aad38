"""PartialLoading's commands of the `partialload` command line (generate, check, evaluate, solvers,
solve, export, import-solution, sweep, plot): a thin layer that parses, calls the library and prints."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from partialload_opt.console import (
    check_choice,
    check_engine,
    duration,
    engine_option,
    err,
    input_errors_exit_2,
    load_plugins,
    out,
    plugin_option,
    print_table,
    progress,
    scheduler_option,
    time_limit_option,
    workers_option,
)
from partialload_opt.errors import InputError
from partialload_opt.partialloading import generate as gen
from partialload_opt.partialloading.instance import load_instance, save_instance
from partialload_opt.partialloading.schedule import Semantics, evaluate, load_schedule
from partialload_opt.results import Status

app = typer.Typer(no_args_is_help=True)


@app.command("generate")
@input_errors_exit_2
def generate_cmd(
    out_file: Path = typer.Option(..., "--out", help="Instance JSON to write."),
    case: str = typer.Option("bls", help="bls | general"),
    users: int = typer.Option(80, help="K, number of users."),
    models: int | None = typer.Option(
        None, help="I, number of models (default 50 BLS, 25 general)."
    ),
    bandwidth_mhz: float = typer.Option(200.0, "--bandwidth-mhz", help="B in MHz."),
    deadline_ms: float = typer.Option(700.0, "--deadline-ms", help="Tbar in ms."),
    theta: float = typer.Option(
        0.85, help="Average share ratio of layers (0..1, or a percent > 1)."
    ),
    seed: int = typer.Option(0, help="Seed of the realization."),
    profile: Path | None = typer.Option(
        None,
        help="Hardware profile: a JSON file, or a shipped profile's name (partialload_opt/profiles/).",
    ),
    set_: list[str] = typer.Option(
        [], "--set", help="Override any generator constant: NAME=VALUE."
    ),
):
    """Generate one instance of the paper's simulation setup (Section VII)."""
    cfg = gen.GeneratorConfig(
        case=case,
        users=users,
        models=models,
        bandwidth_mhz=bandwidth_mhz,
        deadline_ms=deadline_ms,
        theta=theta / 100 if theta > 1 else theta,
        seed=seed,
        profile=str(profile) if profile else None,
    )
    cfg = gen.with_settings(cfg, set_)
    inst = gen.generate(cfg)
    save_instance(inst, out_file)
    sharing = inst.meta.get("sharing", "bls" if inst.is_bls else "general")
    out.print(f"wrote {out_file}: {inst.name} (K={inst.K}, I={inst.I}, sharing {sharing})")
    if cfg.case == "general" and sharing == "bls":
        err.print(
            "warning: --case general gave nested sharing (BLS): with at most two fine-tuned "
            "models per architecture their shared blocks are always nested; use more --models",
            markup=False,
        )


def _bandwidth_option(value: str | None):
    from partialload_opt.partialloading.bandwidth import BandwidthRule

    try:
        return BandwidthRule.parse(value) if value else None
    except ValueError as e:
        raise InputError("--bandwidth", value or "", str(e)) from None


@app.command("evaluate")
@input_errors_exit_2
def evaluate_cmd(
    instance: Path,
    schedule: Path,
    semantics: str = typer.Option("continuous", help="continuous | slotted"),
    loading: str = typer.Option("shared", help="shared | independent"),
    bandwidth: str | None = typer.Option(None, help="optimal | equal:R (default: the schedule's)"),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    gantt: Path | None = typer.Option(None, help="Write a Gantt chart (PNG/PDF)."),
):
    """Score a schedule with the one evaluator."""
    semantics = Semantics.parse(semantics, "--semantics")
    check_choice("loading", loading, ("shared", "independent"))
    inst = load_instance(instance)
    sched = load_schedule(schedule)
    ev = evaluate(
        inst, sched, semantics=semantics, loading=loading, bandwidth=_bandwidth_option(bandwidth)
    )
    if gantt:
        from partialload_opt.partialloading.gantt import save_gantt

        save_gantt(ev, gantt)
    if as_json:
        print(json.dumps(ev.to_dict()))
        return
    print_evaluation(ev)


def print_evaluation(ev) -> None:
    t = Table(title=f"{ev.semantics} / {ev.loading} loading / bandwidth {ev.bandwidth}")
    for col in (
        "batch",
        "model",
        "users",
        "start ms",
        "upload ms",
        "load ms",
        "compute ms",
        "end ms",
        "on time",
    ):
        t.add_column(col, justify="right" if col not in ("model",) else "left")
    for b in ev.batches:
        t.add_row(
            str(b.index),
            b.model,
            str(len(b.users)),
            f"{b.start_s * 1e3:.3f}",
            f"{b.upload_s * 1e3:.3f}",
            f"{b.load_s * 1e3:.3f}",
            f"{b.compute_s * 1e3:.3f}",
            f"{b.end_s * 1e3:.3f}",
            "yes" if b.on_time else "[red]no[/]",
        )
    print_table(t)
    out.print(
        f"served {ev.served}, makespan {ev.makespan_s * 1e3:.3f} ms"
        + (f", {ev.slots_used} slots" if ev.slots_used is not None else "")
        + (", feasible" if ev.feasible else f", [red]{len(ev.violations)} violation(s)[/]")
    )
    for v in ev.violations:
        out.print(f"  - {v}", markup=False)


@app.command("solvers")
@input_errors_exit_2
def solvers_cmd(
    plugin: list[str] = plugin_option(),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per solver."),
):
    """List the registered solvers and where each comes from (imports no solver backend)."""
    from partialload_opt.registry import solvers

    load_plugins(plugin)
    infos = list(solvers(None).values())
    rows = [i.to_dict() for i in infos]
    if as_json:
        for row in rows:
            print(json.dumps(row))
        return
    t = Table(title="solvers")
    for col in ("name", "problem", "exact", "semantics", "cases", "from", "what"):
        t.add_column(col, no_wrap=col != "what", overflow="fold")
    for i in infos:
        extra = i.missing_extra()
        t.add_row(
            i.name,
            i.problem,
            "yes" if i.exact else "no",
            ", ".join(i.semantics) or "-",
            i.traits.get("cases", "any"),
            i.origin + (f" (needs [{extra}])" if extra else ""),
            i.doc,
        )
    print_table(t)


@app.command("solve")
@input_errors_exit_2
def solve_cmd(
    instance: Path,
    solver: list[str] = typer.Option(
        ["dp-exact"], "--solver", help="Solver name (repeat), or 'all'."
    ),
    semantics: str = typer.Option(
        "auto",
        help="auto (each solver's own: continuous where supported, else slotted) | "
        "continuous | slotted | both",
    ),
    time_limit: float | None = typer.Option(
        60.0, "--time-limit", help="Seconds per exact solver (0: none)."
    ),
    bandwidth: str = typer.Option("optimal", help="optimal | equal:R"),
    threads: int | None = typer.Option(None, help="Solver threads (exact models)."),
    mip_gap: float = typer.Option(
        0.0, "--mip-gap", help="Relative gap at which exact models may stop."
    ),
    seed: int | None = typer.Option(None, help="Solver random seed."),
    warm_start: str | None = typer.Option(
        None,
        "--warm-start",
        help="Start exact models from this solver's schedule (default auto: a small dp-exact, its chain DP, or greedy-paper).",
    ),
    log: Path | None = typer.Option(None, help="Write exact solvers' logs to this file."),
    isolate: bool = typer.Option(
        False, help="Run each solver in a worker process (hard time limit)."
    ),
    out_file: Path | None = typer.Option(None, "--out", help="Write the (best) schedule here."),
    gantt: Path | None = typer.Option(None, help="Gantt chart of the (best) schedule."),
    gantt_all: bool = typer.Option(
        False, "--gantt-all", help="With --gantt: every run's schedule, stacked on one time axis."
    ),
    as_json: bool = typer.Option(False, "--json", help="JSON object (one run) or list."),
    plugin: list[str] = plugin_option(),
):
    """Solve an instance with one, several or all solvers; every schedule is re-scored."""
    from partialload_opt.partialloading.solving import solve_many
    from partialload_opt.registry import chosen_solvers

    load_plugins(plugin)
    check_choice("semantics", semantics, ("auto", "continuous", "slotted", "both"))
    rule = _bandwidth_option(bandwidth)
    time_limit = time_limit_option(time_limit)
    inst = load_instance(instance)
    names = chosen_solvers(solver, "partialload")
    options = dict(threads=threads, seed=seed, log=str(log) if log else None, gap=mip_gap or None)

    def started(n, total, info, sem):
        limit = f", limit {time_limit:g} s" if time_limit and info.exact else ""
        status.update(f"[{n}/{total}] {info.name} ({sem}){limit}")

    with err.status("") as status:  # which solver is running: a time limit is not a hang
        solved = solve_many(
            inst,
            names,
            semantics,
            isolate=isolate,
            time_limit=time_limit,
            bandwidth=rule,
            options={k: v for k, v in options.items() if v is not None},
            warm_start=warm_start,
            on_start=started,
        )
    results = solved.results
    _write_best(inst, results, out_file, gantt, gantt_all)
    failed = [r for r in results if r.status is Status.ERROR]
    if as_json:
        docs = [r.to_dict() for r in results]
        print(json.dumps(docs[0] if len(solved.runs) == 1 else docs))
    else:
        _print_results(inst, rule, solved)
    if failed:
        if not as_json:
            err.print(
                f"error: {', '.join(f'{r.solver} ({r.semantics})' for r in failed)} ended in error"
            )
        raise typer.Exit(1)


def _write_best(inst, results, out_file: Path | None, gantt: Path | None, gantt_all: bool) -> None:
    """--out: the best schedule; --gantt: its chart, or with --gantt-all every run's, stacked."""
    from partialload_opt.partialloading.solving import best_result

    best = best_result(results)
    if best is None:
        return
    if out_file:
        from partialload_opt.partialloading.schedule import save_schedule

        save_schedule(best.schedule, out_file)
    if gantt:
        from partialload_opt.partialloading.gantt import save_gantts

        charted = [r for r in results if r.status is not Status.ERROR] if gantt_all else [best]
        save_gantts(
            [
                (
                    evaluate(inst, r.schedule, semantics=r.semantics),
                    f"{r.solver} ({r.semantics}): {r.status.value}, served {r.served}"
                    + ("" if r.bound is None else f", bound {r.bound:g}"),
                )
                for r in charted
            ],
            gantt,
        )


def _print_results(inst, rule, solved) -> None:
    """The table (status, served, bound, gap, time per run) and its notes."""
    results = solved.results
    t = Table(
        title=f"{inst.name}: K={inst.K}, I={inst.I}, {'BLS' if inst.is_bls else 'general'}, "
        f"bandwidth {rule}"
    )
    for col in ("solver", "semantics", "status", "served", "bound", "gap", "time"):
        t.add_column(
            col,
            justify="left" if col in ("solver", "status", "semantics") else "right",
            no_wrap=True,
        )
    for r in sorted(results, key=lambda r: (r.semantics, -r.served)):
        t.add_row(
            r.solver,
            r.semantics,
            r.status.value if r.status is not Status.ERROR else "[red]error[/]",
            str(r.served),
            "-" if r.bound is None else f"{r.bound:g}",
            "-" if r.gap is None else f"{r.gap:g}",
            duration(r.wall_s),
        )
    print_table(t)
    out.print(
        "bound: the best valid bound of the run in that semantics (the solver's own, another row's "
        "or a cheap one); gap: users below it.",
        style="dim",
    )
    if any(r.status is Status.TIMEOUT for r in results):
        out.print(
            "timeout: the solver hit --time-limit; 'served' is the best schedule it found (re-scored) "
            "and 'bound' what it proved no schedule can beat; raise the limit to close the gap.",
            style="dim",
        )
    for r in results:
        if r.message:
            out.print(f"{r.solver} ({r.semantics}): {r.message}", markup=False)
        elif r.proved_by and "'s bound" in str(r.bound_source):
            out.print(
                f"{r.solver} ({r.semantics}): optimal, proved by {r.bound_source}",
                markup=False,
                style="dim",
            )
        elif r.form_optimal and r.not_proved:
            out.print(
                f"{r.solver} ({r.semantics}): optimal over Theorem 2's form only, no bound: "
                f"{r.not_proved}",
                markup=False,
                style="dim",
            )
    for name, sem, why in solved.skipped:
        out.print(f"{name} ({sem}): not run: {why}", markup=False)


@app.command("export")
@input_errors_exit_2
def export_cmd(
    instance: Path,
    model: str = typer.Option(..., help="milp-batch | milp-compact"),
    semantics: str = typer.Option("continuous", help="continuous | slotted"),
    fmt: str = typer.Option("mps", "--format", help="mps | lp"),
    bandwidth: str = typer.Option("optimal", help="optimal | equal:R"),
    out_file: Path = typer.Option(..., "--out", help="Model file to write (and OUT.names.json)."),
):
    """Write an exact model for any MILP solver, with a variable-name map."""
    from partialload_opt.partialloading.formulations.export import export_model, names_path

    semantics = Semantics.parse(semantics, "--semantics")
    inst = load_instance(instance)
    path = export_model(
        inst, model, semantics, fmt, out_file, _bandwidth_option(bandwidth) or "optimal"
    )
    out.print(f"wrote {path} and {names_path(path)}")


@app.command("import-solution")
@input_errors_exit_2
def import_solution_cmd(
    instance: Path,
    model: str = typer.Option(..., help="milp-batch | milp-compact"),
    solution: Path = typer.Option(..., help="The solver's solution file."),
    names: Path | None = typer.Option(
        None, help="The export's .names.json (default: beside the model)."
    ),
    semantics: str | None = typer.Option(None, help="Defaults to the export's."),
    out_file: Path | None = typer.Option(None, "--out", help="Write the schedule here."),
    as_json: bool = typer.Option(False, "--json", help="Print the evaluation as JSON."),
):
    """Turn a solver's solution of an exported model into a schedule and evaluate it."""
    from partialload_opt.partialloading.formulations.export import import_solution
    from partialload_opt.partialloading.schedule import save_schedule

    inst = load_instance(instance)
    sched = import_solution(inst, model, solution, names, semantics)
    sem = semantics or "continuous"
    if names and names.exists():
        sem = semantics or json.loads(names.read_text()).get("semantics", "continuous")
    ev = evaluate(inst, sched, semantics=sem)
    if out_file:
        save_schedule(sched, out_file)
    if as_json:
        print(json.dumps(ev.to_dict()))
    else:
        print_evaluation(ev)


@app.command("sweep")
@input_errors_exit_2
def sweep_cmd(
    which: str = typer.Argument(..., help="fig6 | fig7 | fig8 | fig9 | NAME.toml"),
    realizations: int | None = typer.Option(
        None, help="Channel realizations per point (default 1000)."
    ),
    solvers: str | None = typer.Option(
        None, help="Comma-separated solver names to keep (default: the figure's)."
    ),
    engine: str = engine_option(),
    workers: int = workers_option(),
    scheduler: str | None = scheduler_option(),
    exact_realizations: int = typer.Option(
        20,
        "--exact-realizations",
        help="Realizations per point that also get the slow exact slotted solve.",
    ),
    out_dir: Path = typer.Option(Path("runs/sweep"), "--out", help="Folder of the results store."),
    resume: bool = typer.Option(False, help="Continue the sweep already in --out."),
    plugin: list[str] = plugin_option(),
):
    """Reproduce a figure of Section VII (or run a TOML sweep); results are durable as they finish.
    --solvers keeps the figure's runs of those solvers and adds any other registered solver."""
    from partialload_opt.partialloading.experiments import figures
    from partialload_opt.partialloading.experiments.sweep import run_sweep

    load_plugins(plugin)
    check_engine(engine, workers, scheduler)
    keep = [s.strip() for s in solvers.split(",") if s.strip()] if solvers else None
    panels, realizations = figures.sweep_panels(which, realizations, keep)
    store_path = out_dir / "results.sqlite"
    if store_path.exists() and not resume:
        raise InputError(
            str(store_path), "", "exists: pass --resume to continue it, or choose another --out"
        )
    with progress(which) as advance:
        store = run_sweep(
            panels,
            out_dir,
            realizations,
            engine,
            workers,
            scheduler,
            exact_realizations,
            advance,
        )
    n = len(store.frame())
    store.close()
    out.print(f"{which}: {n} rows in {store_path}")


@app.command("plot")
@input_errors_exit_2
def plot_cmd(
    run_dir: Path = typer.Argument(..., help="A sweep's --out folder."),
    plugin: list[str] = plugin_option(),
):
    """Draw every panel of a sweep (PNG + PDF) and write the relative-gain tables."""
    load_plugins(plugin)
    from partialload_opt.partialloading.experiments.plots import plot_sweep
    from partialload_opt.partialloading.experiments.store import Store

    path = run_dir / "results.sqlite"
    if not path.exists():
        raise InputError(str(path), "", "does not exist (run partialload sweep first)")
    store = Store(path)
    df = store.frame()
    store.close()
    if df.empty:
        raise InputError(str(path), "rows", "is empty")
    for p in plot_sweep(df, run_dir):
        out.print(f"wrote {p}")
