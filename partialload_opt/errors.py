"""The project's one error type for bad input: a single line naming the file, the field and the rule."""

from __future__ import annotations


class InputError(ValueError):
    """Bad input. ``str(err)`` is the one line the CLI prints before exiting with status 2."""

    def __init__(self, source: str, field: str, rule: str):
        self.source, self.field, self.rule = source, field, rule
        where = f"{field} " if field else ""
        super().__init__(f"{source}: {where}{rule}")


def field_path(parts) -> str:
    """JSON path parts -> ``users[3].model`` (the form every error message uses)."""
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "(document)"


def did_you_mean(name: str, choices) -> str:
    """'; did you mean X?' for the closest of ``choices`` to a mistyped ``name`` (or '')."""
    import difflib

    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""
