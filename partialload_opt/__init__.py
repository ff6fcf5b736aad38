"""partialload-opt: exact models, the paper's algorithms and a verification layer for PartialLoading."""

from partialload_opt.errors import InputError
from partialload_opt.instance import Block, Instance, Model, User, load_instance, save_instance
from partialload_opt.schedule import Batch, Evaluation, Schedule, evaluate

__all__ = [
    "Batch",
    "Block",
    "Evaluation",
    "InputError",
    "Instance",
    "Model",
    "Schedule",
    "User",
    "evaluate",
    "load_instance",
    "save_instance",
]
__version__ = "0.1.0"
