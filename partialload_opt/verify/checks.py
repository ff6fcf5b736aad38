"""What every claim shares, whatever its problem: the claim's description and one check's result."""

from __future__ import annotations

from dataclasses import dataclass, field

HELD, VIOLATED, SKIPPED, MEASURED = "held", "violated", "skipped", "measured"


@dataclass(frozen=True)
class Claim:
    id: str
    quote: str  # the paper's sentence
    checks: tuple[tuple[str, str], ...]  # (reading, semantics) pairs this module reports
    ground_truth: str  # which exact computation it is compared with


@dataclass
class Check:
    claim: str
    reading: str
    semantics: str
    status: str  # held | violated | skipped | measured
    ground_truth: str = ""
    reason: str = ""
    values: dict = field(default_factory=dict)  # predicted / found numbers, measurements
    schedules: dict = field(default_factory=dict)  # name -> partialload-schedule/1 (violations)

    def to_dict(self) -> dict:
        return {
            "claim": self.claim,
            "reading": self.reading,
            "semantics": self.semantics,
            "status": self.status,
            "ground_truth": self.ground_truth,
            "reason": self.reason,
            "values": self.values,
            "schedules": self.schedules,
        }


def skipped(claim: str, reading: str, semantics: str, why: str) -> Check:
    return Check(claim, reading, semantics, SKIPPED, reason=why)
