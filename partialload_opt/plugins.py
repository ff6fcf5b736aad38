"""Users' code: ``--plugin MODULE`` imports and the entry-point groups ``partialload_opt.solvers`` and
``partialload_opt.claims``. Whatever a plugin registers remembers where it came from (``origin``), and
worker processes load the same plugins (``loaded()`` travels with every task).

A plugin that cannot be imported, or that registers something wrongly, is a PluginError: one line
naming the plugin and the rule (the CLI exits 2)."""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import os
import sys
from importlib import metadata
from pathlib import Path

from partialload_opt.errors import InputError

SOLVER_GROUP = "partialload_opt.solvers"
CLAIM_GROUP = "partialload_opt.claims"


class PluginError(InputError):
    """A plugin failed to load or broke the solver/claim contract."""

    def __init__(self, plugin: str, rule: str):
        super().__init__(f"plugin {plugin}", "", rule)
        self.plugin = plugin


_origin: str | None = None  # set while a plugin is being imported
_loaded: list[str] = []  # --plugin specs loaded in this process, in order
_groups_loaded: set[str] = set()


def origin(default: str) -> str:
    """Where a registration comes from: the plugin being loaded, else ``default``."""
    return _origin or default


@contextlib.contextmanager
def _loading(name: str):
    global _origin
    previous, _origin = _origin, name
    try:
        yield
    finally:
        _origin = previous


def load_plugin(spec: str) -> None:
    """Import ``spec`` (a module on PYTHONPATH or in the current directory, or a path to a .py
    file) once, so its ``register_solver`` / ``register_claim`` decorators run."""
    if spec in _loaded:
        return
    with _loading(f"plugin {spec}"):
        try:
            if spec.endswith(".py"):
                path = Path(spec).resolve()
                if not path.is_file():
                    raise PluginError(spec, "is not a file")
                mod_spec = importlib.util.spec_from_file_location(path.stem, path)
                if mod_spec is None or mod_spec.loader is None:
                    raise PluginError(spec, "cannot be loaded as a Python module")
                module = importlib.util.module_from_spec(mod_spec)
                sys.modules[path.stem] = module
                mod_spec.loader.exec_module(module)
            else:
                cwd = os.getcwd()
                if cwd not in sys.path:
                    sys.path.insert(0, cwd)
                importlib.import_module(spec)
        except InputError:
            raise
        except ModuleNotFoundError as e:
            raise PluginError(spec, f"cannot be imported: {e}") from None
        except Exception as e:  # a plugin's own failure, reported in one line
            raise PluginError(spec, f"failed while importing: {type(e).__name__}: {e}") from None
    _loaded.append(spec)


def load_plugins(specs) -> None:
    for spec in specs or ():
        load_plugin(spec)


def loaded() -> list[str]:
    """The --plugin specs loaded in this process (workers load the same)."""
    return list(_loaded)


def load_group(group: str) -> None:
    """Load every installed entry point of ``group`` once; a broken one is a PluginError."""
    if group in _groups_loaded:
        return
    _groups_loaded.add(group)
    for ep in metadata.entry_points(group=group):
        dist = getattr(ep.dist, "name", None) or "?"
        name = f"{ep.name} = {ep.value} (entry point of {dist})"
        with _loading(f"entry point {ep.value} ({dist})"):
            try:
                ep.load()
            except InputError:
                raise
            except Exception as e:
                raise PluginError(name, f"failed to load: {type(e).__name__}: {e}") from None


def snapshot() -> list[str]:
    """The plugins loaded so far (for ``restore``)."""
    return list(_loaded)


def restore(saved: list[str]) -> None:
    """Forget the plugins loaded since ``snapshot`` (loading one again imports it again)."""
    _loaded[:] = saved
