"""Notebook display: the compact, escaped HTML that every problem's ``_repr_html_`` is built from, and
the number formats its one-line ``__repr__`` shares. Jupyter shows the HTML; a terminal, a log and
hypothesis keep text (hypothesis prints a dataclass by its fields, whatever its ``__repr__``)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from html import escape

MAX_ROWS = 20
"""Rows a table shows before it says how many more there are (a paper-scale schedule has hundreds)."""

_STYLE = "border-collapse:collapse;font-size:0.9em;margin:0.2em 0"
_CELL = "padding:0.1em 0.6em;text-align:left;border-bottom:1px solid #ddd"


def count(n: int, one: str, many: str | None = None) -> str:
    """``1 batch``, ``12 batches``."""
    return f"{n} {one if n == 1 else (many or one + 's')}"


def number(x) -> str:
    """A value as a reader wants it: ``-`` for none, integers as integers, else 4 significant digits."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "-"
    if isinstance(x, float) and x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    if isinstance(x, float):
        return f"{x:.4g}"
    return str(x)


def seconds(s: float | None) -> str:
    """A duration in the unit that reads best: ``850 us``, ``12.3 ms``, ``4.56 s``."""
    if s is None or math.isnan(s):
        return "-"
    if abs(s) < 1e-3:
        return f"{s * 1e6:.3g} us"
    if abs(s) < 1:
        return f"{s * 1e3:.3g} ms"
    return f"{s:.3g} s"


def shorten(text: str, width: int = 60) -> str:
    """``text`` on one line, cut to ``width`` characters with an ellipsis."""
    line = " ".join(str(text).split())
    return line if len(line) <= width else line[: width - 1] + "…"


def _cell(value, tag: str = "td") -> str:
    return f'<{tag} style="{_CELL}">{escape(str(value))}</{tag}>'


def fields(rows: Iterable[tuple[str, object]]) -> str:
    """A two-column table (what, value): one object's summary."""
    body = "".join(f"<tr>{_cell(k, 'th')}{_cell(v)}</tr>" for k, v in rows)
    return f'<table style="{_STYLE}">{body}</table>'


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], limit: int = MAX_ROWS) -> str:
    """A table with a header row; the first ``limit`` rows, then how many were left out."""
    head = "<tr>" + "".join(_cell(h, "th") for h in headers) + "</tr>"
    body = "".join("<tr>" + "".join(_cell(v) for v in row) + "</tr>" for row in rows[:limit])
    more = (
        f'<tr><td colspan="{len(headers)}" style="{_CELL}">… {len(rows) - limit} more</td></tr>'
        if len(rows) > limit
        else ""
    )
    return f'<table style="{_STYLE}">{head}{body}{more}</table>'


def items(lines: Sequence[str], limit: int = MAX_ROWS) -> str:
    """A bulleted list (violations, reasons), cut after ``limit`` lines."""
    shown = "".join(f"<li>{escape(str(line))}</li>" for line in lines[:limit])
    if len(lines) > limit:
        shown += f"<li>… {len(lines) - limit} more</li>"
    return f'<ul style="margin:0.2em 0">{shown}</ul>'


def card(title: str, *parts: str) -> str:
    """One object: its one-line summary in bold, then its tables (already escaped HTML)."""
    return f"<div><strong>{escape(title)}</strong>{''.join(parts)}</div>"
