"""`partialload qpart ...`: QPART instances, decisions, solvers and claims from the command line
(parses, calls the library, prints)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import typer
from rich.table import Table

from partialload_opt import console as cli
from partialload_opt.errors import InputError
from partialload_opt.results import Status

app = typer.Typer(
    no_args_is_help=True,
    help="QPART: partition point and layer bit-widths under an accuracy budget.",
)


@app.command("generate")
@cli.input_errors_exit_2
def generate_cmd(
    out_file: Path = typer.Option(..., "--out", help="Instance JSON to write."),
    network: str = typer.Option(
        "mlp", help="mlp | resnet18 | resnet34 | resnet50 | random | digits (trained)"
    ),
    demand: float = typer.Option(
        0.01, help="digits: the accuracy-drop demand A that sets the budget."
    ),
    layers: int | None = typer.Option(None, help="Layers of a random network."),
    seed: int = typer.Option(0, help="Seed of the sensitivities (and of a random network)."),
    price: float | None = typer.Option(
        None, help="Server price per second (mu; default the profile's 0)."
    ),
    reference_bits: int = typer.Option(
        8, "--budget-bits", help="C_A = what every tensor at this width uses."
    ),
    reading: list[str] = typer.Option(
        [], "--reading", help="An open reading: NAME=VALUE (repeat)."
    ),
):
    """Generate a QPART instance (Table II constants, synthetic sensitivities)."""
    from partialload_opt.qpart.generate import generate
    from partialload_opt.qpart.instance import READINGS, qinstance_from_dict, save_qinstance

    readings = {}
    for item in reading:
        key, eq, value = item.partition("=")
        if not eq or key not in READINGS:
            raise InputError(
                "--reading", item, f"must be NAME=VALUE with NAME one of {', '.join(READINGS)}"
            )
        readings[key] = int(value) if key == "reference_bits" and value.isdigit() else value
    if layers is not None and layers < 1:
        raise InputError("--layers", str(layers), "must be >= 1")
    if network == "digits":
        from partialload_opt.qpart.generate import digits

        inst = digits(demand, price, readings)
    else:
        inst = generate(network, seed, layers, reference_bits, price, readings)
    inst = qinstance_from_dict(inst.to_dict(), "generated")  # the schema's rules, readings included
    save_qinstance(inst, out_file)
    cli.out.print(
        f"wrote {out_file}: {inst.name} (L={inst.L}, partitions {len(inst.partitions)}, "
        f"C_A={inst.budget:.4g})"
    )


@app.command("check")
@cli.input_errors_exit_2
def check_cmd(instances: list[Path] = typer.Argument(..., help="QPART instance files.")):
    """Validate QPART instances and print a summary of each (as `partialload check`)."""
    cli.check_instances(instances, as_json=False)


@app.command("solve")
@cli.input_errors_exit_2
def solve_cmd(
    instance: Path,
    solver: list[str] = typer.Option(
        ["qpart-pareto"], "--solver", help="QPART solver (repeat), or 'all'."
    ),
    time_limit: float | None = typer.Option(
        60.0, "--time-limit", help="Seconds per exact solver (0: none)."
    ),
    out_file: Path | None = typer.Option(None, "--out", help="Write the best decision here."),
    as_json: bool = typer.Option(
        False,
        "--json",
        help="One JSON list: a row per requested solver ('not run' with the reason if it refused).",
    ),
    plugin: list[str] = cli.plugin_option(),
):
    """Solve a QPART instance with one, several or all QPART solvers (a plugin's too); every decision
    is re-scored."""
    from partialload_opt.qpart.evaluate import save_decision
    from partialload_opt.qpart.instance import load_qinstance
    from partialload_opt.qpart.solving import QResult, best_decision, solve_many
    from partialload_opt.registry import chosen_solvers

    cli.load_plugins(plugin)
    limit = cli.time_limit_option(time_limit)
    inst = load_qinstance(instance)
    rows = solve_many(inst, chosen_solvers(solver, "qpart"), time_limit=limit)
    results = [r for r in rows if isinstance(r, QResult)]
    best = best_decision(results)
    if out_file and best is not None:
        save_decision(best, out_file)
    measured: dict = {}
    if inst.network_name == "digits":  # the trained network: every decision's real accuracy
        from partialload_opt.qpart.quantize import measure_results

        base, measured = measure_results(inst, results)
        for name, acc in measured.items():
            if not as_json:
                cli.out.print(
                    f"{name}: measured test accuracy {100 * acc:.2f} % (unquantized {100 * base:.2f} %)"
                )
    if as_json:
        docs = [
            r.to_dict()
            | ({"measured_accuracy": measured[r.solver]} if r.solver in measured else {})
            for r in rows
        ]
        print(json.dumps(docs))
    else:
        print_results(inst, rows)
    if any(r.status is Status.ERROR for r in results):
        raise typer.Exit(1)


def print_results(inst, rows: list) -> None:
    """`qpart solve`'s table, then each run's message and each refusal's reason."""
    from partialload_opt.qpart.solving import NotRun

    t = Table(title=f"{inst.name}: L={inst.L}, C_A={inst.budget:.4g}")
    for col in (
        "solver",
        "status",
        "objective",
        "bound",
        "partition",
        "bits",
        "payload",
        "budget used",
        "time",
    ):
        t.add_column(col, no_wrap=col != "bits")
    results = [r for r in rows if not isinstance(r, NotRun)]
    for r in results:
        ev = r.evaluation
        t.add_row(
            r.solver,
            r.status.value,
            "-" if r.objective is None else f"{r.objective:.6g}",
            "-" if r.bound is None else f"{r.bound:.6g}",
            "-" if r.decision is None else str(r.decision.partition),
            "-" if r.decision is None else ",".join(map(str, r.decision.bits)) or "(none)",
            "-" if ev is None else f"{ev.payload:.4g}",
            "-" if ev is None else f"{ev.accuracy_used / inst.budget:.3f}",
            cli.duration(r.wall_s),
        )
    cli.print_table(t)
    for r in results:
        if r.message:
            cli.out.print(f"{r.solver}: {r.message}", markup=False)
    for r in rows:
        if isinstance(r, NotRun):
            cli.out.print(f"{r.solver}: not run: {r.reason}", markup=False)


@app.command("verify")
@cli.input_errors_exit_2
def verify_cmd(
    report: Path = cli.report_option(),
    instances: list[Path] = typer.Option(
        [], "--instances", help="Folders (or files) of QPART instances to check."
    ),
    generate_n: int = typer.Option(
        0, "--generate", help="Also check N generated small instances (random networks)."
    ),
    seed: int = typer.Option(0, help="Seed of the generated instances."),
    claims: str | None = typer.Option(None, help="Comma-separated QPART claim ids (default: all)."),
    workers: int = cli.workers_option(),
    engine: str = cli.engine_option(),
    scheduler: str | None = cli.scheduler_option(),
    time_limit: float = cli.verify_time_limit_option(),
    shrink_per_entry: int = cli.shrink_option(),
    no_shrink: bool = cli.no_shrink_option(),
    counterexamples: Path | None = cli.counterexamples_option(),
    solver: list[str] = typer.Option(
        [], "--solver", help="Also check that this QPART solver finds the optimum (repeat)."
    ),
    plugin: list[str] = cli.plugin_option(),
):
    """Check QPART's claims (and users' QPART claims and solvers) on instances; shrink and save
    every kind of violation found (`partialload verify --problem qpart`). With only --solver, just
    the named solvers are checked."""
    cli.verify_instances(
        "qpart",
        report,
        instances,
        generate_n=generate_n,
        seed=seed,
        claims=claims,
        solver=solver,
        plugin=plugin,
        workers=workers,
        time_limit=time_limit,
        shrink_per_entry=shrink_per_entry,
        no_shrink=no_shrink,
        counterexamples=counterexamples,
        engine=engine,
        scheduler=scheduler,
    )


@app.command("evaluate")
@cli.input_errors_exit_2
def evaluate_cmd(
    instance: Path,
    decision: Path,
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
):
    """Score a QPART decision with the one evaluator."""
    from partialload_opt.qpart.evaluate import check_decision, evaluate, load_decision
    from partialload_opt.qpart.instance import load_qinstance

    inst = load_qinstance(instance)
    d = load_decision(decision)
    check_decision(inst, d, str(decision))
    ev = evaluate(inst, d)
    if as_json:
        print(json.dumps(ev.to_dict()))
        return
    for key, value in ev.to_dict().items():
        cli.out.print(f"{key}: {value}", markup=False)


@app.command("train")
@cli.input_errors_exit_2
def train_cmd(
    seed: int = typer.Option(0, help="Seed of the split and the training."),
    out_file: Path = typer.Option(..., "--out", help="Weights file (.npz) to write."),
):
    """Train the digits classifier (scikit-learn) that QPART's real quantization uses; the package
    ships the seed-0 weights, so nothing trains unless asked."""
    from partialload_opt.fileio import atomic_write_bytes_via
    from partialload_opt.qpart import quantize as q

    net = q.train(seed)
    atomic_write_bytes_via(out_file, lambda tmp: q.save(net, tmp))
    cli.out.print(f"wrote {out_file}: test accuracy {net.meta['test_accuracy']:.4f} ({net.widths})")


@app.command("measure")
@cli.input_errors_exit_2
def measure_cmd(
    instance: Path,
    decision: Path,
    weights: Path | None = typer.Option(None, help="Weights file (default: the shipped network)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
):
    """The real test accuracy of a decision on the trained digits network (instances made with
    --network digits), beside the unquantized network's and the accuracy drop the budget allows."""
    from partialload_opt.qpart import quantize as q
    from partialload_opt.qpart.evaluate import check_decision, load_decision
    from partialload_opt.qpart.instance import load_qinstance

    inst = load_qinstance(instance)
    q.check_digits(inst, str(instance))
    d = load_decision(decision)
    check_decision(inst, d, str(decision))
    base, measured = q.measure(inst, {"decision": d}, weights)
    got = measured["decision"]
    doc = {
        "baseline_accuracy": base,
        "accuracy": got,
        "drop": base - got,
        "demand": inst.meta.get("demand"),
    }
    print(json.dumps(doc)) if as_json else cli.out.print(doc)


@app.command("sweep")
@cli.input_errors_exit_2
def sweep_cmd(
    out_dir: Path = typer.Option(
        Path("runs/qpart"), "--out", help="Folder for results.json and the figures."
    ),
    weights: Path | None = typer.Option(None, help="Weights file (default: the shipped network)."),
    demand: list[float] = typer.Option(
        [], "--demand", help="Accuracy-drop demands (repeat; default 0.005, 0.01, 0.02, 0.05, 0.1)."
    ),
    price: list[float] = typer.Option(
        [], "--price", help="Server prices for the best-partition table (repeat; default 0..10^4)."
    ),
):
    """Section V on the trained digits network: per partition, QPART beside no optimization, the
    autoencoder and the pruning baselines (at the 1 % demand, or the first given), over accuracy
    demands and server prices; results.json and Figs. 3, 5-10 (scripts/qpart_reproduction.py turns
    them into docs/QPART-REPRODUCTION.md)."""
    from partialload_opt.fileio import atomic_write_json
    from partialload_opt.qpart.experiments import DEMANDS, PRICES, section_v
    from partialload_opt.qpart.plots import draw_all

    for d in demand:
        if not 0 < d < 1:
            raise InputError("--demand", f"{d:g}", "must be an accuracy-drop fraction in (0, 1)")
    for mu in price:
        if not (math.isfinite(mu) and mu >= 0):
            raise InputError("--price", f"{mu:g}", "must be a finite number >= 0")
    demands = tuple(demand) or DEMANDS
    with cli.progress("qpart sweep") as progress:
        results = section_v(
            demands,
            tuple(price) or PRICES,
            weights=weights,
            progress=progress,
            scheme_demand=0.01 if 0.01 in demands else demands[0],
        )
    atomic_write_json(out_dir / "results.json", results)
    cli.out.print(f"wrote {out_dir / 'results.json'}")
    for path in draw_all(results, out_dir):
        cli.out.print(f"wrote {path}")
