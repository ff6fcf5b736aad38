"""Shared fixtures: the shipped instances are loaded from instances/, never rebuilt here."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from partialload_opt.partialloading.instance import load_instance

os.environ.setdefault("MPLBACKEND", "Agg")  # headless figures in tests

ROOT = Path(__file__).resolve().parents[1]
INSTANCES = ROOT / "instances"
SMALL = sorted((INSTANCES / "small").glob("*.json"))
PAPER = sorted((INSTANCES / "paper").glob("*.json"))
HANDMADE = sorted((INSTANCES / "handmade").glob("*.json"))

settings.register_profile(
    "ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "thorough", max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("ci")


@pytest.fixture(autouse=True)
def _registry_restored():
    """A test's throwaway solvers, claims and plugins do not leak into the next test."""
    from partialload_opt.testing import registry_restored

    with registry_restored():
        yield


def handmade(name: str):
    return load_instance(INSTANCES / "handmade" / f"{name}.json")


@pytest.fixture(params=SMALL, ids=[p.stem for p in SMALL])
def small_instance(request):
    return load_instance(request.param)
