"""partialload-opt: exact models, the paper's algorithms and a verification layer for PartialLoading
(and QPART, ``partialload_opt.qpart``).

The public API::

    from partialload_opt import load_instance, solve, register_solver, Schedule

    inst = load_instance("instances/handmade/h3-abc.json")
    result = solve(inst, "dp-exact", semantics="slotted")   # re-scored by the one evaluator
    print(result.status, result.served, result.bound)

    inst = generate(GeneratorConfig(case="general", users=40, seed=1))  # the paper's setup

A user's solver registers with ``@register_solver(name, problem=..., **traits)`` and a user's claim with
``@register_claim(id, ...)``; ``partialload_opt.testing`` holds hypothesis strategies and assertions.
The problem-neutral core (``registry``, ``solving``, ``options``, ``verify``, ``plugins``,
``parallel``) reaches each problem (``partialloading``, ``qpart``) through ``problem.Problem``."""

from partialload_opt._version import __version__
from partialload_opt.errors import InputError
from partialload_opt.frames import results_frame
from partialload_opt.options import SolveOptions
from partialload_opt.partialloading.generate import (
    GeneratorConfig,
    SmallConfig,
    generate,
    near_boundary_instance,
    small_instance,
)
from partialload_opt.partialloading.instance import (
    Block,
    Instance,
    Model,
    User,
    load_instance,
    save_instance,
)
from partialload_opt.partialloading.results import Outcome, Result
from partialload_opt.partialloading.schedule import (
    Batch,
    Evaluation,
    Schedule,
    evaluate,
    load_schedule,
    save_schedule,
)
from partialload_opt.plugins import PluginError
from partialload_opt.registry import SolverInfo, register_solver, solvers
from partialload_opt.results import Status, Unsupported
from partialload_opt.solving import solve, solve_isolated
from partialload_opt.verify import register_claim

__all__ = [
    "Batch",
    "Block",
    "Evaluation",
    "GeneratorConfig",
    "InputError",
    "Instance",
    "Model",
    "Outcome",
    "PluginError",
    "Result",
    "Schedule",
    "SmallConfig",
    "SolveOptions",
    "SolverInfo",
    "Status",
    "Unsupported",
    "User",
    "__version__",
    "evaluate",
    "generate",
    "load_instance",
    "load_schedule",
    "near_boundary_instance",
    "register_claim",
    "register_solver",
    "results_frame",
    "save_instance",
    "save_schedule",
    "small_instance",
    "solve",
    "solve_isolated",
    "solvers",
]
