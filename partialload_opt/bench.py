"""The certified benchmark library (``pl-bench/1``) and the scoring of any solver on it.

A library is named instances in tiers, each with a *certificate* per semantics: the proved optimum
(``proved``), or the best answer known and the best valid bound (an ``open`` entry), with what proved
it and how long that took. Small instances ship as files; large ones as the generator's arguments and
the SHA-256 of the instance they make, checked whenever the instance is made again: a changed
generator is a loud error, never a silent new instance. ``partialload_opt/benchlib/`` holds the
manifests and files; ``scripts/certify_bench.py`` proves them from scratch.

``score`` runs solvers on a library's entries (each answer re-scored by its problem's evaluator,
through ``solve``) and measures each against the certificate: the gap (users below the optimum, or
the relative excess cost for QPART), whether it matches, the time. An answer better than a
certificate's bound is an error (the certificate, or the evaluator, would be wrong). ``leaderboard``
and ``plot`` summarise the scores per tier. ``partialload bench`` is the command line."""

from __future__ import annotations

import hashlib
import json
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from partialload_opt import problem as problems
from partialload_opt.errors import InputError
from partialload_opt.results import Certificate, Status, Unsupported

__all__ = [
    "Certificate",
    "Entry",
    "Score",
    "digest",
    "entries",
    "instance_of",
    "leaderboard",
    "library",
    "plot",
    "score",
    "score_one",
    "summarise",
]

LIBRARY = "pl-bench/1"
"""The library ``partialload bench`` scores against by default."""
DEFAULT_TIERS = ("small", "boundary", "paper", "tight", "qpart")
"""The tiers scored unless others are named (``scale`` is left out: minutes per exact solve)."""


@dataclass(frozen=True, kw_only=True)
class Entry:
    """One named instance of a library: where it comes from and its certificates."""

    name: str
    tier: str
    problem: str
    sha256: str
    file: str | None = None  # package-relative path of the instance file
    generator: dict | None = None  # or the arguments its problem's generator makes it from
    certificates: tuple[Certificate, ...] = ()
    meta: dict = field(default_factory=dict)

    def certificate(self, semantics: str) -> Certificate | None:
        return next((c for c in self.certificates if c.semantics == semantics), None)

    def to_dict(self) -> dict:
        doc = asdict(self)
        doc["certificates"] = [asdict(c) for c in self.certificates]
        return doc

    @classmethod
    def from_dict(cls, doc: dict) -> Entry:
        certs = tuple(Certificate(**c) for c in doc.get("certificates", ()))
        return cls(**{**doc, "certificates": certs})


def digest(inst: Any) -> str:
    """SHA-256 of an instance's canonical JSON (sorted keys, no spaces)."""
    text = json.dumps(inst.to_dict(), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def library_root() -> Path:
    return Path(str(resources.files("partialload_opt") / "benchlib"))


def manifest_path(version: str = LIBRARY) -> Path:
    return library_root() / (version.replace("/", "-") + ".json")


@cache
def library(version: str = LIBRARY) -> tuple[Entry, ...]:
    """The entries of a shipped library, in manifest order."""
    from partialload_opt.fileio import read_json

    path = manifest_path(version)
    if not path.exists():
        known = sorted(p.stem.replace("-", "/", 1) for p in library_root().glob("*.json"))
        raise InputError("library", version, f"is not a shipped library ({', '.join(known)})")
    doc = read_json(path)
    if doc.get("format") != "pl-bench-manifest/1" or doc.get("library") != version:
        raise InputError(str(path), "format", f"is not the manifest of {version}")
    return tuple(Entry.from_dict(e) for e in doc["entries"])


def entries(version: str = LIBRARY, tiers: Sequence[str] | None = None) -> list[Entry]:
    """A library's entries of ``tiers`` (default ``DEFAULT_TIERS``); an unknown tier is an error."""
    every = library(version)
    known = list(dict.fromkeys(e.tier for e in every))
    wanted = list(tiers) if tiers else [t for t in DEFAULT_TIERS if t in known]
    for t in wanted:
        if t not in known:
            raise InputError("tier", t, f"is not a tier of {version} ({', '.join(known)})")
    return [e for e in every if e.tier in wanted]


def instance_of(entry: Entry, root: Path | None = None) -> Any:
    """The entry's instance, loaded from its file or made again by its generator, and checked
    against its hash (a mismatch is an InputError: the file or the generator changed)."""
    prob = problems.get(entry.problem)
    if entry.file is not None:
        from partialload_opt.fileio import read_json

        path = (root or library_root()) / entry.file
        inst = prob.load(read_json(path), str(path))
    else:
        inst = prob.bench_instance(entry.generator or {})
    got = digest(inst)
    if got != entry.sha256:
        how = "its file" if entry.file is not None else "the generator"
        raise InputError(
            entry.name,
            "sha256",
            f"{how} now makes a different instance ({got[:12]} != {entry.sha256[:12]}): a changed "
            "generator or file is never a silent new benchmark instance (re-certify the library)",
        )
    return inst


@dataclass(frozen=True, kw_only=True)
class Score:
    """One solver's answer to one entry in one semantics, against the certificate."""

    solver: str
    entry: str
    tier: str
    problem: str
    semantics: str
    status: str  # the Result's status, or "unsupported"
    value: float | None  # served users (QPART: cost), the evaluator's
    certified: float
    proved: bool  # the certificate is a proved optimum
    gap: float | None  # users below the certified value (QPART: relative excess cost)
    gap_rel: float | None  # gap / certified value (PartialLoading), the relative gap (QPART)
    matched: bool
    seconds: float
    error: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


def _supports(info, semantics: str) -> bool:
    return semantics == "-" or semantics in info.semantics


def score_one(entry_name: str, version: str, solver: str, semantics: str, time_limit) -> Score:
    """Run ``solver`` on one entry in one semantics and score it (a worker process's task)."""
    from partialload_opt.registry import solver_info
    from partialload_opt.solving import solve

    entry = next(e for e in library(version) if e.name == entry_name)
    cert = entry.certificate(semantics)
    assert cert is not None
    prob = problems.get(entry.problem)

    def row(status: str, value=None, gap=None, rel=None, seconds=0.0, error="") -> Score:
        return Score(
            solver=solver,
            entry=entry.name,
            tier=entry.tier,
            problem=entry.problem,
            semantics=semantics,
            status=status,
            value=value,
            certified=cert.value,
            proved=cert.proved,
            gap=gap,
            gap_rel=rel,
            matched=gap is not None and not error and abs(gap) < 1e-9,
            seconds=seconds,
            error=error,
        )

    info = solver_info(solver)
    if info.problem != entry.problem or not _supports(info, semantics):
        return row("unsupported")
    inst = instance_of(entry)
    options: dict = {} if semantics == "-" else {"semantics": semantics}
    if info.exact and time_limit is not None:
        options["time_limit"] = time_limit
    try:
        r = solve(inst, solver, **options)
    except Unsupported as e:
        return row("unsupported", error=e.rule)
    value, gap, rel, error = prob.bench_score(r, cert)
    return row(r.status.value, value, gap, rel, r.wall_s, error)


def tasks(
    solvers: Sequence[str], chosen: Iterable[Entry], version: str = LIBRARY
) -> list[tuple[str, str, str, str]]:
    """(entry, version, solver, semantics) of every certificate of every entry, per solver."""
    return [
        (e.name, version, s, c.semantics) for e in chosen for c in e.certificates for s in solvers
    ]


def score(
    solvers: Sequence[str],
    *,
    version: str = LIBRARY,
    tiers: Sequence[str] | None = None,
    time_limit: float | None = 10.0,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> list[Score]:
    """Score every solver on the library's tiers (default ``DEFAULT_TIERS``), every answer re-scored
    by its problem's evaluator; ``time_limit`` per exact solve; rows of unsupported pairs dropped."""
    from partialload_opt.parallel import run_each

    todo = [(*t, time_limit) for t in tasks(solvers, entries(version, tiers), version)]
    out: list[Score] = []
    for n, (_, got) in enumerate(run_each(score_one, todo, workers), 1):
        if isinstance(got, Score) and got.status != "unsupported":
            out.append(got)
        if progress is not None:
            progress(n, len(todo))
    key = {(e, s, m): n for n, (e, _, s, m, _) in enumerate(todo)}
    return sorted(out, key=lambda r: key[r.entry, r.solver, r.semantics])


@dataclass(frozen=True)
class Summary:
    """One solver's row of one (tier, semantics) table of the leaderboard."""

    tier: str
    semantics: str
    solver: str
    entries: int
    solved: int  # answers that are not errors
    matched: int
    mean_gap: float | None
    worst_gap: float | None
    median_s: float
    worst_s: float
    errors: int
    unit: str  # "users" or "relative cost"


def summarise(scores: Iterable[Score]) -> list[Summary]:
    groups: dict[tuple[str, str, str], list[Score]] = defaultdict(list)
    for s in scores:
        groups[s.tier, s.semantics, s.solver].append(s)
    out = []
    for (tier, sem, solver), rows in groups.items():
        ok = [r for r in rows if r.status != Status.ERROR.value and not r.error]
        gaps = [r.gap for r in ok if r.gap is not None]
        secs = [r.seconds for r in rows]
        out.append(
            Summary(
                tier=tier,
                semantics=sem,
                solver=solver,
                entries=len(rows),
                solved=len(ok),
                matched=sum(r.matched for r in rows),
                mean_gap=statistics.fmean(gaps) if gaps else None,
                worst_gap=max(gaps) if gaps else None,
                median_s=statistics.median(secs),
                worst_s=max(secs),
                errors=len(rows) - len(ok),
                unit="relative cost" if rows[0].problem == "qpart" else "users",
            )
        )
    return out


def _gap(x: float | None, unit: str) -> str:
    if x is None:
        return "-"
    return f"{100 * x:.2f} %" if unit == "relative cost" else f"{x:.2f}"


def leaderboard(scores: Sequence[Score], title: str = LIBRARY) -> str:
    """Markdown: per tier and semantics, one row per solver (best mean gap first)."""
    lines = [f"# Leaderboard: {title}", ""]
    rows = summarise(scores)
    tiers = list(dict.fromkeys(s.tier for s in scores))
    for tier in tiers:
        for sem in sorted({r.semantics for r in rows if r.tier == tier}):
            part = [r for r in rows if r.tier == tier and r.semantics == sem]
            part.sort(key=lambda r: (r.errors, -(r.matched / r.entries), r.mean_gap or 0.0))
            unit = part[0].unit
            head = f"## {tier}" + ("" if sem == "-" else f", {sem}")
            lines += [
                head,
                "",
                f"| solver | entries | solved | matches | mean gap ({unit}) | worst gap | "
                "median time | worst time | errors |",
                "|---|---|---|---|---|---|---|---|---|",
            ]
            for r in part:
                lines.append(
                    f"| {r.solver} | {r.entries} | {r.solved} | {r.matched} | "
                    f"{_gap(r.mean_gap, unit)} | {_gap(r.worst_gap, unit)} | "
                    f"{1000 * r.median_s:.1f} ms | {1000 * r.worst_s:.1f} ms | {r.errors} |"
                )
            lines.append("")
    errors = [s for s in scores if s.error]
    if errors:
        lines += ["## Errors", ""]
        lines += [f"- {s.solver} on {s.entry} ({s.semantics}): {s.error}" for s in errors[:50]]
        lines.append("")
    lines.append(
        "gap: below the certified value (users; QPART: cost above it, relative); a match serves it "
        "exactly; an open entry's value is the best answer known (docs/BENCHMARK.md)."
    )
    return "\n".join(lines) + "\n"


def plot(scores: Sequence[Score], path: Path) -> None:
    """Mean gap against median time, one point per solver and semantics, one panel per tier (log
    time; up to three panels a row; one colour per solver, named in a legend below)."""
    import math

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [r for r in summarise(scores) if r.mean_gap is not None]
    tiers = list(dict.fromkeys(r.tier for r in rows))
    solvers = list(dict.fromkeys(r.solver for r in rows))
    colours = {s: plt.get_cmap("tab20")(n % 20) for n, s in enumerate(solvers)}
    cols = min(3, max(len(tiers), 1))
    nrows = max(1, math.ceil(len(tiers) / cols))
    fig, axes = plt.subplots(nrows, cols, figsize=(5 * cols, 3.6 * nrows), squeeze=False)
    for ax, tier in zip(axes.flat, tiers):
        for r in (r for r in rows if r.tier == tier):
            x = max(r.median_s, 1e-5)
            marker = {"continuous": "s", "slotted": "o"}.get(r.semantics, "D")
            ax.scatter(x, r.mean_gap, color=colours[r.solver], marker=marker, s=28)
            if r.mean_gap and r.mean_gap > 0:
                ax.annotate(r.solver, (x, r.mean_gap), fontsize=7, xytext=(3, 2),
                            textcoords="offset points")  # fmt: skip
        ax.set_xscale("log")
        ax.set_title(tier)
        ax.set_xlabel("median time (s)")
        unit = (
            "relative cost" if any(r.unit != "users" for r in rows if r.tier == tier) else "users"
        )
        ax.set_ylabel(f"mean gap ({unit})")
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[len(tiers) :]:
        ax.axis("off")
    handles = [
        plt.Line2D([], [], color=colours[s], marker="o", linestyle="", label=s) for s in solvers
    ]
    handles += [plt.Line2D([], [], color="gray", marker=m, linestyle="", label=lab)
                for m, lab in (("s", "continuous"), ("o", "slotted"), ("D", "QPART"))]  # fmt: skip
    fig.legend(handles=handles, loc="lower center", ncol=min(len(handles), 7), fontsize=8)
    fig.tight_layout(rect=(0, 0.06 + 0.02 * math.ceil(len(handles) / 7), 1, 1))
    fig.savefig(path, dpi=120)
    plt.close(fig)
