#!/usr/bin/env bash
# The default test suite against the newest versions that pyproject.toml's ranges allow, without the
# lock: what a user's plain `pip install partialload-opt` meets today, and what the next refresh of
# requirements/lock.txt (scripts/lock.sh) will bring. .ci/run runs it as a step that reports and
# never fails the run; fix what it finds, then refresh the lock.
#
#   scripts/check_newest.sh [VENV_DIR]     (default .newest-venv, made afresh)
#
# Prints the installed versions that differ from the lock, then the suite's result; exits with
# pytest's status (no test collected, exit 5, counts as a failure).
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${1:-.newest-venv}"
rm -rf "$venv"
python3 -m venv "$venv"
# shellcheck disable=SC1091
. "$venv/bin/activate"
python -m pip install -q --upgrade pip
python -m pip install -q --upgrade --upgrade-strategy eager -e ".[test,scip,dask,notebooks]"

echo "== installed versions that differ from requirements/lock.txt"
python - <<'PY'
import re
from importlib.metadata import distributions
from pathlib import Path


def norm(name):
    return re.sub(r"[-_.]+", "-", name).lower()


from packaging.markers import Marker  # pytest's dependency

locked = {}  # the lock's line for this Python: "name==version ; marker" where versions differ
for line in Path("requirements/lock.txt").read_text().splitlines():
    if "==" not in line or line.startswith("#"):
        continue
    pin, _, marker = line.partition(";")
    if marker.strip() and not Marker(marker.strip()).evaluate():
        continue
    name, version = pin.split("==", 1)
    locked[norm(name)] = version.strip()
moved = []
for d in distributions():
    name = norm(d.metadata["Name"])
    if name in ("pip", "setuptools", "wheel", "partialload-opt") or locked.get(name) == d.version:
        continue
    moved.append(f"  {name}: lock {locked.get(name, '(not in the lock)')}, newest {d.version}")
print("\n".join(sorted(moved)) or "  none: the lock holds the newest versions")
PY

echo "== the default suite on the newest versions"
set +e
python -m pytest -q
rc=$?
set -e
if [ "$rc" -eq 5 ]; then
  echo "pytest collected no tests: failing"
  exit 1
fi
exit "$rc"
