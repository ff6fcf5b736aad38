"""What every claim shares, whatever its problem: the claim's description and one check's result."""

from __future__ import annotations

from dataclasses import dataclass, field

HELD, VIOLATED, SKIPPED, MEASURED = "held", "violated", "skipped", "measured"
ERROR = "error"
"""A check that raised (an internal error of the verification layer, never a verdict)."""


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
    status: str  # held | violated | skipped | measured | error
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

    @classmethod
    def from_dict(cls, doc: dict) -> Check:
        return cls(**doc)


@dataclass(frozen=True, kw_only=True)
class VerifyRow:
    """One instance's line of results.jsonl: its name and hash, its problem's size fields, every
    check, the exact-solver disagreements its context found, and (while a run is on) its document,
    which the shrinker starts from."""

    instance: str
    hash: str
    K: int
    I: int
    case: str | None
    checks: tuple[Check, ...]
    bugs: tuple[str, ...] = ()
    doc: dict | None = None

    def violated(self, claim: str) -> Check | None:
        """The first violated check of ``claim``, or None."""
        return next((c for c in self.checks if c.claim == claim and c.status == VIOLATED), None)

    def to_dict(self) -> dict:
        out = {
            "instance": self.instance,
            "hash": self.hash,
            "K": self.K,
            "I": self.I,
            "case": self.case,
            "checks": [c.to_dict() for c in self.checks],
            "bugs": list(self.bugs),
        }
        if self.doc is not None:
            out["doc"] = self.doc
        return out

    @classmethod
    def from_dict(cls, doc: dict) -> VerifyRow:
        return cls(
            instance=doc["instance"],
            hash=doc["hash"],
            K=doc.get("K", 0),
            I=doc.get("I", 0),
            case=doc.get("case"),
            checks=tuple(Check.from_dict(c) for c in doc.get("checks", ())),
            bugs=tuple(doc.get("bugs", ())),
            doc=doc.get("doc"),
        )


def skipped(claim: str, reading: str, semantics: str, why: str) -> Check:
    return Check(claim, reading, semantics, SKIPPED, reason=why)
