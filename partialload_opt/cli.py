"""`partialload` command line: a thin layer that parses, calls the library and prints."""

from __future__ import annotations

import contextlib
import functools
import json
import math
import sys
import warnings
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from partialload_opt import generate as gen
from partialload_opt.errors import InputError
from partialload_opt.instance import instance_summary, load_instance, save_instance
from partialload_opt.schedule import Semantics, evaluate, load_schedule

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="PartialLoading scheduling: instances, the evaluator, solvers, verification.",
)
out = Console(soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


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


PLUGIN_HELP = (
    "Import MODULE (or FILE.py) first: its register_solver / register_claim run (repeatable)."
)


def _plugin_option():
    return typer.Option([], "--plugin", metavar="MODULE", help=PLUGIN_HELP)


def _load_plugins(specs: list[str]) -> None:
    from partialload_opt.plugins import load_plugins

    load_plugins(specs)


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
    out.print(
        f"wrote {out_file}: {inst.name} (K={inst.K}, I={inst.I}, "
        f"{'BLS' if inst.is_bls else 'general'})"
    )


@app.command("check")
@input_errors_exit_2
def check_cmd(
    instances: list[Path] = typer.Argument(..., help="Instance files."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per line."),
):
    """Validate instances and print a summary of each."""
    bad = 0
    for path in instances:
        try:
            inst = _load_any(path)
        except InputError as e:
            err.print(f"error: {e}", markup=False)
            bad += 1
            continue
        if not hasattr(inst, "is_bls"):  # a QPART instance
            out.print(
                f"{path}: {inst.name} QPART L={inst.L} partitions={list(inst.partitions)}",
                markup=False,
            )
            continue
        s = instance_summary(inst)
        if as_json:
            print(json.dumps({"file": str(path)} | s))
            continue
        l_text = ""
        if s["bls"]:
            l_text = " l_i per cluster: " + "; ".join(
                ",".join(str(inst.l[i]) for i in c) for c in inst.cluster_order
            )
            l_text = l_text if len(l_text) < 200 else l_text[:197] + "..."
        out.print(
            f"[bold]{path}[/]: {s['name']}  K={s['K']} I={s['I']} blocks={s['blocks']} "
            f"bytes={s['total_bytes']:.4g} clusters={s['clusters']} "
            f"{'BLS' if s['bls'] else 'general (' + s['bls_reason'] + ')'}"
            f" b_max={s['b_max']} T={s['slots']} slots, "
            f"{'some user can be served' if s['any_user_servable'] else '[red]no user can be served[/]'}"
            f"{l_text}",
            highlight=False,
        )
    if bad:
        raise typer.Exit(2)


def _bandwidth_option(value: str | None):
    from partialload_opt.bandwidth import BandwidthRule

    try:
        return BandwidthRule.parse(value) if value else None
    except ValueError as e:
        raise InputError("--bandwidth", value or "", str(e)) from None


@contextlib.contextmanager
def _progress(label: str):
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


def _time_limit_option(value: float | None) -> float | None:
    """--time-limit: a finite number of seconds >= 0 (0: no limit)."""
    if value is None:
        return None
    if not math.isfinite(value) or value < 0:
        raise InputError(
            "--time-limit", f"{value:g}", "must be a finite number of seconds >= 0 (0: no limit)"
        )
    return value or None


def _check_choice(name: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise InputError(f"--{name}", value, f"must be one of {', '.join(choices)}")


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
    _check_choice("loading", loading, ("shared", "independent"))
    inst = load_instance(instance)
    sched = load_schedule(schedule)
    ev = evaluate(
        inst, sched, semantics=semantics, loading=loading, bandwidth=_bandwidth_option(bandwidth)
    )
    if gantt:
        from partialload_opt.gantt import save_gantt

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
    out.print(t)
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
    plugin: list[str] = _plugin_option(),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per solver."),
):
    """List the registered solvers and where each comes from (imports no solver backend)."""
    from partialload_opt.registry import solvers

    _load_plugins(plugin)
    infos = list(solvers(None).values())
    rows = [
        {
            "name": i.name,
            "problem": i.problem,
            "exact": i.exact,
            "semantics": list(i.semantics),
            "cases": i.cases,
            "bandwidths": list(i.bandwidths),
            "form": i.form,
            "origin": i.origin,
            "missing_extra": i.missing_extra(),
            "doc": i.doc,
        }
        for i in infos
    ]
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
            i.cases,
            i.origin + (f" (needs [{extra}])" if extra else ""),
            i.doc,
        )
    out.print(t)


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
    as_json: bool = typer.Option(False, "--json", help="JSON object (one run) or list."),
    plugin: list[str] = _plugin_option(),
):
    """Solve an instance with one, several or all solvers; every schedule is re-scored."""
    from partialload_opt.registry import solver_info, solvers
    from partialload_opt.results import Unsupported
    from partialload_opt.solving import best_bounds, best_result, plan, solve, solve_isolated

    _load_plugins(plugin)

    _check_choice("semantics", semantics, ("auto", "continuous", "slotted", "both"))
    rule = _bandwidth_option(bandwidth)
    time_limit = _time_limit_option(time_limit)
    inst = load_instance(instance)
    table = solvers()
    # 'all': every solver whose backend is installed
    names = [n for n in table if not table[n].missing_extra()] if solver == ["all"] else solver
    for name in names:
        solver_info(name, "--solver")
    runs = plan(names, semantics)
    options: dict = {
        k: v
        for k, v in dict(
            threads=threads, seed=seed, warm_start=warm_start, log=str(log) if log else None
        ).items()
        if v is not None
    }
    if mip_gap:
        options["mip_gap"] = mip_gap
    results, skipped = [], []
    with err.status("") as status:  # which solver is running: a time limit is not a hang
        for n, (name, sem) in enumerate(runs, 1):
            status.update(
                f"[{n}/{len(runs)}] {name} ({sem})"
                + (f", limit {time_limit:g} s" if time_limit and table[name].exact else "")
            )
            try:
                opts = options if table[name].exact else {}
                run = solve_isolated if isolate else solve
                results.append(
                    run(inst, name, semantics=sem, time_limit=time_limit, bandwidth=rule, **opts)
                )
            except Unsupported as e:
                if len(runs) == 1:
                    raise
                skipped.append((name, sem, e.rule))
    best = best_result(results)
    if best is not None and out_file:
        from partialload_opt.schedule import save_schedule

        save_schedule(best.schedule, out_file)
    if best is not None and gantt:
        from partialload_opt.gantt import save_gantt

        save_gantt(
            evaluate(inst, best.schedule, semantics=best.semantics),
            gantt,
            title=f"{best.solver} ({best.semantics}): served {best.served}",
        )
    failed = [r for r in results if r.status.value == "error"]
    if as_json:
        docs = [r.to_dict() for r in results]
        print(json.dumps(docs[0] if len(runs) == 1 else docs))
        if failed:
            raise typer.Exit(1)
        return
    top = best_bounds(results)
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
        gap = f"{top[r.semantics] - r.served:g}" if r.semantics in top else "-"
        shown = r.status.value if r.status.value != "error" else "[red]error[/]"
        t.add_row(
            r.solver,
            r.semantics,
            shown,
            str(r.served),
            "-" if r.bound is None else f"{r.bound:g}",
            gap,
            _duration(r.wall_s),
        )
    out.print(t)
    out.print("gap: users below the best proved bound of the same semantics.", style="dim")
    if any(r.status.value == "timeout" for r in results):
        out.print(
            "timeout: the solver hit --time-limit; 'served' is the best schedule it found (re-scored) "
            "and 'bound' what it proved no schedule can beat; raise the limit to close the gap.",
            style="dim",
        )
    for r in results:
        if r.message:
            out.print(f"{r.solver} ({r.semantics}): {r.message}", markup=False)
        elif r.stats.get("not_proved"):
            out.print(
                f"{r.solver} ({r.semantics}): optimal over Theorem 2's form only, no bound: "
                f"{r.stats['not_proved']}",
                markup=False,
                style="dim",
            )
    if failed:
        err.print(
            f"error: {', '.join(f'{r.solver} ({r.semantics})' for r in failed)} ended in error"
        )
        raise typer.Exit(1)
    for name, sem, why in skipped:
        out.print(f"{name} ({sem}): not run: {why}", markup=False)


def _duration(seconds: float) -> str:
    """Milliseconds below one second, seconds above."""
    return f"{seconds * 1e3:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


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
    from partialload_opt.formulations.export import export_model, names_path

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
    from partialload_opt.formulations.export import import_solution
    from partialload_opt.schedule import save_schedule

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


def _load_any(path: Path):
    """A PartialLoading or a QPART instance, by its format."""
    from partialload_opt.fileio import read_json
    from partialload_opt.verify import problems

    return problems.load(read_json(path), str(path))


def _range(text: str, what: str) -> tuple[int, int]:
    try:
        a, _, b = text.partition("..")
        lo, hi = int(a), int(b or a)
    except ValueError:
        raise InputError(f"--{what}", text, "must be A..B (whole numbers)") from None
    if lo < 1 or hi < lo:
        raise InputError(f"--{what}", text, "must satisfy 1 <= A <= B")
    return lo, hi


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
    case: str = typer.Option("both", help="bls | general | both (generated instances)"),
    users: str = typer.Option("3..7", help="K range A..B of generated instances."),
    models: str = typer.Option("2..4", help="I range A..B of generated instances."),
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
        help="Where counterexamples go (default instances/counterexamples if it exists, else REPORT/counterexamples).",
    ),
    solver: list[str] = typer.Option(
        [], "--solver", help="Also check that this solver serves the optimum (repeat)."
    ),
    plugin: list[str] = _plugin_option(),
    problem: str = typer.Option("partialload", help="partialload | qpart: whose claims to check."),
):
    """Check the paper's claims (and users' claims and solvers) on instances; shrink and save every kind
    of violation found. With only --solver, just the named solvers are checked."""
    from partialload_opt.verify import pipeline, runner

    _load_plugins(plugin)
    _check_choice("case", case, ("bls", "general", "both"))
    time_limit = _time_limit_option(time_limit) or 3600.0
    _check_choice("problem", problem, ("partialload", "qpart"))
    chosen = pipeline.choose_claims(
        [c.strip() for c in claims.split(",") if c.strip()] if claims else None, solver, problem
    )
    insts = []
    for folder in instances:
        files = sorted(folder.glob("*.json")) if folder.is_dir() else [folder]
        if folder.is_dir() and not files:
            raise InputError(str(folder), "", "holds no *.json instance")
        insts += [_load_any(f) for f in files]
    if generate_n and problem == "qpart":
        insts += list(runner.generated_qpart(generate_n, seed))
    elif generate_n:
        insts += list(
            runner.generated(
                generate_n, case, _range(users, "users"), _range(models, "models"), seed
            )
        )
    if not insts:
        raise InputError("verify", "", "no instances: give --instances and/or --generate N")
    with _progress("verify") as progress:
        paper = any(not c.startswith("solver:") for c in chosen)  # a user's solver's: report folder
        cx_folder = counterexamples or (
            Path("instances/counterexamples")
            if paper and Path("instances/counterexamples").is_dir()
            else None
        )
        doc = pipeline.verify(
            insts,
            chosen,
            report,
            workers=workers,
            time_limit=time_limit,
            shrink_per_entry=shrink_per_entry,
            counterexamples=cx_folder,
            seed=seed,
            progress=progress,
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
    engine: str = typer.Option("local", help="local | dask"),
    workers: int = typer.Option(1, help="Worker processes (local) or Dask workers (LocalCluster)."),
    scheduler: str | None = typer.Option(None, help="Address of an existing Dask scheduler."),
    exact_realizations: int = typer.Option(
        20,
        "--exact-realizations",
        help="Realizations per point that also get the slow exact slotted solve.",
    ),
    out_dir: Path = typer.Option(Path("runs/sweep"), "--out", help="Folder of the results store."),
    resume: bool = typer.Option(False, help="Continue the sweep already in --out."),
    plugin: list[str] = _plugin_option(),
):
    """Reproduce a figure of Section VII (or run a TOML sweep); results are durable as they finish.
    --solvers keeps the figure's runs of those solvers and adds any other registered solver."""
    from partialload_opt.experiments import figures
    from partialload_opt.experiments.sweep import run_sweep

    _load_plugins(plugin)
    _check_choice("engine", engine, ("local", "dask"))
    if which.endswith(".toml"):
        _, panels, opts = figures.from_toml(Path(which))
        realizations = realizations or opts.get("realizations") or 100
    else:
        panels = figures.figure(which)
        realizations = realizations or 1000
    if realizations < 1:
        raise InputError("--realizations", str(realizations), "must be >= 1")
    if solvers:
        panels = figures.keep_solvers(panels, [s.strip() for s in solvers.split(",") if s.strip()])
    store_path = out_dir / "results.sqlite"
    if store_path.exists() and not resume:
        raise InputError(
            str(store_path), "", "exists: pass --resume to continue it, or choose another --out"
        )
    with _progress(which) as progress:
        store = run_sweep(
            panels,
            out_dir,
            realizations,
            engine,
            workers,
            scheduler,
            exact_realizations,
            progress,
        )
    n = len(store.frame())
    store.close()
    out.print(f"{which}: {n} rows in {store_path}")


@app.command("plot")
@input_errors_exit_2
def plot_cmd(
    run_dir: Path = typer.Argument(..., help="A sweep's --out folder."),
    plugin: list[str] = _plugin_option(),
):
    """Draw every panel of a sweep (PNG + PDF) and write the relative-gain tables."""
    _load_plugins(plugin)
    from partialload_opt.experiments.plots import plot_sweep
    from partialload_opt.experiments.store import Store

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


def _add_qpart() -> None:
    from partialload_opt.qpart.cli import app as qpart_app

    app.add_typer(qpart_app, name="qpart")


_add_qpart()


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)


if __name__ == "__main__":
    main()
