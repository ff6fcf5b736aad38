"""The Python versions this project declares: pyproject.toml's classifiers ("Programming Language ::
Python :: 3.X"), which must be exactly the minor versions requires-python admits (declared = tested:
.ci/run runs the test suite on each one present on the machine).

    python3 scripts/pythons.py --declared   # one minor version per line; exit 1 on a mismatch"""

from __future__ import annotations

import re
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent


def declared() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    classified = sorted(
        (
            m.group(1)
            for c in project.get("classifiers", [])
            if (m := re.fullmatch(r"Programming Language :: Python :: (3\.\d+)", c))
        ),
        key=lambda v: int(v.split(".")[1]),
    )
    spec = project["requires-python"]
    low = re.search(r">=\s*3\.(\d+)", spec)
    high = re.search(r"<\s*3\.(\d+)", spec)
    if not (low and high):
        sys.exit(f"requires-python {spec!r} must be '>=3.A,<3.B' (a range CI can test)")
    admitted = [f"3.{m}" for m in range(int(low.group(1)), int(high.group(1)))]
    if classified != admitted:
        sys.exit(f"the classifiers declare {classified}, requires-python admits {admitted}")
    return admitted


if __name__ == "__main__":
    print("\n".join(declared()))
