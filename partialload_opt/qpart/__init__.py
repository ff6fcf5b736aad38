"""QPART (Li et al., *QPART: Adaptive Model Quantization and Dynamic Workload Balancing for
Accuracy-aware Edge Inference*, arXiv:2506.23934): choose the partition point and the bit-width of
every device layer of a network, minimising a weighted sum of time, device energy and server cost under
an accuracy-degradation budget. The model, its readings and its solvers: formulations/qpart.md."""

from partialload_opt.qpart.evaluate import (
    Decision,
    QEvaluation,
    evaluate,
    load_decision,
    save_decision,
)
from partialload_opt.qpart.instance import (
    QInstance,
    load_qinstance,
    qinstance_from_dict,
    save_qinstance,
)
from partialload_opt.qpart.solving import QOutcome, QResult, solve

__all__ = [
    "Decision",
    "QEvaluation",
    "QInstance",
    "QOutcome",
    "QResult",
    "evaluate",
    "load_decision",
    "load_qinstance",
    "qinstance_from_dict",
    "save_decision",
    "save_qinstance",
    "solve",
]
