"""What every command line shares: the two consoles, the one-line error policy (InputError -> exit 2),
progress bars, the --plugin option and the option parsers the problems' CLIs use."""

from __future__ import annotations

import contextlib
import functools
import math
import warnings

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
