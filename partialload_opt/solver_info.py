"""One row of the solver table (``registry.py``): a solver's metadata, its lazy ``module:function``
target and its own options. Its own module so that the Problem protocol can name it without the
registry (which reaches the problems)."""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from partialload_opt.options import Param


@dataclass(frozen=True, kw_only=True)
class SolverInfo:
    """One registered solver. ``target`` is the function or its lazy ``"module:function"`` path.

    ``semantics``: the problem's time semantics it solves in (empty for a problem without any);
    ``form='theorem-2'``: it optimises over a restricted form that its problem proves exact only in
    places (PartialLoading's Theorem 2), so ``solve`` withholds 'optimal' elsewhere; ``params``: its
    own options; ``warm_start``: the default start of a solver that can start from an answer (None:
    it cannot); ``traits``: the problem's other capabilities (PartialLoading: ``cases``,
    ``bandwidths``), also readable as attributes."""

    name: str
    target: str | Callable = field(repr=False)
    problem: str
    exact: bool
    doc: str
    semantics: tuple[str, ...] = ()
    form: str = "free"
    params: Mapping[str, Param] = field(default_factory=dict, repr=False)
    warm_start: str | None = None
    traits: Mapping[str, Any] = field(default_factory=dict)
    extra: str | None = None  # the pip extra its backend comes from, when optional
    origin: str = "built-in"
    user: bool = False  # a user's function: called with keywords, may return a bare answer

    def __getattr__(self, name: str) -> Any:
        traits = self.__dict__.get("traits") or {}
        if name in traits:
            return traits[name]
        raise AttributeError(name)

    @property
    def func(self) -> Callable:
        if callable(self.target):
            return self.target
        module, _, name = self.target.partition(":")
        return getattr(importlib.import_module(module), name)

    @property
    def default_semantics(self) -> str:
        """Continuous time where the solver supports it, else its own (the paper's heuristics: slotted)."""
        if not self.semantics:
            return "-"
        return "continuous" if "continuous" in self.semantics else self.semantics[0]

    def missing_extra(self) -> str | None:
        """The extra to install when its backend is absent (checked without importing it)."""
        if (
            self.extra
            and importlib.util.find_spec({"scip": "pyscipopt"}.get(self.extra, self.extra)) is None
        ):
            return self.extra
        return None

    def to_dict(self) -> dict:
        """Its row of `partialload solvers --json`: metadata, its problem's traits, its options."""
        traits = {k: list(v) if isinstance(v, tuple) else v for k, v in self.traits.items()}
        return {
            "name": self.name,
            "problem": self.problem,
            "exact": self.exact,
            "semantics": list(self.semantics),
            **traits,
            "form": self.form,
            "warm_start": self.warm_start,
            "options": {
                p.name: {
                    "default": p.default,
                    **({"choices": list(p.choices)} if p.choices else {}),
                }
                for p in self.params.values()
            },
            "origin": self.origin,
            "missing_extra": self.missing_extra(),
            "doc": self.doc,
        }
