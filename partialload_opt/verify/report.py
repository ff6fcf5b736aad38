"""Aggregate per-instance check results into report.json and report.md."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from partialload_opt import display
from partialload_opt._version import __version__
from partialload_opt.errors import InputError
from partialload_opt.fileio import read_json
from partialload_opt.verify import SOLVER_PREFIX, claim_modules
from partialload_opt.verify.checks import ERROR, HELD, MEASURED, VIOLATED, Check, VerifyRow


def fit(rows: list[dict], axis: str) -> dict:
    """log-log slope of seconds against ``axis`` (the other sizes vary too: an honest rough fit)."""
    xs = np.array([r[axis] for r in rows], dtype=float)
    ys = np.array([r["seconds"] for r in rows], dtype=float)
    ok = (xs > 0) & (ys > 0)
    if ok.sum() < 3 or len(set(xs[ok])) < 2:
        return {"axis": axis, "exponent": None, "n": int(ok.sum())}
    slope = float(np.polyfit(np.log(xs[ok]), np.log(ys[ok]), 1)[0])
    return {"axis": axis, "exponent": slope, "n": int(ok.sum())}


def gap_stats(values: list[float]) -> dict:
    """Mean, median, 90 % quantile, worst and nonzero count of gaps."""
    a = np.array(values, dtype=float)
    return {
        "n": len(a),
        "mean": float(a.mean()),
        "median": float(np.median(a)),
        "q90": float(np.quantile(a, 0.9)),
        "worst": float(a.max()),
        "nonzero": int((a > 0).sum()),
    }


def _solver_summary(e: dict, vals: list[dict]) -> None:
    """A solver entry's counts by cause and its gap distribution (in users and relative)."""
    causes = Counter(v.get("cause") for v in vals if v.get("cause"))
    e["infeasible"], e["errors"] = causes.get("infeasible", 0), causes.get("error", 0)
    rel_only = [v["gap_relative"] for v in vals if "gap_relative" in v and "gap_users" not in v]
    if rel_only:  # QPART: costs, not users
        rel = np.array(rel_only, dtype=float)
        e["gap"] = {
            "n": len(rel),
            "mean_relative": float(rel.mean()),
            "median_relative": float(np.median(rel)),
            "worst_relative": float(rel.max()),
            "optimal": int((rel <= 1e-9).sum()),
        }
    by_case: dict = defaultdict(list)
    for v in vals:
        if "gap_users" in v or "gap_relative" in v:
            by_case[str(v.get("case"))].append(v)
    if any(case != "None" for case in by_case):
        e["gap_by_case"] = {
            case: {
                "n": len(vs),
                "mean_relative": float(np.mean([v.get("gap_relative", 0.0) for v in vs])),
                "worst_relative": float(np.max([v.get("gap_relative", 0.0) for v in vs])),
                **(
                    {
                        "mean_users": float(np.mean([v["gap_users"] for v in vs])),
                        "worst_users": int(np.max([v["gap_users"] for v in vs])),
                    }
                    if all("gap_users" in v for v in vs)
                    else {}
                ),
            }
            for case, vs in sorted(by_case.items())
        }
    gaps = [v for v in vals if "gap_users" in v]
    if gaps:
        users = np.array([v["gap_users"] for v in gaps], dtype=float)
        rel = np.array([v["gap_relative"] for v in gaps], dtype=float)
        e["gap"] = {
            "n": len(gaps),
            "mean_users": float(users.mean()),
            "worst_users": int(users.max()),
            "mean_relative": float(rel.mean()),
            "median_relative": float(np.median(rel)),
            "worst_relative": float(rel.max()),
            "optimal": int((users == 0).sum()),
            "histogram_users": {
                str(int(k)): int(n) for k, n in zip(*np.unique(users, return_counts=True))
            },
        }


def build(rows: list[VerifyRow], seed, counterexamples: dict, worst: dict | None = None) -> dict:
    """report.json: per (claim, reading, semantics) counts, measurements and counterexamples; a
    solver's entry (``verify --solver``) has ``"id": "solver"``, its name, causes and gap distribution."""
    mods = claim_modules()
    solver_vals: dict[tuple, list] = defaultdict(list)
    entries: dict[tuple, dict] = {}
    measured: dict[tuple, list] = defaultdict(list)
    errors = []
    for row in rows:
        for c in row.checks:
            key = (c.claim, c.reading, c.semantics)
            e = entries.setdefault(key, _new_entry(key, mods[key[0]].CLAIM.ground_truth))
            if key[0].startswith(SOLVER_PREFIX) and c.status in (HELD, VIOLATED):
                solver_vals[key].append({**c.values, "case": row.case})
            if c.status == MEASURED:
                measured[key].append(c.values)
            if c.status == ERROR:
                errors.append({"instance": row.instance, **c.to_dict()})
            _count(e, c, getattr(mods[key[0]], "CAUSES", None))
    for key, e in entries.items():
        if key[1] in getattr(mods[key[0]], "CAUSE_READINGS", ()):
            e.setdefault("causes", dict.fromkeys(mods[key[0]].CAUSES, 0))
        e["skipped_reasons"] = dict(e["skipped_reasons"])
        e["counterexamples"] = counterexamples.get(key, [])
        if key[0].startswith(SOLVER_PREFIX):
            e["id"], e["solver"] = "solver", key[0][len(SOLVER_PREFIX) :]
            _solver_summary(e, solver_vals.get(key, []))
            if worst and worst.get(key):
                e["worst_gantt"] = worst[key]
        vals = measured.get(key)
        measure = getattr(mods[key[0]], "measure", None)  # a measured claim's summary and verdict
        if vals and measure is not None:
            e.update(measure(vals))
    return {
        "claims": list(entries.values()),
        "instances": len(rows),
        "seed": seed,
        "version": __version__,
        "solver_bugs": [{"instance": r.instance, "bug": b} for r in rows for b in r.bugs],
        "internal_errors": errors[:50],
    }


def _new_entry(key: tuple, ground_truth: str) -> dict:
    return {
        "id": key[0],
        "reading": key[1],
        "semantics": key[2],
        "ground_truth": ground_truth,
        "checked": 0,
        "held": 0,
        "violated": 0,
        "skipped": 0,
        "skipped_reasons": Counter(),
        "counterexamples": [],
    }


def _count(e: dict, c: Check, causes) -> None:
    """One check into its entry's counts (a violation of a claim with causes, by its cause)."""
    if c.status in (HELD, VIOLATED, MEASURED):
        e["checked"] += 1
    if c.status == HELD:
        e["held"] += 1
    elif c.status == VIOLATED:
        e["violated"] += 1
        if causes and not c.claim.startswith(SOLVER_PREFIX):
            cause = c.values.get("cause", "undetermined")
            e.setdefault("causes", dict.fromkeys(causes, 0))
            e["causes"][cause] = e["causes"].get(cause, 0) + 1
    elif c.status == ERROR:
        e["skipped"] += 1
        e["skipped_reasons"][f"internal error: {c.reason[:80]}"] += 1
    elif c.status != MEASURED:
        e["skipped"] += 1
        e["skipped_reasons"][c.reason] += 1


def markdown(report: dict) -> str:
    mods = claim_modules()
    lines = [
        "# Verification report",
        "",
        f"{report['instances']} instances, seed {report['seed']}, partialload-opt {report['version']}.",
        "",
        "| claim | reading | semantics | checked | held | violated | skipped | counterexamples |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for e in report["claims"]:
        lines.append(
            f"| {_label(e)} | {e['reading']} | {e['semantics']} | {e['checked']} | {e['held']} | "
            f"{e['violated']} | {e['skipped']} | {len(e['counterexamples'])} |"
        )
    lines.append("")
    for e in report["claims"]:
        quote = mods[_claim_id(e)].CLAIM.quote
        lines += [
            f"## {_label(e)} — {e['reading']}, {e['semantics']}",
            "",
            f"> {quote}",
            "",
            f"Ground truth: {e['ground_truth']}.",
        ]
        if e["checked"] and e["reading"] != "measured":
            verdict = (
                "held on every instance checked"
                if not e["violated"]
                else f"**violated on {e['violated']} of {e['checked']}** instances"
            )
            lines.append(f"Result: {verdict}.")
        if e.get("causes"):
            lines.append(
                "Causes of the violations: "
                + ", ".join(f"{k} {v}" for k, v in e["causes"].items())
                + "."
            )
        for why, n in e["skipped_reasons"].items():
            lines.append(f"- skipped {n}: {why}")
        for path in e["counterexamples"]:
            lines.append(f"- counterexample: `{path}`")
        if e.get("verdict"):
            lines.append(f"Verdict on the measured claim: {e['verdict']}.")
        if e["id"] == "solver":
            lines += _solver_lines(e)
        meas = e.get("measurement")
        if meas and e["id"] in ("thm4", "thm5"):
            fits = ", ".join(
                f"{v['axis']}: {v['exponent']:.2f}"
                if v["exponent"] is not None
                else f"{v['axis']}: n/a"
                for v in meas.values()
            )
            lines.append(
                f"Measured running-time exponents (log-log slope, other sizes varying): {fits}."
            )
        if meas and e["id"] == "gaps":
            for k, v in meas.items():
                lines.append(
                    f"- {k}: mean gap {100 * v['mean']:.2f}%, median {100 * v['median']:.2f}%, "
                    f"90% quantile {100 * v['q90']:.2f}%, worst {100 * v['worst']:.2f}% "
                    f"(non-zero on {v['nonzero']} of {v['n']})"
                )
        lines.append("")
    if report["solver_bugs"]:
        lines += ["## Solver disagreements (bugs, not claim violations)", ""]
        lines += [f"- {b['instance']}: {b['bug']}" for b in report["solver_bugs"][:50]]
    if report["internal_errors"]:
        lines += ["", "## Internal errors", ""]
        lines += [
            f"- {e['instance']} {e['claim']} ({e['reading']}, {e['semantics']}): {e['reason']}"
            for e in report["internal_errors"][:20]
        ]
    return "\n".join(lines) + "\n"


def _claim_id(e: dict) -> str:
    return SOLVER_PREFIX + e["solver"] if e["id"] == "solver" else e["id"]


def _label(e: dict) -> str:
    return f"solver `{e['solver']}`" if e["id"] == "solver" else e["id"]


def _solver_lines(e: dict) -> list[str]:
    out = [f"Schedules breaking a rule: {e['infeasible']}; runs ending in error: {e['errors']}."]
    g = e.get("gap")
    if g and "mean_users" not in g:  # QPART: relative cost gaps
        out.append(
            f"Gap to the optimum on {g['n']} instances: optimal on {g['optimal']}; mean "
            f"{100 * g['mean_relative']:.2f}%, median {100 * g['median_relative']:.2f}%, worst "
            f"{100 * g['worst_relative']:.2f}%."
        )
    elif g:
        out.append(
            f"Gap to the optimum on {g['n']} instances: optimal on {g['optimal']}; mean "
            f"{g['mean_users']:.3g} users ({100 * g['mean_relative']:.2f}%), median "
            f"{100 * g['median_relative']:.2f}%, worst {g['worst_users']} users "
            f"({100 * g['worst_relative']:.2f}%)."
        )
        out.append(
            "Users lost per instance: "
            + ", ".join(f"{k}: {n}" for k, n in g["histogram_users"].items())
            + "."
        )
    for case, c in e.get("gap_by_case", {}).items():
        users = (
            f"mean {c['mean_users']:.3g} users, worst {c['worst_users']} users, "
            if "mean_users" in c
            else ""
        )
        out.append(
            f"- {case} ({c['n']} instances): {users}mean {100 * c['mean_relative']:.2f}%, worst "
            f"{100 * c['worst_relative']:.2f}%."
        )
    if e.get("worst_gantt"):
        out += [
            "",
            "The worst gap, shrunk (the solver's schedule above the optimum):",
            "",
            f"![worst counterexample]({e['worst_gantt']})",
        ]
    return out


@dataclass(frozen=True)
class Report:
    """A report folder's report.json as read, for a notebook: one line and an HTML table of its
    entries (the file's format is ``build``'s, unchanged; ``doc`` is that document)."""

    doc: dict = field(hash=False)  # a dict: the source alone hashes
    source: str = ""

    @classmethod
    def load(cls, path: str | Path) -> Report:
        """The report of a folder written by ``verify --report DIR`` (or its report.json)."""
        path = Path(path)
        file = path / "report.json" if path.is_dir() else path
        doc = read_json(file)
        if not isinstance(doc, dict) or not isinstance(doc.get("claims"), list):
            raise InputError(str(file), "claims", "is not a verification report (report.json)")
        return cls(doc, str(path))

    @property
    def entries(self) -> list[dict]:
        """One per (claim or solver, reading, semantics)."""
        return self.doc["claims"]

    def __repr__(self) -> str:
        """One line: where from, instances, entries held and violated, seed."""

        violated = sum(1 for e in self.entries if e.get("violated"))
        held = sum(1 for e in self.entries if e.get("checked") and not e.get("violated"))
        where = f"{self.source!r}, " if self.source else ""
        bugs = self.doc.get("solver_bugs") or []
        tail = f", {display.count(len(bugs), 'solver bug')}" if bugs else ""
        return (
            f"Report({where}{display.count(self.doc.get('instances', 0), 'instance')}, "
            f"{display.count(len(self.entries), 'entry', 'entries')}: {held} held, {violated} violated, "
            f"seed {self.doc.get('seed')}{tail})"
        )

    def _repr_html_(self) -> str:
        """A notebook's view: report.md's table, then solver bugs and internal errors."""
        rows = [
            (
                _label(e).replace("`", ""),
                e.get("reading", ""),
                e.get("semantics", ""),
                e.get("checked", 0),
                e.get("held", 0),
                e.get("violated", 0),
                e.get("skipped", 0),
                len(e.get("counterexamples", [])),
            )
            for e in self.entries
        ]
        headers = ["claim", "reading", "semantics", "checked", "held", "violated", "skipped"]
        parts = [display.table([*headers, "counterexamples"], rows, limit=len(rows))]
        bugs = self.doc.get("solver_bugs") or []
        errors = self.doc.get("internal_errors") or []
        if bugs:
            parts.append(display.items([f"solver bug: {b['instance']}: {b['bug']}" for b in bugs]))
        if errors:
            parts.append(
                display.items(
                    [f"internal error: {e['instance']}: {e.get('reason', '')}" for e in errors]
                )
            )
        return display.card(repr(self), *parts)
