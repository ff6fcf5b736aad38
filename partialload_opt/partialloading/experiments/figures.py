"""The paper's experiments (Section VII, Figs. 6-9) and user sweeps from TOML, as data.

A sweep is a list of panels; a panel varies one generator setting over a grid, the rest at the
figure's defaults, and runs a list of (solver, semantics, bandwidth) on every realization."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from partialload_opt.errors import InputError
from partialload_opt.partialloading.generate import GeneratorConfig

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DEFAULTS: dict[str, float] = {
    "bandwidth_mhz": 200.0,
    "users": 80,
    "deadline_ms": 700.0,
    "theta": 0.85,
    "slot_ms": 10.0,
}
GRIDS: dict[str, list[float]] = {
    "bandwidth_mhz": [10, 50, 100, 200, 300, 400],
    "users": [60, 70, 80, 90, 100],
    "deadline_ms": [500, 600, 700, 800, 900],
    "theta": [0.75, 0.80, 0.85, 0.90, 0.95],
}
AXIS_LABEL = {
    "bandwidth_mhz": "B (MHz)",
    "users": "K",
    "deadline_ms": "Tbar (ms)",
    "theta": "theta",
}


@dataclass(frozen=True)
class Run:
    solver: str
    semantics: str
    bandwidth: str = "optimal"
    exact_subsample: bool = (
        False  # run only on the first `exact_realizations` seeds (slow exact solves)
    )

    @property
    def label(self) -> str:
        tail = "" if self.bandwidth == "optimal" else f" [{self.bandwidth}]"
        return f"{self.solver} ({self.semantics}){tail}"


@dataclass(frozen=True)
class Panel:
    figure: str
    panel: str
    axis: str  # the generator setting varied
    values: tuple
    case: str
    runs: tuple[Run, ...]
    fixed: dict = field(default_factory=dict)  # settings other than DEFAULTS

    def config(self, x, seed: int, library_seed: int | None = 0) -> GeneratorConfig:
        kw = dict(DEFAULTS, **self.fixed)
        kw[self.axis] = x
        return GeneratorConfig(case=self.case, seed=seed, library_seed=library_seed, **kw)


def _paper_runs(case: str) -> tuple[Run, ...]:
    heur = [Run("greedy-paper", "slotted"), Run("independent", "slotted")]
    if case == "bls":
        heur.insert(0, Run("dp-paper", "slotted"))
    # slotted optima proved in each case: cpsat's Theorem-2 form is exact on nested (BLS) sharing;
    # general sharing needs the theorem-free cpsat-segment (formulations/cpsat-segment.md)
    slotted = "cpsat" if case == "bls" else "cpsat-segment"
    exact = [Run("dp-exact", "continuous"), Run(slotted, "slotted", exact_subsample=True)]
    return tuple(heur + exact)


def _fig8_runs(case: str) -> tuple[Run, ...]:
    algo = "dp-paper" if case == "bls" else "greedy-paper"
    return tuple(
        [Run(algo, "slotted")]
        + [Run(algo, "slotted", f"equal:{r}") for r in (5, 10, 20)]
        + [Run("dp-exact", "continuous")]
    )


def figure(name: str) -> list[Panel]:
    if name in ("fig6", "fig7"):
        case = "bls" if name == "fig6" else "general"
        return [
            Panel(name, p, axis, tuple(GRIDS[axis]), case, _paper_runs(case))
            for p, axis in zip("abcd", ("bandwidth_mhz", "users", "deadline_ms", "theta"))
        ]
    if name == "fig8":
        return [
            Panel(name, p, axis, tuple(GRIDS[axis]), case, _fig8_runs(case))
            for p, case, axis in (
                ("a", "bls", "bandwidth_mhz"),
                ("b", "bls", "users"),
                ("c", "general", "bandwidth_mhz"),
                ("d", "general", "users"),
            )
        ]
    if name == "fig9":
        runs = [
            Run("greedy-paper", "slotted"),
            Run("exhaustive", "slotted"),
            Run("dp-exact", "slotted"),
            Run("dp-exact", "continuous"),
        ]
        return [
            Panel(
                name,
                "a",
                "users",
                (20,),
                "bls",
                (Run("dp-paper", "slotted"), *runs),
                {"models": 5, "deadline_ms": 200.0},
            ),
            Panel(
                name,
                "b",
                "users",
                (20,),
                "general",
                tuple(runs),
                {"models": 5, "deadline_ms": 200.0},
            ),
        ]
    raise InputError("sweep", name, "must be fig6, fig7, fig8, fig9 or a .toml file")


def from_toml(path: Path) -> tuple[str, list[Panel], dict]:
    """A user sweep: name, case, solvers ("name:semantics[:bandwidth]"), grid {setting: [values]},
    generator overrides, realizations."""
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise InputError(str(path), "", f"is not a readable TOML file ({e})") from None
    name = str(doc.get("name", path.stem))
    case = doc.get("case", "bls")
    if case not in ("bls", "general"):
        raise InputError(str(path), "case", "must be bls or general")
    runs = []
    for spec in doc.get("solvers", ["greedy-paper:slotted", "dp-exact:continuous"]):
        parts = str(spec).split(":")
        if len(parts) < 2:
            raise InputError(str(path), "solvers", f"'{spec}' must be name:semantics[:bandwidth]")
        from partialload_opt.registry import solver_info

        solver_info(parts[0], f"{path}: solvers")
        runs.append(Run(parts[0], parts[1], ":".join(parts[2:]) or "optimal"))
    grid = doc.get("grid", {})
    if not grid:
        raise InputError(
            str(path), "grid", "must set at least one generator setting to a list of values"
        )
    known = set(GeneratorConfig.__dataclass_fields__)
    fixed = dict(doc.get("generator", {}))
    for key in list(grid) + list(fixed):
        if key not in known:
            raise InputError(str(path), key, "is not a generator setting")
    panels = [
        Panel(name, chr(ord("a") + n), axis, tuple(values), case, tuple(runs), fixed)
        for n, (axis, values) in enumerate(grid.items())
    ]
    return name, panels, {"realizations": doc.get("realizations")}


def keep_solvers(panels: list[Panel], names: list[str]) -> list[Panel]:
    """--solvers: the panels' runs of these solvers, plus a run of every other named (e.g. a plugin's)
    solver in slotted time where it supports it (the paper's algorithms' semantics), else continuous."""
    from dataclasses import replace

    from partialload_opt.registry import solver_info

    extra = []
    for name in names:
        info = solver_info(name, "--solvers")
        if not any(r.solver == name for p in panels for r in p.runs):
            sem = "slotted" if "slotted" in info.semantics else info.semantics[0]
            extra.append(Run(name, sem, exact_subsample=info.exact))
    return [
        replace(p, runs=tuple(r for r in p.runs if r.solver in names) + tuple(extra))
        for p in panels
    ]


def sweep_panels(
    which: str, realizations: int | None = None, solvers: list[str] | None = None
) -> tuple[list[Panel], int]:
    """The panels and realizations per point of `partialload sweep WHICH`: a figure of Section VII
    (default 1000 realizations) or a NAME.toml sweep (default its own, else 100); ``solvers``: as
    keep_solvers."""
    if which.endswith(".toml"):
        _, panels, opts = from_toml(Path(which))
        realizations = realizations or opts.get("realizations") or 100
    else:
        panels = figure(which)
        realizations = realizations or 1000
    if realizations < 1:
        raise InputError("--realizations", str(realizations), "must be >= 1")
    if solvers is not None:
        panels = keep_solvers(panels, solvers)
    return panels, realizations
